"""Who could deliver a case's requested service: partners' offers, local experts and the desk itself, ranked, each with
the reasons it fits or does not, as short phrases the officer reads.

Ranking, in this order:
1. eligibility: the client meets the offer's rule (`shubbak.eligibility` on the case's person and enterprise); those
   she does not meet come last, saying why;
2. specialisation fit: an offer for this service or an expert specialised in it, before the desk's general staff;
3. location: works in the client's governorate, then across the country, then only elsewhere;
4. current load and past completion rate, weighed together (load first): places left this month of the offer's
   monthly capacity, or the expert's open assignments; completed / (completed + declined + no-show) of earlier
   referrals to the partner or the expert in the last year. What is not known counts as middling.

A constant number of queries whatever the size of the network: the case, the offers (rows), the experts (rows),
aggregate queries for load and history (history is counted over the last year, for the whole network at once, and
kept in the cache for ten minutes: a network with a million referrals does not count them on every page), then the
offers and experts returned.
Rules are evaluated in Python, in two passes: every candidate is ranked with a compiled form of its rule (a plain yes
or no, cached per rule), and only those returned get the full explanation from `shubbak.eligibility.evaluate`, whose
words cost far more than the answer.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from shubbak import eligibility, places
from shubbak.eligibility import Result, Subject, evaluate
from shubbak.helpdesk.models import CaseService
from shubbak.organisations.models import Organisation

from .models import Expert, Offer, Referral

PARTNER, EXPERT, IN_HOUSE = "partner", "expert", "in_house"
DEDICATED, GENERAL = 2, 1  # specialisation fit
HERE, ANYWHERE, ELSEWHERE = 2, 1, 0  # location
LOAD_WEIGHT, HISTORY_WEIGHT = 0.6, 0.4
UNKNOWN = 0.5  # the score of a load or a history nobody knows
HISTORY_DAYS = 365  # the completion rate is that of the referrals sent in the last year
HISTORY_SECONDS = 600  # … counted at most every ten minutes per network (it moves slowly; load is always live)
FINISHED = (Referral.Status.COMPLETED, Referral.Status.DECLINED, Referral.Status.NO_SHOW)
TAKES_A_PLACE = ~Q(status__in=(Referral.Status.DECLINED, Referral.Status.CANCELLED))
EVERYONE = Result(True, [])


@dataclass
class Suggestion:
    """One way to deliver the service, with the facts it was ranked on and the reasons in words."""

    kind: str  # partner | expert | in_house
    name: str
    eligible: bool
    fit: int
    location: int
    room: float  # 0 (full) … 1 (free)
    history: float  # 0 … 1, the completion rate
    organisation: Organisation | None = None
    offer: Offer | None = None  # (while ranking: its id)
    expert: Expert | None = None  # (while ranking: its id)
    capacity: int | None = None
    places_left: int | None = None
    open_assignments: int | None = None
    completed: int = 0
    finished: int = 0
    governorates: frozenset[str] = frozenset()  # where it works (none: across the country)
    eligibility: Result | None = None  # with every condition explained (filled for the suggestions returned)
    reasons: list[str] = field(default_factory=list)

    @property
    def completion_rate(self) -> int | None:
        """Completed referrals, in per cent of those that finished (None before any finished)."""
        return round(100 * self.completed / self.finished) if self.finished else None

    @property
    def score(self) -> float:
        return LOAD_WEIGHT * self.room + HISTORY_WEIGHT * self.history

    def sort_key(self):
        return (not self.eligible, -self.fit, -self.location, -self.score, self.name)


def suggestions(case_service: CaseService, *, limit: int = 10, now: datetime.datetime | None = None) -> list[Suggestion]:
    """The best `limit` ways to deliver a case's requested service, best first, each with its reasons."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    case_service = CaseService.objects.select_related("service", "case__organisation", "case__person", "case__enterprise").get(
        pk=case_service.pk
    )
    case, service = case_service.case, case_service.service
    subject = Subject(person=case.person, enterprise=case.enterprise, today=today)
    client_place = (case.person.governorate if case.person else "") or (case.enterprise.governorate if case.enterprise else "")
    network_id = case.organisation.network_id
    found = [
        *_partners(service, network_id, subject, client_place, today),
        *_experts(service, network_id, client_place, today),
    ]
    if service.in_house:
        found.append(_in_house(case_service))
    found.sort(key=Suggestion.sort_key)
    chosen = found[:limit]
    _load(chosen)
    for suggestion in chosen:
        _explain(suggestion, service, subject, client_place)
    return chosen


