"""Every write of the referral workflow: send a case's requested service to a partner, an expert or another desk,
the receiver's answers (accept, decline, start, complete, no-show), the sender's cancel, the signed link's revocation
and renewal, and the daily reminder of unanswered referrals.

Each function checks the actor's right (actor None is the system, or a partner holding a valid signed link: the view
checked the link), validates, writes an audit entry in the same transaction, adds a line to the case's timeline and
notifies after commit. The outcome flows back to the case's requested service.
"""

import bisect
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shubbak.audit.services import audited_create, audited_update
from shubbak.helpdesk.models import Case, CaseEvent, CaseService
from shubbak.helpdesk.services import calendar_for
from shubbak.notifications.models import Notification
from shubbak.notifications.services import notify
from shubbak.organisations.models import Membership, Organisation
from shubbak.organisations.permissions import ACTIONS, access_for
from shubbak.registry.models import Consent

from .models import Expert, Offer, Referral, ReferralTally

Status = Referral.Status
Kind = Referral.Kind

DEFAULT_RESPONSE_DAYS = 3
DEFAULT_LINK_DAYS = 30
REMINDER_BATCH = 1000

# action → (statuses it may start from, status it leads to, who does it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "accept": ((Status.SENT,), Status.ACCEPTED, "receiver"),
    "decline": ((Status.SENT, Status.ACCEPTED), Status.DECLINED, "receiver"),
    "start": ((Status.ACCEPTED,), Status.IN_PROGRESS, "receiver"),
    "complete": ((Status.ACCEPTED, Status.IN_PROGRESS), Status.COMPLETED, "receiver"),
    "no_show": ((Status.ACCEPTED, Status.IN_PROGRESS), Status.NO_SHOW, "receiver"),
    "cancel": (tuple(Referral.OPEN_STATUSES), Status.CANCELLED, "sender"),
}
RECEIVER_ACTIONS = tuple(a for a, (_s, _t, side) in TRANSITIONS.items() if side == "receiver")
SENDER_ACTIONS = tuple(a for a, (_s, _t, side) in TRANSITIONS.items() if side == "sender")
# where the case's requested service goes when a referral ends this way
SERVICE_AFTER = {
    Status.COMPLETED: CaseService.Status.DELIVERED,
    Status.DECLINED: CaseService.Status.REQUESTED,
    Status.NO_SHOW: CaseService.Status.REQUESTED,
    Status.CANCELLED: CaseService.Status.REQUESTED,
}


