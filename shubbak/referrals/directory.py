"""The partner directory and the partner questionnaire: reads (selectors) and writes (services).

- Offers: what a partner offers, for whom (an eligibility rule), where, how many a month. Written by the partner's own
  staff (`manage_offers`) and by network managers; the rule is checked with `shubbak.eligibility.validate`.
- The directory: everyone in a network browses its partners' active offers and searches them in any Arabic spelling.
- The questionnaire (seed 003): a network manager sends a capacity questionnaire to every partner; partners answer
  (staff on a page, others through a signed link); those who have not answered get reminders until the due date, at
  most one a day; a network manager reviews each answer and applies it to the partner's offers.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shubbak import eligibility, places
from shubbak.arabic import normalise
from shubbak.audit.services import audit_record, audited_create, audited_update
from shubbak.helpdesk.models import Service
from shubbak.helpdesk.selectors import catalogue_networks
from shubbak.notifications.models import Notification
from shubbak.notifications.services import notify
from shubbak.organisations.models import Contact, Membership, Network, Organisation
from shubbak.organisations.permissions import ACTIONS, access_for

from . import links
from .models import Offer, Questionnaire, QuestionnaireResponse, new_link_key

Kind = Organisation.Kind
# Organisations that take part as partners (the desks' own chambers and branches list offers only if they choose to).
PARTNER_KINDS = (Kind.FUND, Kind.LENDER, Kind.TRAINING_PROVIDER, Kind.GOVERNMENT, Kind.NGO, Kind.LOCAL_AUTHORITY, Kind.EXPERT_FIRM)
OFFER_FIELDS = (
    "service",
    "title",
    "description",
    "rule",
    "governorates",
    "capacity_per_month",
    "contact",
    "mou_start",
    "mou_end",
    "is_active",
)
LINK_SALT = "shubbak.referrals.link.questionnaire"
LINK_DAYS = 180  # a questionnaire link works this long after it was made


# --- a rule in words ----------------------------------------------------------------------------------------------


def _value_text(spec: eligibility.Field, value) -> str:
    if spec.kind == "choice":
        return spec.choices().get(value, str(value))
    if spec.kind == "place":
        return places.governorate_name(value) or str(value)
    if spec.kind == "bool":
        return _("yes") if value else _("no")
    return str(value)


def condition_text(condition: dict) -> str:
    """One condition as a person says it: «age: from 18 to 35», «governorate: Gaza or Rafah», «gender: not Male»."""
    spec = eligibility.FIELDS.get(condition.get("field"))
    if spec is None:
        return str(condition)
    op, value = condition.get("op"), condition.get("value")
    label = str(spec.label)
    if op == "between" and isinstance(value, list) and len(value) == 2:
        wanted = _("from %(low)s to %(high)s") % {"low": value[0], "high": value[1]}
    elif op == "gte":
        wanted = _("%(value)s or more") % {"value": value}
    elif op == "lte":
        wanted = _("%(value)s or less") % {"value": value}
    elif op in ("in", "not_in") and isinstance(value, list):
        wanted = _(" or ").join(_value_text(spec, v) for v in value)
        if op == "not_in":
            wanted = _("not %(values)s") % {"values": wanted}
    elif op == "ne":
        wanted = _("not %(values)s") % {"values": _value_text(spec, value)}
    else:
        wanted = _value_text(spec, value)
    return _("%(field)s: %(wanted)s") % {"field": label, "wanted": wanted}


def rule_lines(rule) -> list[str]:
    """The rule as lines, each a condition or «one of: … or …» for a group where one condition is enough."""
    if not rule:
        return [_("Open to everyone")]
    if "any" in rule:
        parts = [_group_text(part) for part in rule["any"]]
        return [parts[0]] if len(parts) == 1 else [_("one of: %(conditions)s") % {"conditions": _(" / ").join(parts)}]
    if "all" in rule:
        return [_group_text(part) for part in rule["all"]] or [_("Open to everyone")]
    return [condition_text(rule)]


def _group_text(node: dict) -> str:
    if "any" in node:
        return _("one of: %(conditions)s") % {"conditions": _(" / ").join(_group_text(p) for p in node["any"])}
    if "all" in node:
        return _("; ").join(_group_text(p) for p in node["all"])
    return condition_text(node)


def rule_text(rule) -> str:
    """The whole rule in one line of plain words."""
    return _("; ").join(rule_lines(rule))


@dataclass
class OfferCard:
    """An offer as the directory shows it: for whom, where, how many, whom to call, whether the agreement holds."""

    offer: Offer
    for_whom: list[str]
    where: str
    agreement: str  # none | ended | not_started | valid

    @property
    def is_current(self) -> bool:
        return self.agreement in ("none", "valid")


def offer_card(offer: Offer, today: datetime.date | None = None) -> OfferCard:
    today = today or timezone.localdate()
    if offer.governorates:
        where = "، ".join(places.governorate_name(g) for g in offer.governorates)
    else:
        where = _("All of %(country)s") % {"country": places.country_name(offer.organisation.country)}
    if offer.mou_end and offer.mou_end < today:
        agreement = "ended"
    elif offer.mou_start and offer.mou_start > today:
        agreement = "not_started"
    else:
        agreement = "valid" if (offer.mou_start or offer.mou_end) else "none"
    return OfferCard(offer, rule_lines(offer.rule), where, agreement)


# --- reads ----------------------------------------------------------------------------------------------------------


def network_ids(user) -> list[int]:
    """Networks whose directory the user browses: those of every organisation she belongs to."""
    return list(catalogue_networks(user=user).values_list("pk", flat=True))


def directory_services(*, user) -> QuerySet[Service]:
    """Active services of the user's networks, for the directory's filter and the offer form."""
    return Service.objects.filter(network__in=catalogue_networks(user=user), is_active=True).select_related("category")


def offer_search_text(offer: Offer) -> str:
    """What a directory search looks in: partner, offer title and description, service names, normalised."""
    parts = (
        offer.organisation.name_ar,
        offer.organisation.name_en,
        offer.title,
        offer.description,
        offer.service.name_ar,
        offer.service.name_en,
    )
    return normalise(" ".join(p for p in parts if p))


def serves(offer: Offer, governorate: str) -> bool:
    """The offer is available in the governorate: listed, or none listed and the partner is in that country."""
    if offer.governorates:
        return governorate in offer.governorates
    return governorate.split("-")[0] == offer.organisation.country


def offer_list(*, user, filters: dict | None = None) -> list[Offer]:
    """Active offers of the user's networks matching the filters (service, kind, governorate, q), by partner and title.

    A network holds a few hundred offers: governorate and words are matched in Python, after one query, so that every
    spelling of a word (hamza, taa marbuta, alef maqsura, harakat) finds the same offers.
    """
    filters = filters or {}
    qs = Offer.objects.filter(organisation__network__in=network_ids(user), organisation__is_active=True, is_active=True).select_related(
        "organisation", "service", "contact"
    )
    if service := filters.get("service"):
        qs = qs.filter(service=service)
    if kind := filters.get("kind"):
        qs = qs.filter(organisation__kind=kind)
    offers = list(qs.order_by("organisation__name_ar", "title", "pk"))
    if governorate := filters.get("governorate"):
        offers = [o for o in offers if serves(o, governorate)]
    if words := normalise(filters.get("q") or "").split():
        offers = [o for o in offers if all(w in text for text in [offer_search_text(o)] for w in words)]
    return offers


def offer_get(*, user, pk: int) -> Offer:
    """One offer of the user's networks (any member of the network may read it); Http404 otherwise."""
    offer = (
        Offer.objects.filter(pk=pk, organisation__network__in=network_ids(user))
        .select_related("organisation__network", "service", "contact")
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def partner_get(*, user, slug: str) -> Organisation:
    """An organisation of the user's networks, as a partner in the directory; Http404 otherwise."""
    partner = Organisation.objects.filter(slug=slug, network__in=network_ids(user), is_active=True).select_related("network").first()
    if partner is None:
        raise Http404
    return partner


def partner_offers(partner: Organisation, *, include_inactive: bool = False) -> list[Offer]:
    qs = partner.offers.select_related("service", "contact", "organisation")
    return list(qs if include_inactive else qs.filter(is_active=True))


def partner_list(*, user, filters: dict | None = None) -> QuerySet[Organisation]:
    """Partners of the user's networks (partner kinds, or any organisation with offers) with their active offers."""
    filters = filters or {}
    qs = (
        partners_of(network_ids(user))
        .select_related("network")
        .prefetch_related(Prefetch("offers", Offer.objects.filter(is_active=True).select_related("service", "contact")))
    )
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if service := filters.get("service"):
        qs = qs.filter(offers__service=service, offers__is_active=True).distinct()
    if governorate := filters.get("governorate"):
        qs = qs.filter(governorate=governorate)
    return qs.order_by("name_ar")


def partners_of(network_ids) -> QuerySet[Organisation]:
    """Active partner organisations of these networks: of a partner kind, or with at least one offer."""
    with_offers = Offer.objects.values("organisation_id")
    return Organisation.objects.filter(network__in=network_ids, is_active=True).filter(Q(kind__in=PARTNER_KINDS) | Q(pk__in=with_offers))


def can_manage_offers(user, organisation: Organisation | int) -> bool:
    return access_for(user).can(organisation, "manage_offers")


# --- offers ---------------------------------------------------------------------------------------------------------


def check_rule(rule) -> None:
    """`eligibility.validate`, and an empty rule ({}: open to everyone) is fine."""
    if rule != {}:
        eligibility.validate(rule)


def _require(actor, organisation, action: str) -> None:
    if actor is not None and not access_for(actor).can(organisation, action):
        raise PermissionDenied


def _check_offer(offer: Offer) -> None:
    errors: dict[str, list] = {}
    try:
        check_rule(offer.rule)
    except ValidationError as exc:
        errors["rule"] = exc.messages
    if offer.service_id and offer.service.network_id != offer.organisation.network_id:
        errors["service"] = [_("Choose a service of this network's catalogue.")]
    if not isinstance(offer.governorates, list):
        errors["governorates"] = [_("Choose governorates from the list.")]
    else:
        unknown = [g for g in offer.governorates if g not in places.GOVERNORATES_AR]
        if unknown:
            errors["governorates"] = [_("«%(value)s» is not a governorate we know.") % {"value": unknown[0]}]
        offer.governorates = sorted(set(offer.governorates))
    if offer.contact_id and offer.contact.organisation_id != offer.organisation_id:
        errors["contact"] = [_("Choose a contact person of this partner.")]
    if offer.mou_start and offer.mou_end and offer.mou_end < offer.mou_start:
        errors["mou_end"] = [_("The agreement cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def offer_create(*, actor, organisation: Organisation, data: dict) -> Offer:
    """Add an offer to a partner's list; its rule must be valid."""
    _require(actor, organisation, "manage_offers")
    offer = Offer(organisation=organisation, **{k: v for k, v in data.items() if k in OFFER_FIELDS})
    offer.rule = offer.rule or {}
    _check_offer(offer)
    return audited_create(actor=actor, instance=offer, organisation=organisation)


@transaction.atomic
def offer_update(*, actor, offer: Offer, data: dict) -> Offer:
    """Change an offer (or withdraw it: is_active=False); its rule must stay valid."""
    _require(actor, offer.organisation, "manage_offers")
    data = {k: v for k, v in data.items() if k in OFFER_FIELDS}
    if "rule" in data:
        data["rule"] = data["rule"] or {}
    probe = Offer(organisation=offer.organisation, **{f: getattr(offer, f) for f in OFFER_FIELDS} | data)
    _check_offer(probe)
    data = {k: getattr(probe, k) for k in data}
    return audited_update(actor=actor, instance=offer, data=data, organisation=offer.organisation)


# --- questionnaire: target groups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetGroup:
    label: object
    conditions: tuple  # (field, op, value); value None: up to the network's youth age


TARGET_GROUPS = {
    "women": TargetGroup(gettext_lazy("Women"), (("person.gender", "eq", "female"),)),
    "youth": TargetGroup(gettext_lazy("Young people"), (("person.age", "between", None),)),
    "university": TargetGroup(gettext_lazy("University graduates"), (("person.education", "eq", "university"),)),
    "institute": TargetGroup(gettext_lazy("Institute graduates"), (("person.education", "eq", "institute"),)),
    "dropouts": TargetGroup(gettext_lazy("Young people who left school early"), (("person.education", "eq", "dropout"),)),
    "job_seekers": TargetGroup(gettext_lazy("Job seekers"), (("person.employment", "eq", "job_seeker"),)),
    "displaced": TargetGroup(gettext_lazy("Displaced people and refugees"), (("person.displacement", "in", ["displaced", "refugee"]),)),
    "disability": TargetGroup(gettext_lazy("People with a disability"), (("person.has_disability", "eq", True),)),
    "war_injured": TargetGroup(gettext_lazy("People injured in war"), (("person.war_injured", "eq", True),)),
    "idea": TargetGroup(gettext_lazy("People with a business idea"), (("enterprise.status", "eq", "idea"),)),
    "informal": TargetGroup(gettext_lazy("Informal enterprises"), (("enterprise.status", "eq", "informal"),)),
    "registered": TargetGroup(gettext_lazy("Registered enterprises"), (("enterprise.status", "eq", "registered"),)),
    "micro": TargetGroup(gettext_lazy("Micro enterprises"), (("enterprise.size_class", "eq", "micro"),)),
    "small": TargetGroup(gettext_lazy("Small enterprises"), (("enterprise.size_class", "eq", "small"),)),
}


def _group_conditions(key: str, network: Network) -> list[dict]:
    return [
        {"field": f, "op": op, "value": [18, network.youth_max_age] if value is None else value}
        for f, op, value in TARGET_GROUPS[key].conditions
    ]


def rule_for_groups(groups: list[str], network: Network) -> dict:
    """The rule of an offer for these target groups: a client in any one of them qualifies; none listed, everyone."""
    conditions = [c for key in groups if key in TARGET_GROUPS for c in _group_conditions(key, network)]
    if not conditions:
        return {}
    return {"all": conditions} if len(conditions) == 1 else {"any": conditions}


def groups_for_rule(rule, network: Network) -> list[str] | None:
    """The target groups a rule was made from ([] for an open offer); None for a rule written otherwise."""
    if not rule:
        return []
    conditions = rule.get("all") if len(rule.get("all") or []) == 1 else rule.get("any")
    if not isinstance(conditions, list):
        return None
    groups = []
    for condition in conditions:
        key = next((k for k in TARGET_GROUPS if _group_conditions(k, network) == [condition]), None)
        if key is None:
            return None
        groups.append(key)
    return groups


# --- questionnaire: sending and links ---------------------------------------------------------------------------


def _require_network(actor, network_id: int) -> None:
    if actor is not None and not access_for(actor).is_network_manager(network_id):
        raise PermissionDenied


def _home(actor, network_id: int) -> Organisation | None:
    """The actor's organisation in the network, for the audit log of a network-wide record."""
    for membership in access_for(actor).memberships if actor is not None else []:
        if membership.organisation.network_id == network_id:
            return membership.organisation
    return None


def questionnaire_list(*, user) -> QuerySet[Questionnaire]:
    """Questionnaires of the networks the user manages, newest first, with how many partners answered."""
    return (
        Questionnaire.objects.filter(network__in=access_for(user).managed_networks)
        .select_related("network")
        .annotate(
            partners=Count("responses"),
            answered=Count(
                "responses",
                filter=Q(responses__status__in=(QuestionnaireResponse.Status.SUBMITTED, QuestionnaireResponse.Status.REVIEWED)),
            ),
        )
    )


def questionnaire_get(*, user, pk: int) -> Questionnaire:
    """A questionnaire of the user's networks: 404 for other networks, 403 unless she manages the network."""
    questionnaire = Questionnaire.objects.filter(pk=pk, network__in=network_ids(user)).select_related("network").first()
    if questionnaire is None:
        raise Http404
    if not access_for(user).is_network_manager(questionnaire.network_id):
        raise PermissionDenied
    return questionnaire


def responses_to_answer(*, user) -> QuerySet[QuestionnaireResponse]:
    """Questionnaires sent to the organisations whose offers the user manages, waiting ones first."""
    return (
        QuestionnaireResponse.objects.filter(organisation__in=access_for(user).organisation_ids("manage_offers"))
        .exclude(organisation__in=Organisation.objects.filter(network__in=access_for(user).managed_networks))
        .select_related("questionnaire", "organisation")
        .order_by("-status", "-questionnaire__due_on")
    )


def response_get(*, user, pk: int) -> QuestionnaireResponse:
    """A partner's answer: 404 unless the user sees the partner or manages its network."""
    response = (
        QuestionnaireResponse.objects.filter(pk=pk, questionnaire__network__in=network_ids(user))
        .select_related("questionnaire__network", "organisation__network", "reviewed_by")
        .first()
    )
    access = access_for(user)
    if response is None or not (access.can(response.organisation, "view") or access.is_network_manager(response.questionnaire.network_id)):
        raise Http404
    return response


@transaction.atomic
def questionnaire_create(*, actor, network: Network, data: dict, today: datetime.date | None = None) -> Questionnaire:
    """Create a questionnaire and send it to every partner of the network."""
    _require_network(actor, network.pk)
    today = today or timezone.localdate()
    questionnaire = Questionnaire(
        network=network,
        created_by=actor,
        **{k: v for k, v in data.items() if k in ("title", "introduction", "due_on", "remind_every_days")},
    )
    if questionnaire.due_on and questionnaire.due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    audited_create(actor=actor, instance=questionnaire, organisation=_home(actor, network.pk))
    questionnaire_send(actor=actor, questionnaire=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_send(*, actor, questionnaire: Questionnaire) -> int:
    """Send the questionnaire to the partners who do not have it yet (partners added since); how many got it."""
    _require_network(actor, questionnaire.network_id)
    have = questionnaire.responses.values("organisation_id")
    new = [
        QuestionnaireResponse(questionnaire=questionnaire, organisation=partner)
        for partner in partners_of([questionnaire.network_id]).exclude(pk__in=have)
    ]
    QuestionnaireResponse.objects.bulk_create(new)
    for response in new:
        audit_record(actor=actor, action="create", target=response, organisation=response.organisation)
        _deliver(response, reminder=False)
    return len(new)


def response_token(response: QuestionnaireResponse) -> str:
    return signing.dumps([response.pk, response.link_key], salt=LINK_SALT)


def response_link(response: QuestionnaireResponse) -> str:
    """The whole link a partner without an account answers through (by e-mail or text message)."""
    return settings.SHUBBAK_BASE_URL.rstrip("/") + reverse("questionnaire_link", args=[response_token(response)])


def response_from_token(token: str) -> QuestionnaireResponse:
    """The answer a link opens; links.Tampered, links.Expired or links.Replaced when it cannot be used."""
    try:
        values = signing.loads(token, salt=LINK_SALT, max_age=LINK_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise links.Expired from exc
    except signing.BadSignature as exc:
        raise links.Tampered from exc
    if not (isinstance(values, list) and len(values) == 2 and isinstance(values[0], int) and isinstance(values[1], str)):
        raise links.Tampered
    response = QuestionnaireResponse.objects.filter(pk=values[0]).select_related("questionnaire__network", "organisation__network").first()
    if response is None:
        raise links.Tampered
    if not constant_time_compare(values[1], response.link_key):
        raise links.Replaced
    return response


@transaction.atomic
def response_new_link(*, actor, response: QuestionnaireResponse) -> QuestionnaireResponse:
    """Withdraw the partner's link and make a new one (a link sent to the wrong address)."""
    _require_network(actor, response.questionnaire.network_id)
    audited_update(actor=actor, instance=response, data={"link_key": new_link_key()}, organisation=response.organisation)
    return response


def partner_staff(organisation_id: int) -> list:
    """Active staff who manage the partner's offers (and so answer its questionnaire)."""
    roles = ACTIONS["manage_offers"]
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role__in=roles, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def partner_email(organisation: Organisation) -> str:
    """Where a partner without accounts gets the link: its main contact's e-mail, else the organisation's."""
    contact = organisation.contacts.exclude(email="").order_by("-is_primary", "pk").first()
    return contact.email if contact else organisation.email


def _deliver(response: QuestionnaireResponse, *, reminder: bool) -> None:
    """Tell the partner: staff with accounts get a notification; a partner without, the link by e-mail."""
    from .questionnaire_tasks import email_questionnaire_link

    questionnaire = response.questionnaire
    staff = partner_staff(response.organisation_id)
    if staff:
        title = _("Reminder: %(title)s (due %(due)s)") if reminder else _("%(title)s (due %(due)s)")
        notify(
            staff,
            kind=Notification.Kind.QUESTIONNAIRE,
            title=title % {"title": questionnaire.title, "due": questionnaire.due_on.isoformat()},
            url=reverse("questionnaire_answer", args=[response.pk]),
        )
    elif email := partner_email(response.organisation):
        transaction.on_commit(lambda: email_questionnaire_link(response.pk, email, reminder))


# --- questionnaire: answers ----------------------------------------------------------------------------------------


def _clean_answers(answers: dict, response: QuestionnaireResponse) -> dict:
    """Keep the answers to the questions asked, checked against the network's catalogue and the places we know."""
    network = response.questionnaire.network
    service_ids = set(Service.objects.filter(network=network, is_active=True).values_list("pk", flat=True))
    offer_ids = set(response.organisation.offers.values_list("pk", flat=True))
    products = []
    for product in answers.get("products") or []:
        if product.get("service") not in service_ids:
            raise ValidationError(_("Choose each product's service from the list."))
        capacity = product.get("capacity_per_month")
        if capacity is not None and (not isinstance(capacity, int) or capacity < 0):
            raise ValidationError(_("The monthly capacity is a number of clients."))
        products.append(
            {
                "offer": product.get("offer") if product.get("offer") in offer_ids else None,
                "service": product["service"],
                "title": str(product.get("title") or "").strip()[:200],
                "description": str(product.get("description") or "").strip(),
                "target_groups": [g for g in product.get("target_groups") or [] if g in TARGET_GROUPS],
                "conditions": str(product.get("conditions") or "").strip(),
                "capacity_per_month": capacity,
                "governorates": sorted({g for g in product.get("governorates") or [] if g in places.GOVERNORATES_AR}),
            }
        )
    if not products:
        raise ValidationError(_("List at least one product or service you offer."))
    if any(not p["title"] for p in products):
        raise ValidationError(_("Give each product a name."))
    contact = answers.get("contact") or {}
    return {
        "products": products,
        "contact": {k: str(contact.get(k) or "").strip() for k in ("name", "position", "phone", "email")},
        "notes": str(answers.get("notes") or "").strip(),
    }


def answer_initial(response: QuestionnaireResponse) -> dict:
    """What the answer form starts from: the answers given, else the partner's current offers and main contact."""
    if response.answers:
        return response.answers
    network = response.questionnaire.network
    products = [
        {
            "offer": o.pk,
            "service": o.service_id,
            "title": o.title,
            "description": o.description,
            "target_groups": groups_for_rule(o.rule, network) or [],
            "conditions": "",
            "capacity_per_month": o.capacity_per_month,
            "governorates": o.governorates,
        }
        for o in response.organisation.offers.filter(is_active=True).order_by("pk")
    ]
    contact = response.organisation.contacts.order_by("-is_primary", "pk").first()
    return {
        "products": products,
        "contact": {"name": contact.name, "position": contact.position, "phone": contact.phone, "email": contact.email} if contact else {},
        "notes": "",
    }


def can_answer(user, response: QuestionnaireResponse) -> bool:
    return access_for(user).can(response.organisation, "manage_offers")


@transaction.atomic
def response_submit(*, actor, response: QuestionnaireResponse, answers: dict, now=None) -> QuestionnaireResponse:
    """Record a partner's answers (again, until they are reviewed); the network's managers are told. Actor None: by link."""
    if actor is not None and not can_answer(actor, response):
        raise PermissionDenied
    response = (
        QuestionnaireResponse.objects.select_for_update().select_related("questionnaire__network", "organisation").get(pk=response.pk)
    )
    if response.status == QuestionnaireResponse.Status.REVIEWED:
        raise ValidationError(_("These answers were already reviewed and applied to the directory; they cannot be changed now."))
    data = {"answers": _clean_answers(answers, response), "status": QuestionnaireResponse.Status.SUBMITTED}
    data["submitted_at"] = now or timezone.now()
    audited_update(actor=actor, instance=response, data=data, organisation=response.organisation)
    managers = [
        m.user
        for m in Membership.objects.filter(
            organisation__network_id=response.questionnaire.network_id,
            role=Membership.Role.NETWORK_MANAGER,
            is_active=True,
            user__is_active=True,
        ).select_related("user")
    ]
    notify(
        managers,
        kind=Notification.Kind.QUESTIONNAIRE_ANSWERED,
        title=f"{response.organisation.name} · {response.questionnaire.title}",
        url=reverse("questionnaire_review", args=[response.pk]),
    )
    return response


# --- questionnaire: reminders -------------------------------------------------------------------------------------


def _last_contact(response: QuestionnaireResponse) -> datetime.date:
    moment = response.reminded_at or response.questionnaire.created_at
    return timezone.localdate(moment)


@transaction.atomic
def response_remind(*, actor, response: QuestionnaireResponse, now=None) -> QuestionnaireResponse:
    """Remind a partner who has not answered: at most once a day, counted."""
    _require_network(actor, response.questionnaire.network_id)
    now = now or timezone.now()
    response = QuestionnaireResponse.objects.select_for_update().select_related("questionnaire", "organisation").get(pk=response.pk)
    if response.status != QuestionnaireResponse.Status.WAITING:
        raise ValidationError(_("This partner has already answered."))
    if response.reminded_at is not None and timezone.localdate(response.reminded_at) == timezone.localdate(now):
        raise ValidationError(_("This partner was already reminded today."))
    audited_update(
        actor=actor,
        instance=response,
        data={"reminders": response.reminders + 1, "reminded_at": now},
        organisation=response.organisation,
    )
    _deliver(response, reminder=True)
    return response


def questionnaires_remind_due(*, now=None) -> int:
    """The periodic job: remind every partner who has not answered, every N days of its questionnaire until the due date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = QuestionnaireResponse.objects.filter(
        status=QuestionnaireResponse.Status.WAITING, questionnaire__due_on__gte=today
    ).select_related("questionnaire")
    sent = 0
    for response in waiting:
        if (today - _last_contact(response)).days >= response.questionnaire.remind_every_days:
            try:
                response_remind(actor=None, response=response, now=now)
            except ValidationError:  # answered or reminded in the meantime
                continue
            sent += 1
    return sent


def questionnaire_remind_all(*, actor, questionnaire: Questionnaire, now=None) -> int:
    """ "Remind now" for every partner who has not answered and was not reminded today; how many were reminded."""
    _require_network(actor, questionnaire.network_id)
    sent = 0
    for response in questionnaire.responses.filter(status=QuestionnaireResponse.Status.WAITING):
        try:
            response_remind(actor=actor, response=response, now=now)
        except ValidationError:
            continue
        sent += 1
    return sent


# --- questionnaire: review ------------------------------------------------------------------------------------------


@dataclass
class Change:
    """What applying one answered product does to the partner's offers."""

    action: str  # create | update | same
    title: str
    offer: Offer | None
    data: dict
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after) in words


@dataclass
class Plan:
    changes: list[Change]
    unchanged_offers: list[Offer]  # offers the answers do not mention: left as they are
    contact: Contact | None
    contact_data: dict
    contact_action: str  # create | update | same | none


def _offer_data(product: dict, network: Network, offer: Offer | None) -> dict:
    description = product["description"]
    if product["conditions"]:
        description = "\n".join(filter(None, [description, _("Conditions: %(conditions)s") % {"conditions": product["conditions"]}]))
    groups = product["target_groups"]
    if offer is not None and (groups_for_rule(offer.rule, network) or []) == groups:
        rule = offer.rule  # target groups unchanged: keep the rule, which may be finer than the groups
    elif offer is not None and not groups and groups_for_rule(offer.rule, network) is None:
        rule = offer.rule
    else:
        rule = rule_for_groups(groups, network)
    return {
        "service_id": product["service"],
        "title": product["title"],
        "description": description,
        "rule": rule,
        "governorates": product["governorates"],
        "capacity_per_month": product["capacity_per_month"],
    }


def _shown(name: str, value, services: dict) -> str:
    if value in (None, "", [], {}):
        return "—"
    if name == "service_id":
        return services[value].name if value in services else str(value)
    if name == "rule":
        return rule_text(value)
    if name == "governorates":
        return "، ".join(places.governorate_name(g) for g in value)
    return str(value)


FIELD_LABELS = {
    "service_id": gettext_lazy("service"),
    "title": gettext_lazy("title"),
    "description": gettext_lazy("description"),
    "rule": gettext_lazy("for whom"),
    "governorates": gettext_lazy("governorates served"),
    "capacity_per_month": gettext_lazy("clients per month"),
}


def response_plan(response: QuestionnaireResponse) -> Plan:
    """What applying the answers would change in the directory: offers created or updated, field by field."""
    network = response.questionnaire.network
    answers = response.answers or {}
    offers = {o.pk: o for o in response.organisation.offers.select_related("service", "contact")}
    by_title = {(o.service_id, normalise(o.title)): o for o in offers.values()}
    services = {s.pk: s for s in Service.objects.filter(network=network)}
    contact_data = {k: v for k, v in (answers.get("contact") or {}).items() if v}
    contact, contact_action = None, "none"
    if contact_data.get("name"):
        contact = next((c for c in response.organisation.contacts.all() if normalise(c.name) == normalise(contact_data["name"])), None)
        if contact is None:
            contact_action = "create"
        elif any(getattr(contact, k) != v for k, v in contact_data.items()):
            contact_action = "update"
        else:
            contact_action = "same"
    changes, mentioned = [], set()
    for product in answers.get("products") or []:
        offer = offers.get(product.get("offer")) or by_title.get((product["service"], normalise(product["title"])))
        data = _offer_data(product, network, offer)
        if offer is None:
            fields = [(str(FIELD_LABELS[k]), "—", _shown(k, v, services)) for k, v in data.items()]
        else:
            mentioned.add(offer.pk)
            fields = [
                (str(FIELD_LABELS[k]), _shown(k, getattr(offer, k), services), _shown(k, v, services))
                for k, v in data.items()
                if getattr(offer, k) != v
            ]
        if contact_action != "none" and (offer is None or contact is None or offer.contact_id != contact.pk):
            data["contact"] = contact  # the answer's contact person (made when applied, if new)
            before = offer.contact.name if offer is not None and offer.contact_id else "—"
            fields.append((str(_("contact person")), before, contact_data["name"]))
        action = "create" if offer is None else "update" if fields else "same"
        changes.append(Change(action, product["title"], offer, data, fields))
    unchanged = [o for pk, o in offers.items() if pk not in mentioned]
    return Plan(changes, unchanged, contact, contact_data, contact_action)


@transaction.atomic
def response_apply(*, actor, response: QuestionnaireResponse, now=None) -> Plan:
    """A network manager applies reviewed answers: the partner's offers are created or updated, the answer is reviewed."""
    from shubbak.organisations import services as organisation_services

    _require_network(actor, response.questionnaire.network_id)
    response = (
        QuestionnaireResponse.objects.select_for_update()
        .select_related("questionnaire__network", "organisation__network")
        .get(pk=response.pk)
    )
    if response.status != QuestionnaireResponse.Status.SUBMITTED:
        raise ValidationError(
            _("These answers were already reviewed.")
            if response.status == QuestionnaireResponse.Status.REVIEWED
            else _("This partner has not answered yet.")
        )
    plan = response_plan(response)
    contact = plan.contact
    if plan.contact_action == "create":
        contact = organisation_services.contact_create(actor=actor, organisation=response.organisation, data=plan.contact_data)
    elif plan.contact_action == "update":
        organisation_services.contact_update(actor=actor, contact=contact, data=plan.contact_data)
    services = {s.pk: s for s in Service.objects.filter(network_id=response.questionnaire.network_id)}
    for change in plan.changes:
        data = {("service" if k == "service_id" else k): v for k, v in change.data.items()}
        data["service"] = services[data["service"]]
        if "contact" in data:
            data["contact"] = contact
        if change.action == "create":
            change.offer = offer_create(actor=actor, organisation=response.organisation, data=data)
        elif change.action == "update":
            offer_update(actor=actor, offer=change.offer, data=data)
    audited_update(
        actor=actor,
        instance=response,
        data={"status": QuestionnaireResponse.Status.REVIEWED, "reviewed_by": actor, "reviewed_at": now or timezone.now()},
        organisation=response.organisation,
    )
    return plan