# --- the rule, compiled for ranking ---------------------------------------------------------------------------------


def _compile(node: dict) -> Callable[[dict], bool]:
    """The rule as a predicate on the subject's field values; the same answer as `eligibility.evaluate(...).eligible`."""
    if "all" in node:
        parts = [_compile(part) for part in node["all"]]
        return lambda values: all(part(values) for part in parts)
    if "any" in node:
        parts = [_compile(part) for part in node["any"]]
        return lambda values: any(part(values) for part in parts)
    name, op, wanted = node["field"], node["op"], node["value"]
    blank_is_unknown = eligibility.FIELDS[name].kind in ("choice", "place")
    compare = {
        "eq": lambda actual: actual == wanted,
        "ne": lambda actual: actual != wanted,
        "in": lambda actual: actual in wanted,
        "not_in": lambda actual: actual not in wanted,
        "gte": lambda actual: actual >= wanted,
        "lte": lambda actual: actual <= wanted,
        "between": lambda actual: wanted[0] <= actual <= wanted[1],
    }[op]

    def condition(values: dict) -> bool:
        actual = values[name]
        if actual is None or (blank_is_unknown and actual == ""):  # unknown: the condition fails, as in evaluate
            return False
        return compare(actual)

    return condition


@lru_cache(maxsize=4096)
def _compiled(rule_json: str) -> Callable[[dict], bool]:
    """The predicate of a rule, by its JSON text: each rule is parsed and compiled once per process."""
    rule = json.loads(rule_json)
    return _compile(rule) if rule else (lambda values: True)


@lru_cache(maxsize=4096)
def _governorates(places_json: str) -> frozenset[str]:
    return frozenset(json.loads(places_json or "[]"))


def subject_values(subject: Subject) -> dict:
    """Every field a rule may ask about, read once from the subject."""
    return {name: spec.read(subject) for name, spec in eligibility.FIELDS.items()}


def passes(rule: dict, subject: Subject | None = None, *, values: dict | None = None) -> bool:
    """Whether the subject meets the rule (a valid one), without the words: for ranking many rules quickly."""
    values = values if values is not None else subject_values(subject)
    return _compiled(json.dumps(rule or {}, sort_keys=True))(values)


# --- candidates -----------------------------------------------------------------------------------------------------


def _name(name_ar: str, name_en: str) -> str:
    """An organisation's name in the active language, as `BilingualName.name` gives it."""
    return name_en if name_en and (get_language() or "ar").startswith("en") else name_ar


def _partners(service, network_id: int, subject: Subject, client_place: str, today) -> list[Suggestion]:
    # rows, not model instances: hundreds are ranked, ten are returned (and loaded whole afterwards)
    rows = list(
        Offer.objects.filter(service=service, is_active=True, organisation__network_id=network_id, organisation__is_active=True)
        .exclude(mou_end__lt=today)
        .exclude(mou_start__gt=today)
        # JSON as text: a rule is compiled, and a list of governorates read, once per process for each text seen
        .annotate(rule_json=Cast("rule", TextField()), places_json=Cast("governorates", TextField()))
        .values_list(
            "pk", "organisation_id", "organisation__name_ar", "organisation__name_en", "rule_json", "places_json", "capacity_per_month"
        )
        .order_by()
    )
    if not rows:
        return []
    month_start = timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time()))
    used = dict(
        Referral.objects.filter(TAKES_A_PLACE, offer__in=[row[0] for row in rows], sent_at__gte=month_start)
        .values_list("offer")
        .annotate(n=Count("id"))
        .order_by()
    )
    history = _history_counts(PARTNER, network_id, today)
    values = subject_values(subject)
    found = []
    for pk, organisation_id, name_ar, name_en, rule_json, places_json, capacity in rows:
        governorates = _governorates(places_json)
        completed, finished = history.get(organisation_id, (0, 0))
        suggestion = Suggestion(
            kind=PARTNER,
            name=_name(name_ar, name_en),
            eligible=_compiled(rule_json)(values),
            fit=DEDICATED,
            location=_tier(governorates, client_place),
            room=UNKNOWN,
            history=completed / finished if finished else UNKNOWN,
            offer=pk,  # the offer itself is loaded for the suggestions returned
            capacity=capacity,
            completed=completed,
            finished=finished,
            governorates=governorates,
        )
        if capacity is not None:
            suggestion.places_left = max(capacity - used.get(pk, 0), 0)
            suggestion.room = suggestion.places_left / capacity if capacity else 0
        found.append(suggestion)
    return found


