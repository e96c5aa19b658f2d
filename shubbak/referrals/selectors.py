"""Every read of referrals: the sender's list, the receiver's portal, one referral (with the side the user is on), the
case panel, where a service can be referred to, the funnel per partner, and the shared snapshot in words.

Two sides see a referral. The sender (the case's organisation, `view_cases`) sees everything. The receiver (the
receiving organisation's members, or the expert) sees the shared snapshot only, never the case, the person or the
case's notes. Anyone else gets a 404, exactly as for a referral that does not exist.
"""

from itertools import zip_longest

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shubbak import places
from shubbak.helpdesk.models import Case, CaseEvent, CaseService
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for
from shubbak.registry.models import Enterprise, Person

from .models import Expert, Offer, Referral, ReferralTally
from .services import histogram_median, receiver_key, waiting_q

Status = Referral.Status
SENDER, RECEIVER = "sender", "receiver"


# --- lists ----------------------------------------------------------------------------------------------------


def _filtered(qs: QuerySet[Referral], filters: dict, now) -> QuerySet[Referral]:
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if partner := filters.get("partner"):
        qs = qs.filter(to_organisation=partner)
    if organisation := filters.get("organisation"):
        qs = qs.filter(from_organisation=organisation)
    if filters.get("waiting"):
        qs = qs.filter(waiting_q(now))
    return qs


def sent_list(*, user, filters: dict | None = None, now=None) -> QuerySet[Referral]:
    """Referrals sent by the organisations whose cases the user sees, newest first.

    filters: status, kind, partner (an organisation), organisation (the sender), waiting (unanswered past the date:
    the longest waiting first).
    """
    filters = filters or {}
    qs = _filtered(Referral.objects.for_user(user, "view_cases"), filters, now or timezone.now())
    if filters.get("waiting"):  # the longest waiting first, along the partial index of unanswered referrals
        qs = qs.order_by("respond_by", "id")
    return qs.select_related("case", "case_service__service", "from_organisation", "to_organisation", "expert", "created_by")


def received_q(user) -> Q:
    access = access_for(user)
    return (
        Q(to_organisation__in=access.organisation_ids("view"))
        | Q(expert__user=user)
        | Q(expert__organisation__in=access.organisation_ids("manage_experts"))
    )


def received_list(*, user, filters: dict | None = None, now=None) -> QuerySet[Referral]:
    """Referrals sent to the user's organisations (or to her as an expert), newest first: the partner portal.

    Only what a receiver may see is loaded: no case, no person."""
    filters = filters or {}
    qs = _filtered(Referral.objects.filter(received_q(user)), filters, now or timezone.now())
    if filters.get("waiting"):
        qs = qs.order_by("respond_by", "id")
    return qs.select_related("case_service__service", "from_organisation", "to_organisation", "expert", "created_by")