def response_days() -> float:
    return getattr(settings, "REFERRAL_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS)


def link_days() -> int:
    return getattr(settings, "REFERRAL_LINK_DAYS", DEFAULT_LINK_DAYS)


# --- who is who -----------------------------------------------------------------------------------------------


def _require(actor, organisation_id: int, action: str) -> None:
    if actor is not None and not access_for(actor).can(organisation_id, action):
        raise PermissionDenied


def can_send(user, referral: Referral) -> bool:
    """The sending organisation's case workers may cancel, revoke and renew the link."""
    return access_for(user).can(referral.from_organisation_id, "work_cases")


def can_receive(user, referral: Referral) -> bool:
    """Who may answer a referral: the receiving organisation's staff, or the expert herself (or her roster's keepers)."""
    access = access_for(user)
    if referral.kind == Kind.EXPERT:
        expert = referral.expert
        return expert.user_id == getattr(user, "pk", None) or access.can(expert.organisation_id, "manage_experts")
    return referral.to_organisation_id is not None and access.can(referral.to_organisation_id, "receive_referrals")


def receivers(referral: Referral) -> list:
    """The accounts that receive a referral: the expert's own, or the receiving organisation's staff who may answer."""
    if referral.kind == Kind.EXPERT:
        user = referral.expert.user
        return [user] if user is not None and user.is_active else []
    roles = ACTIONS["receive_referrals"]
    memberships = Membership.objects.filter(
        organisation_id=referral.to_organisation_id, role__in=roles, is_active=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships]


def link_email(referral: Referral) -> str:
    """Where the signed link goes for a receiver without accounts: the expert, the offer's contact, the organisation."""
    if referral.kind == Kind.EXPERT:
        return referral.expert.email
    if referral.offer_id and referral.offer.contact_id and referral.offer.contact.email:
        return referral.offer.contact.email
    organisation = referral.to_organisation
    primary = organisation.contacts.exclude(email="").order_by("-is_primary", "id").first()
    return organisation.email or (primary.email if primary else "")


def _case_officers(referral: Referral) -> list:
    case = referral.case
    return [case.assigned_to or referral.created_by]


def referral_url(referral: Referral) -> str:
    return reverse("referral_detail", args=[referral.pk])


def _title(referral: Referral) -> str:
    """A notification's subject: the referral's number and service; never the client's name or the case's code."""
    return f"#{referral.pk} · {referral.case_service.service}"


# --- what is shared -------------------------------------------------------------------------------------------


def has_share_consent(person) -> bool:
    """The person agreed to share her identity with partners her case is referred to, and has not taken it back."""
    if person is None:
        return False
    return Consent.objects.filter(person=person, purpose=Consent.Purpose.SHARE, withdrawn_at__isnull=True).exists()


def shared_values(case: Case, case_service: CaseService, fields, today: datetime.date | None = None) -> dict:
    """The values of the chosen fields, computed from the case's person, enterprise and contact details.

    Choice fields keep their codes (the page shows them in the reader's language); empty when unknown.
    """
    today = today or timezone.localdate()
    person, enterprise = case.person, case.enterprise
    values = {}
    for name in fields:
        if name == "name":
            values[name] = person.full_name if person else case.contact_name
        elif name == "phone":
            values[name] = (person.phone if person else "") or case.contact_phone
        elif name == "email":
            values[name] = (person.email if person else "") or case.contact_email
        elif name == "national_id":
            values[name] = person.national_id if person else ""
        elif name == "gender":
            values[name] = person.gender if person else ""
        elif name == "age":
            values[name] = person.age_on(today) if person else None
        elif name == "governorate":
            values[name] = (person.governorate if person else "") or (enterprise.governorate if enterprise else "")
        elif name == "education":
            values[name] = person.education if person else ""
        elif name == "enterprise":
            values[name] = (
                {
                    "name": enterprise.name_ar,
                    "status": enterprise.status,
                    "legal_form": enterprise.legal_form,
                    "sector": enterprise.isic_section,
                    "size": enterprise.size_class,
                    "employees": enterprise.employees,
                }
                if enterprise
                else None
            )
        elif name == "request":
            values[name] = {
                "service": case_service.service.name_ar,
                "subject": case.subject,
                "description": case.description,
            }
    return values


def _check_shared(case: Case, shared_fields) -> list[str]:
    chosen = list(dict.fromkeys(shared_fields or ()))
    if not chosen:
        raise ValidationError({"shared_fields": _("Tick at least one thing the receiver needs to know about the client.")})
    unknown = [name for name in chosen if name not in Referral.SHAREABLE]
    if unknown:
        raise ValidationError({"shared_fields": _("These cannot be shared: %(names)s.") % {"names": ", ".join(unknown)}})
    identity = [name for name in chosen if name in Referral.IDENTITY]
    if identity and not has_share_consent(case.person):
        if case.person_id is None:
            message = _(
                "The client's name and contact details can only be shared with her consent: link the case to her record in "
                "the registry and record her consent to share, or untick them."
            )
        else:
            message = _(
                "The client has not agreed to share her identity with partners: record her consent to share, or untick her "
                "name, phone, e-mail and ID number."
            )
        raise ValidationError({"shared_fields": message}, code="no_consent")
    return [name for name in Referral.SHAREABLE if name in chosen]  # in the usual order


# --- the running counts of the funnel report ------------------------------------------------------------------


def _accept_bounds() -> tuple[int, ...]:
    """Bucket bounds of the times to accept, in seconds: 0, then 10 minutes growing by a fifth up to 90 days."""
    bounds, edge = [0], 600.0
    while edge < 90 * 86400:
        bounds.append(round(edge))
        edge *= 1.2
    return tuple(bounds)


ACCEPT_BOUNDS = _accept_bounds()  # bucket k holds times in [ACCEPT_BOUNDS[k], ACCEPT_BOUNDS[k + 1]); the last is open


def accept_bucket(seconds: float) -> int:
    return max(0, bisect.bisect_right(ACCEPT_BOUNDS, seconds) - 1)


def histogram_median(counts) -> float | None:
    """The median (seconds) of the times counted per bucket, interpolated in its bucket: within a tenth of the true one
    (five minutes in the first bucket, under ten minutes)."""
    counts = list(counts)[: len(ACCEPT_BOUNDS)]
    total = sum(counts)
    if not total:
        return None
    half, before = total / 2, 0
    for k, count in enumerate(counts):
        if count and before + count >= half:
            low = ACCEPT_BOUNDS[k]
            high = ACCEPT_BOUNDS[k + 1] if k + 1 < len(ACCEPT_BOUNDS) else low
            return low + (high - low) * (half - before) / count
        before += count
    return None


def receiver_key(*, expert_id: int | None, to_organisation_id: int | None) -> str:
    return f"e:{expert_id}" if expert_id else f"o:{to_organisation_id}"


def _tally(referral: Referral, accept_seconds: float | None = None, **increments: int) -> None:
    """Add to the running counts of the sender's referrals to this receiver (the row is locked until commit)."""
    key = receiver_key(expert_id=referral.expert_id, to_organisation_id=referral.to_organisation_id)
    found = ReferralTally.objects.select_for_update().filter(from_organisation_id=referral.from_organisation_id, receiver=key)
    tally = found.first()
    if tally is None:
        try:
            with transaction.atomic():
                tally = ReferralTally.objects.create(
                    from_organisation_id=referral.from_organisation_id,
                    receiver=key,
                    kind=referral.kind,
                    to_organisation_id=referral.to_organisation_id,
                    expert_id=referral.expert_id,
                    accept_times=[0] * len(ACCEPT_BOUNDS),
                )
        except IntegrityError:  # made at the same moment by another referral to the same receiver
            tally = found.get()
    fields = list(increments)
    for name, count in increments.items():
        setattr(tally, name, getattr(tally, name) + count)
    if accept_seconds is not None:
        times = list(tally.accept_times) + [0] * (len(ACCEPT_BOUNDS) - len(tally.accept_times))
        times[accept_bucket(accept_seconds)] += 1
        tally.accept_times = times
        fields.append("accept_times")
    tally.save(update_fields=fields)


TALLIED = {
    "accept": "accepted",
    "decline": "declined",
    "complete": "completed",
    "no_show": "no_show",
    "cancel": "cancelled",
}


def referral_tallies_rebuild(*, organisation_ids=None) -> int:
    """Count again, from the referrals themselves, the running counts of these sending organisations (all when None).

    For data written around the services (imports, generated benchmark data) or after a repair. Returns the rows made.
    """
    referrals = Referral.objects.all() if organisation_ids is None else Referral.objects.filter(from_organisation__in=organisation_ids)
    tallies: dict[tuple[int, str], ReferralTally] = {}

    def tally_of(from_id, kind, to_id, expert_id) -> ReferralTally:
        key = (from_id, receiver_key(expert_id=expert_id, to_organisation_id=to_id))
        if key not in tallies:
            tallies[key] = ReferralTally(
                from_organisation_id=from_id,
                receiver=key[1],
                kind=kind,
                to_organisation_id=to_id,
                expert_id=expert_id,
                accept_times=[0] * len(ACCEPT_BOUNDS),
            )
        return tallies[key]

    finished = {Status.DECLINED: "declined", Status.COMPLETED: "completed", Status.NO_SHOW: "no_show", Status.CANCELLED: "cancelled"}
    counted = referrals.order_by().values("from_organisation", "kind", "to_organisation", "expert", "status").annotate(n=Count("id"))
    for row in counted:
        tally = tally_of(row["from_organisation"], row["kind"], row["to_organisation"], row["expert"])
        tally.sent += row["n"]
        if name := finished.get(row["status"]):
            setattr(tally, name, getattr(tally, name) + row["n"])
    accepted = (
        referrals.filter(accepted_at__isnull=False)
        .order_by()
        .values_list("from_organisation", "kind", "to_organisation", "expert", "sent_at", "accepted_at")
    )
    for from_id, kind, to_id, expert_id, sent_at, accepted_at in accepted.iterator(chunk_size=20_000):
        tally = tally_of(from_id, kind, to_id, expert_id)
        tally.accepted += 1
        tally.accept_times[accept_bucket((accepted_at - sent_at).total_seconds())] += 1
    with transaction.atomic():
        stale = ReferralTally.objects.all()
        if organisation_ids is not None:
            stale = stale.filter(from_organisation__in=organisation_ids)
        stale.delete()
        ReferralTally.objects.bulk_create(tallies.values(), batch_size=2000)
    return len(tallies)


# --- sending --------------------------------------------------------------------------------------------------


def _check_receiver(case: Case, case_service: CaseService, kind: str, to_organisation, offer, expert):
    """The receiver, checked: an organisation or an expert of the case's network. Returns (to_organisation, offer, expert)."""
    network_id = case.organisation.network_id
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose whom to refer to: a partner, an expert or another desk.")})
    if kind == Kind.EXPERT:
        if expert is None:
            raise ValidationError({"expert": _("Choose the expert.")})
        if expert.network_id != network_id or expert.vetting != Expert.Vetting.VETTED:
            raise ValidationError({"expert": _("Choose a vetted expert of this network's roster.")})
        return None, None, expert
    if offer is not None:
        if offer.service_id != case_service.service_id or not offer.is_active:
            raise ValidationError({"offer": _("This offer is not an active offer of the requested service.")})
        if to_organisation is not None and to_organisation.pk != offer.organisation_id:
            raise ValidationError({"offer": _("This offer belongs to another partner.")})
        to_organisation = offer.organisation
    if to_organisation is None:
        raise ValidationError({"to_organisation": _("Choose the organisation to refer to.")})
    if to_organisation.network_id != network_id or not to_organisation.is_active:
        raise ValidationError({"to_organisation": _("Choose an active organisation of this network.")})
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_organisation": _("A referral goes to another organisation; deliver the service in house instead.")})
    if kind == Kind.DESK and not to_organisation.desks.filter(is_active=True).exists():
        raise ValidationError({"to_organisation": _("This organisation has no open desk to take the client.")})
    return to_organisation, (offer if kind == Kind.PARTNER else None), None


def _event(referral: Referral, actor, action: str, text: str = "", **data) -> CaseEvent:
    """A line on the case's timeline (kind «service», with the referral's id and what happened)."""
    return CaseEvent.objects.create(
        case_id=referral.case_id,
        kind=CaseEvent.Kind.SERVICE,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        text=text,
        data={"referral": referral.pk, "action": action, "service": referral.case_service.service_id, "status": referral.status, **data},
    )


def _service_status(actor, referral: Referral, status: str, delivery: str | None = None) -> None:
    case_service = CaseService.objects.select_for_update(of=("self",)).select_related("service").get(pk=referral.case_service_id)
    data = {"status": status}
    if delivery:
        data["delivery"] = delivery
    audited_update(actor=actor, instance=case_service, data=data, organisation=referral.from_organisation)
    referral.case_service = case_service


def _email_link(referral: Referral, email: str, reminder: bool = False) -> None:
    from .tasks import email_referral_link

    pk = referral.pk
    transaction.on_commit(lambda: email_referral_link(pk, email, reminder))


@transaction.atomic
def referral_send(
    *,
    actor,
    case_service: CaseService,
    kind: str,
    to_organisation: Organisation | None = None,
    offer: Offer | None = None,
    expert: Expert | None = None,
    shared_fields,
    note: str = "",
) -> Referral:
    """Refer a case's requested service to a partner, an expert or another desk, sharing only the chosen fields.

    Identity (name, phone, e-mail, ID number) needs the client's consent to share; what is shared is frozen as it was
    when sent. The receiver is told (in the app and by e-mail; by a signed link when it has no accounts).
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("organisation", "person", "enterprise").get(pk=case_service.case_id)
    _require(actor, case.organisation_id, "work_cases")
    case_service = CaseService.objects.select_for_update(of=("self",)).select_related("service").get(pk=case_service.pk, case=case)
    if not case.is_open:
        raise ValidationError(_("This case is closed: reopen it before referring the client."))
    if case_service.status in (CaseService.Status.DELIVERED, CaseService.Status.NOT_DELIVERED):
        raise ValidationError(_("This service is already finished for this case."))
    if case_service.referrals.filter(status__in=Referral.OPEN_STATUSES).exists():
        raise ValidationError(_("This service already has an open referral: wait for its answer or cancel it first."))
    to_organisation, offer, expert = _check_receiver(case, case_service, kind, to_organisation, offer, expert)
    fields = _check_shared(case, shared_fields)
    now = timezone.now()
    referral = Referral(
        case=case,
        case_service=case_service,
        from_organisation=case.organisation,
        kind=kind,
        to_organisation=to_organisation,
        offer=offer,
        expert=expert,
        shared_fields=fields,
        shared=shared_values(case, case_service, fields, timezone.localdate(now)),
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        respond_by=calendar_for(case.organisation).add_working_days(now, response_days()),
        link_expires_at=now + datetime.timedelta(days=link_days()),
    )
    audited_create(actor=actor, instance=referral, organisation=case.organisation)
    delivery = CaseService.Delivery.EXPERT if kind == Kind.EXPERT else CaseService.Delivery.PARTNER
    _service_status(actor, referral, CaseService.Status.IN_PROGRESS, delivery)
    _event(referral, actor, "sent", referral.note, to=referral.receiver_name, kind=kind)
    _tally(referral, sent=1)
    accounts = receivers(referral)
    if accounts:
        notify(accounts, kind=Notification.Kind.REFERRAL_RECEIVED, title=_title(referral), url=referral_url(referral))
    elif email := link_email(referral):
        _email_link(referral, email)
    return referral


# --- the receiver's answers and the sender's cancel -------------------------------------------------------------


def allowed_actions(referral: Referral, side: str) -> list[str]:
    """The actions one side may take on the referral now."""
    return [action for action, (sources, _target, who) in TRANSITIONS.items() if who == side and referral.status in sources]


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "case_service__service", "from_organisation", "to_organisation", "expert", "created_by")
        .get(pk=referral.pk)
    )


def _check_text(action: str, text: str) -> str:
    text = (text or "").strip()
    if action == "decline" and not text:
        raise ValidationError({"text": _("Say why the referral is declined: the desk will look for another way.")})
    if action == "complete" and not text:
        raise ValidationError({"text": _("Say what was done for the client.")})
    return text[:4000]


@transaction.atomic
def referral_transition(
    *, actor, referral: Referral, action: str, text: str = "", via_link: bool = False, assignment: dict | None = None
) -> Referral:
    """Move a referral: accept, decline (with a reason), start, complete (with the outcome), no_show — by the receiver;
    cancel — by the sender. The dates are kept, the case's timeline and requested service follow, the other side hears.

    An expert accepting may give `assignment` (scope, expected_days, fee, deliverables): her assignment opens with it."""
    if action not in TRANSITIONS:
        raise ValidationError(_("This action is not known."), code="unknown_action")
    sources, target, side = TRANSITIONS[action]
    referral = _locked(referral)
    if actor is not None:
        allowed = can_receive(actor, referral) if side == "receiver" else can_send(actor, referral)
        if not allowed:
            raise PermissionDenied
    elif via_link and side != "receiver":
        raise PermissionDenied
    if referral.status not in sources:
        raise ValidationError(
            _("A referral that is «%(status)s» cannot be moved this way.") % {"status": referral.get_status_display()},
            code="invalid_transition",
        )
    text = _check_text(action, text)
    now = timezone.now()
    data: dict = {"status": target}
    if action == "accept":
        data["accepted_at"] = now
    elif action == "decline":
        data.update(declined_at=now, decline_reason=text)
    elif action == "start":
        data["started_at"] = now
    elif action in ("complete", "no_show", "cancel"):
        data["finished_at"] = now
        if action == "complete" and referral.started_at is None:
            data["started_at"] = now
        if text and action != "cancel":
            data["outcome_note"] = text
    audited_update(actor=actor, instance=referral, data=data, organisation=referral.from_organisation)
    if action in TALLIED:
        seconds = (now - referral.sent_at).total_seconds() if action == "accept" else None
        _tally(referral, accept_seconds=seconds, **{TALLIED[action]: 1})
    if target in SERVICE_AFTER:
        _service_status(actor, referral, SERVICE_AFTER[target])
    extra = {"via": "link"} if via_link else {}
    _event(referral, actor, action, text, to=referral.receiver_name, **extra)
    if action == "accept" and referral.kind == Kind.EXPERT and assignment:
        _assignment_open(actor, referral, assignment)
    title, url = _title(referral), referral_url(referral)
    if side == "receiver":
        notify(_case_officers(referral), kind=Notification.Kind.REFERRAL_UPDATED, title=title, url=url)
    else:
        notify(receivers(referral), kind=Notification.Kind.REFERRAL_UPDATED, title=title, url=url)
    return referral


def _assignment_open(actor, referral: Referral, assignment: dict) -> None:
    """An expert who accepts also says the scope and the days it takes: her assignment opens (the roster's service)."""
    from . import experts

    experts.assignment_create(actor=actor, referral=referral, **assignment)


def referral_accept(*, actor, referral: Referral, via_link: bool = False, assignment: dict | None = None) -> Referral:
    return referral_transition(actor=actor, referral=referral, action="accept", via_link=via_link, assignment=assignment)


def referral_decline(*, actor, referral: Referral, reason: str, via_link: bool = False) -> Referral:
    return referral_transition(actor=actor, referral=referral, action="decline", text=reason, via_link=via_link)


def referral_start(*, actor, referral: Referral, via_link: bool = False) -> Referral:
    return referral_transition(actor=actor, referral=referral, action="start", via_link=via_link)


def referral_complete(*, actor, referral: Referral, outcome_note: str, via_link: bool = False) -> Referral:
    return referral_transition(actor=actor, referral=referral, action="complete", text=outcome_note, via_link=via_link)


def referral_no_show(*, actor, referral: Referral, note: str = "", via_link: bool = False) -> Referral:
    return referral_transition(actor=actor, referral=referral, action="no_show", text=note, via_link=via_link)


def referral_cancel(*, actor, referral: Referral, reason: str = "") -> Referral:
    return referral_transition(actor=actor, referral=referral, action="cancel", text=reason)


# --- the signed link ------------------------------------------------------------------------------------------


@transaction.atomic
def referral_link_revoke(*, actor, referral: Referral) -> Referral:
    """Stop the signed link from working (e.g. sent to the wrong address); a new one can be sent later."""
    referral = _locked(referral)
    if actor is not None and not can_send(actor, referral):
        raise PermissionDenied
    if referral.link_revoked_at is None:
        audited_update(actor=actor, instance=referral, data={"link_revoked_at": timezone.now()}, organisation=referral.from_organisation)
        _event(referral, actor, "link_revoked")
    return referral


@transaction.atomic
def referral_link_renew(*, actor, referral: Referral, send_email: bool = True) -> tuple[Referral, str]:
    """A new signed link: older links stop working at once; it is e-mailed to the receiver when there is an address.

    Returns the referral and the new link's token (the page shows it once, to be sent by SMS if need be)."""
    from . import links

    referral = _locked(referral)
    if actor is not None and not can_send(actor, referral):
        raise PermissionDenied
    if not referral.is_open:
        raise ValidationError(_("This referral is closed: its link cannot be renewed."))
    data = {
        "link_key": links.new_key(),
        "link_revoked_at": None,
        "link_expires_at": timezone.now() + datetime.timedelta(days=link_days()),
    }
    audited_update(actor=actor, instance=referral, data=data, organisation=referral.from_organisation)
    email = link_email(referral) if send_email else ""
    _event(referral, actor, "link_renewed", sent_to=email)
    if email:
        _email_link(referral, email)
    return referral, links.referral_token(referral)


# --- reminders ------------------------------------------------------------------------------------------------


def waiting_q(now=None) -> Q:
    """Referrals waiting too long: sent, and not answered by the date expected."""
    return Q(status=Status.SENT, respond_by__lt=now or timezone.now())


def referrals_remind(now=None) -> int:
    """Remind receivers of referrals unanswered after their date, and tell the senders; once a working day at most.

    Run every hour by the job worker (see tasks.py); safe to run twice. Returns how many referrals were reminded.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    not_today = Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day)
    waiting = (
        Referral.objects.filter(waiting_q(now))
        .filter(not_today)
        .select_related("case__assigned_to", "case_service__service", "from_organisation", "to_organisation", "expert__user", "offer")
        .select_related("created_by")
        .order_by("respond_by")[:REMINDER_BATCH]
    )
    reminded = 0
    for referral in waiting:
        calendar = calendar_for(referral.to_organisation or referral.from_organisation)
        if not calendar.is_working_day(today):
            continue
        with transaction.atomic():
            if not Referral.objects.filter(pk=referral.pk, status=Status.SENT).filter(not_today).update(reminded_at=now):
                continue  # answered, or reminded by another run, in the meantime
            title, url = _title(referral), referral_url(referral)
            accounts = receivers(referral)
            if accounts:
                notify(accounts, kind=Notification.Kind.REFERRAL_WAITING, title=title, url=url)
            elif email := link_email(referral):
                _email_link(referral, email, reminder=True)
            notify(_case_officers(referral), kind=Notification.Kind.REFERRAL_WAITING, title=title, url=url)
            reminded += 1
    return reminded