def _experts(service, network_id: int, client_place: str, today) -> list[Suggestion]:
    rows = list(
        Expert.objects.filter(
            network_id=network_id,
            vetting=Expert.Vetting.VETTED,
            availability=Expert.Availability.AVAILABLE,
            specialisations=service,
        )
        .annotate(places_json=Cast("governorates", TextField()))
        .values_list("pk", "full_name", "places_json")
        .order_by()
    )
    if not rows:
        return []
    load = dict(
        Referral.objects.filter(expert__in=[row[0] for row in rows], status__in=Referral.OPEN_STATUSES)
        .values_list("expert")
        .annotate(n=Count("id"))
        .order_by()
    )
    history = _history_counts(EXPERT, network_id, today)
    found = []
    for pk, full_name, places_json in rows:
        governorates = _governorates(places_json)
        open_count = load.get(pk, 0)
        completed, finished = history.get(pk, (0, 0))
        found.append(
            Suggestion(
                kind=EXPERT,
                name=full_name,
                eligible=True,
                fit=DEDICATED,
                location=_tier(governorates, client_place),
                room=1 / (1 + open_count),
                history=completed / finished if finished else UNKNOWN,
                expert=pk,  # loaded for the suggestions returned
                open_assignments=open_count,
                completed=completed,
                finished=finished,
                governorates=governorates,
            )
        )
    return found


def _history_counts(kind: str, network_id: int, today: datetime.date) -> dict[int, tuple[int, int]]:
    """{partner or expert id: (completed, finished)} of the network's referrals sent in the last year, cached a while."""
    key = f"referrals:history:{kind}:{network_id}:{today.isoformat()}"
    counts = cache.get(key)
    if counts is None:
        since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=HISTORY_DAYS), datetime.time()))
        referrals = Referral.objects.filter(status__in=FINISHED, sent_at__gte=since)
        if kind == PARTNER:
            target, referrals = "to_organisation", referrals.filter(kind=Referral.Kind.PARTNER, to_organisation__network_id=network_id)
        else:
            target, referrals = "expert", referrals.filter(expert__network_id=network_id)
        counts = {
            row[0]: (row[1], row[2])
            for row in referrals.values_list(target)
            .annotate(completed=Count("id", filter=Q(status=Referral.Status.COMPLETED)), finished=Count("id"))
            .order_by()
        }
        cache.set(key, counts, HISTORY_SECONDS)
    return counts


def _load(chosen: list[Suggestion]) -> None:
    """The offers (with partner and contact) and experts (with the organisation keeping them) returned: two queries."""
    offer_ids = [s.offer for s in chosen if s.kind == PARTNER]
    expert_ids = [s.expert for s in chosen if s.kind == EXPERT]
    offers = Offer.objects.select_related("organisation", "contact", "service").in_bulk(offer_ids) if offer_ids else {}
    experts = Expert.objects.select_related("organisation").in_bulk(expert_ids) if expert_ids else {}
    for suggestion in chosen:
        if suggestion.kind == PARTNER:
            suggestion.offer = offers[suggestion.offer]
            suggestion.organisation = suggestion.offer.organisation
        elif suggestion.kind == EXPERT:
            suggestion.expert = experts[suggestion.expert]
            suggestion.organisation = suggestion.expert.organisation