def referral_get(*, user, pk: int) -> Referral:
    """One referral with `side` set to "sender" or "receiver"; Http404 for anyone else, as for a missing one."""
    referral = (
        Referral.objects.select_related(
            "case__organisation", "case__assigned_to", "case_service__service", "from_organisation", "to_organisation", "offer",
            "expert__user", "created_by",
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if referral is None:
        raise Http404
    access = access_for(user)
    if access.can(referral.from_organisation_id, "view_cases"):
        referral.side = SENDER
    elif _is_receiver(user, access, referral):
        referral.side = RECEIVER
    else:
        raise Http404
    return referral


def _is_receiver(user, access, referral: Referral) -> bool:
    if referral.kind == Referral.Kind.EXPERT:
        return referral.expert.user_id == user.pk or access.can(referral.expert.organisation_id, "manage_experts")
    return referral.to_organisation_id is not None and access.can(referral.to_organisation_id, "view")


def referral_timeline(referral: Referral) -> list[CaseEvent]:
    """The referral's own history, from the case's timeline (the sender's page only)."""
    events = CaseEvent.objects.filter(case_id=referral.case_id, kind=CaseEvent.Kind.SERVICE, data__referral=referral.pk)
    return list(events.select_related("actor").order_by("created_at", "id"))


def case_panel(*, case: Case) -> list[CaseService]:
    """The case's requested services, each with its referrals (`referral_list`, newest first): two queries."""
    referrals = Referral.objects.select_related("to_organisation", "expert").order_by("-id")
    services = case.services.select_related("service").prefetch_related(Prefetch("referrals", queryset=referrals, to_attr="referral_list"))
    rows = list(services)
    for row in rows:
        row.open_referral = next((r for r in row.referral_list if r.is_open), None)
        row.can_refer = row.open_referral is None and row.status in (CaseService.Status.REQUESTED, CaseService.Status.IN_PROGRESS)
    return rows


# --- where to refer -------------------------------------------------------------------------------------------


def receiver_options(*, case_service: CaseService) -> dict[str, list]:
    """Where a requested service can be referred: partners' active offers of it, any other organisation of the
    network, vetted experts with this specialisation, and other organisations' desks (a client who moved)."""
    case = case_service.case
    network_id = case.organisation.network_id
    organisations = Organisation.objects.filter(network_id=network_id, is_active=True).exclude(pk=case.organisation_id)
    offers = (
        Offer.objects.filter(service_id=case_service.service_id, is_active=True, organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name_ar", "title")
    )
    experts = (
        Expert.objects.filter(network_id=network_id, vetting=Expert.Vetting.VETTED, specialisations=case_service.service_id)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .order_by("full_name")
    )
    desks = organisations.filter(desks__is_active=True).distinct().order_by("name_ar")
    return {
        "offers": list(offers),
        "organisations": list(organisations.order_by("name_ar")),
        "experts": list(experts),
        "desks": list(desks),
    }


# --- the funnel per partner -----------------------------------------------------------------------------------

COUNTS = ("sent", "accepted", "declined", "completed", "no_show", "cancelled")


def partner_report(*, user, filters: dict | None = None, now=None) -> list[dict]:
    """Per receiver (partner, desk or expert) of the referrals the user coordinates: sent, accepted, declined, completed,
    no-show, cancelled, open, the median time to accept, and how many wait too long.

    Two small queries whatever the number of referrals: the running counts the services keep (`ReferralTally`, one row
    per sender and receiver) and the unanswered referrals past their date (the partial index `referral_waiting`).
    filters: organisation (the sender).
    """
    now = now or timezone.now()
    filters = filters or {}
    tallies = ReferralTally.objects.for_user(user, "coordinate_cases")
    waiting = Referral.objects.for_user(user, "coordinate_cases").filter(waiting_q(now))
    if organisation := filters.get("organisation"):
        tallies, waiting = tallies.filter(from_organisation=organisation), waiting.filter(from_organisation=organisation)
    rows: dict[str, dict] = {}
    names = ("kind", "receiver", "to_organisation", "to_organisation__name_ar", "to_organisation__name_en", "expert", "expert__full_name")
    width = len(names)
    for values in tallies.order_by().values_list(*names, *COUNTS, "accept_times"):  # tuples: thousands of rows, kept light
        row = rows.get(values[1])
        if row is None:  # the first sender's counts; the other senders' are added to them
            rows[values[1]] = dict(zip((*names, *COUNTS, "accept_times"), values)) | {"waiting": 0}
            continue
        for offset, name in enumerate(COUNTS, width):
            row[name] += values[offset]
        row["accept_times"] = [a + b for a, b in zip_longest(row["accept_times"], values[-1], fillvalue=0)]
    late = waiting.order_by().values("to_organisation", "expert").annotate(n=Count("*"))  # COUNT(*): the index covers it
    for found in late:
        key = receiver_key(expert_id=found["expert"], to_organisation_id=found["to_organisation"])
        if key in rows:
            rows[key]["waiting"] += found["n"]
    return sorted((_report_row(row) for row in rows.values()), key=lambda row: (-row["sent"], row["name"]))


def _report_row(row: dict) -> dict:
    if row["expert"]:
        row["name"] = row["expert__full_name"]
    else:
        english = (get_language() or "ar").startswith("en") and row["to_organisation__name_en"]
        row["name"] = row["to_organisation__name_en"] if english else row["to_organisation__name_ar"]
    row["open"] = row["sent"] - row["declined"] - row["completed"] - row["no_show"] - row["cancelled"]
    row["accept_rate"] = round(100 * row["accepted"] / row["sent"]) if row["sent"] else None
    row["completion_rate"] = round(100 * row["completed"] / row["accepted"]) if row["accepted"] else None
    median = histogram_median(row["accept_times"])
    row["median_accept"] = median
    row["median_accept_hours"] = round(median / 3600, 1) if median is not None else None
    row["median_accept_days"] = round(median / 86400, 1) if median is not None else None
    return row


# --- the shared snapshot, in words ----------------------------------------------------------------------------


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def shared_rows(shared: dict) -> list[dict]:
    """What was shared, as label / value lines in the reader's language (codes turned into words here)."""
    rows = []
    for name, label in Referral.SHAREABLE.items():
        if name not in shared:
            continue
        value = shared[name]
        ltr = name in ("phone", "email", "national_id")
        if name == "gender":
            value = _label(Person.Gender, value)
        elif name == "education":
            value = _label(Person.Education, value)
        elif name == "governorate":
            value = places.governorate_name(value) if value else ""
        elif name == "age":
            value = "" if value is None else str(value)
        elif name == "enterprise":
            value = _enterprise_words(value)
        elif name == "request":
            value = _request_words(value)
        rows.append({"name": name, "label": str(label), "value": value or "", "ltr": ltr})
    return rows


def _enterprise_words(value) -> str:
    if not value:
        return ""
    from shubbak.registry import isic

    parts = [
        value.get("name", ""),
        _label(Enterprise.Status, value.get("status")),
        _label(Enterprise.LegalForm, value.get("legal_form")),
        _label(Enterprise.Size, value.get("size")),
        isic.title(value.get("sector") or ""),
    ]
    if value.get("employees"):
        parts.append(_("%(count)s employees") % {"count": value["employees"]})
    return " · ".join(p for p in parts if p)


def _request_words(value) -> str:
    if not value:
        return ""
    return "\n".join(p for p in (value.get("subject", ""), value.get("description", "")) if p)


# --- the case timeline, in words ------------------------------------------------------------------------------


def describe_event(event: CaseEvent) -> str | None:
    """One line for a referral's entry on the case's timeline; None when the entry is not about a referral."""
    data = event.data or {}
    if event.kind != CaseEvent.Kind.SERVICE or "referral" not in data:
        return None
    words = {
        "sent": _("Referred to %(to)s"),
        "accept": _("%(to)s accepted the referral"),
        "decline": _("%(to)s declined the referral"),
        "start": _("%(to)s started the service"),
        "complete": _("%(to)s completed the service"),
        "no_show": _("%(to)s reports that the client did not come"),
        "cancel": _("The referral to %(to)s was cancelled"),
        "link_revoked": _("The link sent to %(to)s was withdrawn"),
        "link_renewed": _("A new link was sent to %(to)s"),
    }.get(data.get("action"), _("Referral changed"))
    line = words % {"to": data.get("to") or _("the receiver")}
    if data.get("via") == "link":
        line += " " + _("(through the signed link)")
    return line