def _in_house(case_service: CaseService) -> Suggestion:
    """The desk delivers it itself; its history is how often this service, delivered in house here, was delivered."""
    case = case_service.case
    delivered = CaseService.Status.DELIVERED
    counts = (
        CaseService.objects.filter(
            case__organisation_id=case.organisation_id,
            service_id=case_service.service_id,
            delivery=CaseService.Delivery.IN_HOUSE,
            status__in=(delivered, CaseService.Status.NOT_DELIVERED),
        )
        .exclude(pk=case_service.pk)
        .aggregate(completed=Count("id", filter=Q(status=delivered)), finished=Count("id"))
    )
    completed, finished = counts["completed"], counts["finished"]
    return Suggestion(
        kind=IN_HOUSE,
        name=case.organisation.name,
        eligible=True,
        fit=GENERAL,
        location=HERE,
        room=UNKNOWN,
        history=completed / finished if finished else UNKNOWN,
        organisation=case.organisation,
        completed=completed,
        finished=finished,
    )


# --- reasons ------------------------------------------------------------------------------------------------------


def _tier(governorates: frozenset[str], client_place: str) -> int:
    if not governorates:
        return ANYWHERE
    if not client_place:
        return ANYWHERE
    return HERE if client_place in governorates else ELSEWHERE


def _explain(suggestion: Suggestion, service, subject: Subject, client_place: str) -> None:
    """The reasons in words: eligibility with every condition, fit, where, load, history."""
    if suggestion.kind == PARTNER:
        offer = suggestion.offer
        suggestion.eligibility = evaluate(offer.rule, subject)
        if offer.capacity_per_month is None:
            load = _("capacity not stated")
        elif suggestion.places_left:
            load = _("%(left)s of %(capacity)s places left this month") % {
                "left": suggestion.places_left,
                "capacity": offer.capacity_per_month,
            }
        else:
            load = _("no places left this month (%(capacity)s a month)") % {"capacity": offer.capacity_per_month}
        suggestion.reasons = [
            suggestion.eligibility.summary,
            _("offers «%(title)s»") % {"title": offer.title},
            _where(suggestion.governorates, client_place),
            load,
            _history(suggestion.completed, suggestion.finished),
        ]
    elif suggestion.kind == EXPERT:
        suggestion.eligibility = EVERYONE
        count = suggestion.open_assignments
        if count:
            load = ngettext("%(count)s open assignment", "%(count)s open assignments", count) % {"count": count}
        else:
            load = _("no open assignments")
        suggestion.reasons = [
            EVERYONE.summary,
            _("specialised in %(service)s") % {"service": service.name},
            _where(suggestion.governorates, client_place),
            load,
            _history(suggestion.completed, suggestion.finished),
        ]
    else:
        suggestion.eligibility = EVERYONE
        if suggestion.finished:
            history = ngettext(
                "delivered %(rate)s %% of %(count)s request in house",
                "delivered %(rate)s %% of %(count)s requests in house",
                suggestion.finished,
            ) % {"rate": suggestion.completion_rate, "count": suggestion.finished}
        else:
            history = _("no earlier requests delivered in house")
        suggestion.reasons = [
            EVERYONE.summary,
            _("delivered in house by %(organisation)s") % {"organisation": suggestion.name},
            history,
        ]


def _where(governorates: frozenset[str], client_place: str) -> str:
    if not governorates:
        return _("works across the country")
    if client_place and client_place in governorates:
        return _("works in %(place)s") % {"place": places.governorate_name(client_place)}
    listed = "، ".join(places.governorate_name(code) for code in sorted(governorates))
    if not client_place:
        return _("works in %(place)s") % {"place": listed}
    return _("works in %(places)s, not in %(place)s") % {"places": listed, "place": places.governorate_name(client_place)}


def _history(completed: int, finished: int) -> str:
    if not finished:
        return _("no earlier referrals")
    return ngettext("completed %(rate)s %% of %(count)s referral", "completed %(rate)s %% of %(count)s referrals", finished) % {
        "rate": round(100 * completed / finished),
        "count": finished,
    }
