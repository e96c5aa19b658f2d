"""Writes of the expert roster and of expert assignments: experts, their vetting, CVs and accounts; assignments,
timesheets and their approval, and the rating when an assignment closes.

Each function checks the actor's right (actor None is the system: commands, jobs, demo data), validates, writes its
audit entry in the same transaction and notifies after commit. Reads are in expert_selectors.py.
"""

import datetime
import secrets
import zipfile
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shubbak import places
from shubbak.accounts.models import User
from shubbak.accounts.services import user_create
from shubbak.arabic import normalise
from shubbak.audit.models import AuditEntry
from shubbak.audit.services import audit_record, audited_create, audited_delete, audited_update, diff, snapshot
from shubbak.helpdesk.models import Service
from shubbak.notifications.models import Notification
from shubbak.notifications.services import notify
from shubbak.organisations.models import Membership, Organisation
from shubbak.organisations.permissions import access_for, forget_access
from shubbak.organisations.tasks import send_welcome_email
from shubbak.phones import search_forms, to_e164

from .models import Assignment, Expert, Referral, Timesheet

Role = Membership.Role

# The languages an expert may work in, stored as codes ("ar,en"): the same in every interface language.
LANGUAGES = {
    "ar": gettext_lazy("Arabic"),
    "en": gettext_lazy("English"),
    "fr": gettext_lazy("French"),
    "tr": gettext_lazy("Turkish"),
    "de": gettext_lazy("German"),
    "he": gettext_lazy("Hebrew"),
    "ru": gettext_lazy("Russian"),
    "es": gettext_lazy("Spanish"),
}
# Both names go into the search text, whatever the language of the page that saved the expert.
LANGUAGE_SEARCH_NAMES = {
    "ar": ("العربية", "Arabic"),
    "en": ("الإنجليزية", "English"),
    "fr": ("الفرنسية", "French"),
    "tr": ("التركية", "Turkish"),
    "de": ("الألمانية", "German"),
    "he": ("العبرية", "Hebrew"),
    "ru": ("الروسية", "Russian"),
    "es": ("الإسبانية", "Spanish"),
}

EXPERT_FIELDS = (
    "full_name",
    "gender",
    "phone",
    "email",
    "qualifications",
    "languages",
    "governorates",
    "daily_rate",
    "currency",
    "availability",
)
ASSIGNMENT_FIELDS = ("scope", "expected_days", "fee", "currency", "deliverables")

CV_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
}
MAX_CV_BYTES = 5 * 1024 * 1024
HALF_DAY, WHOLE_DAY = Decimal("0.5"), Decimal("1")


class DaysOverExpected(ValidationError):
    """Recording this day would pass the assignment's expected days: allowed only once the recorder confirms."""

    def __init__(self, *, recorded: Decimal, expected: Decimal, days: Decimal):
        self.recorded, self.expected, self.days = recorded, expected, days
        message = _(
            "With this day, %(total)s days would be recorded, more than the %(expected)s expected. Confirm to record it anyway."
        ) % {"total": days_text(recorded + days), "expected": days_text(expected)}
        super().__init__({"days": [ValidationError(message, code="over_expected")]})


def days_text(value) -> str:
    """A number of days as people write it: 3, 2.5 (never 3.0 or 1E+1)."""
    return format(Decimal(value).normalize(), "f")


# --- rights ----------------------------------------------------------------------------------------------------


def can_manage(user, organisation_id: int) -> bool:
    """True when the user keeps this organisation's roster and approves its assignments (manage_experts)."""
    return access_for(user).can(organisation_id, "manage_experts")


def _require(actor, organisation_id: int) -> None:
    if actor is not None and not can_manage(actor, organisation_id):
        raise PermissionDenied


def is_the_expert(actor, expert: Expert) -> bool:
    return actor is not None and expert.user_id is not None and expert.user_id == actor.pk


def _require_recorder(actor, assignment: Assignment) -> None:
    """Days are recorded by the expert herself, or by the coordinator on her behalf (experts without an account)."""
    if actor is not None and not (is_the_expert(actor, assignment.expert) or can_manage(actor, assignment.organisation_id)):
        raise PermissionDenied


def _coordinators(organisation_id: int) -> list[User]:
    memberships = Membership.objects.filter(
        organisation_id=organisation_id, role__in=[Role.COORDINATOR, Role.ORG_ADMIN], is_active=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships]


def portal_url(assignment: Assignment) -> str:
    return reverse("portal_assignment", args=[assignment.pk])


def assignment_url(assignment: Assignment) -> str:
    return reverse("assignment_detail", args=[assignment.pk])


# --- the roster ------------------------------------------------------------------------------------------------


def language_codes(value) -> list[str]:
    """Language codes from a list or from stored text ("ar,en"), in the roster's order."""
    if isinstance(value, str):
        value = value.split(",")
    wanted = {str(v).strip() for v in value or () if str(v).strip()}
    return [code for code in LANGUAGES if code in wanted] + sorted(wanted - set(LANGUAGES))


def expert_search_text(expert: Expert, specialisations) -> str:
    """Everything one may type to find an expert, normalised: name, phone, e-mail, services, languages, qualifications."""
    parts = [expert.full_name, expert.email, expert.qualifications]
    parts.extend(search_forms(expert.phone))
    for code in language_codes(expert.languages):
        parts.extend(LANGUAGE_SEARCH_NAMES.get(code, ()))
    for service in specialisations:
        parts += [service.name_ar, service.name_en]
    for code in expert.governorates or ():
        parts.append(places.GOVERNORATES_AR.get(code, ""))
    return normalise(" ".join(p for p in parts if p))


def _coerce_decimal(value, field: str, errors: dict):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789.")))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None


def _prepare(expert: Expert, specialisations: list[Service]) -> None:
    """Normalise what people type (phone, e-mail, languages, governorates), check it, rebuild the search text."""
    errors: dict[str, list[str]] = {}
    country = expert.organisation.country
    expert.full_name = " ".join((expert.full_name or "").split())
    try:
        expert.phone = to_e164(expert.phone, country)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    expert.email = (expert.email or "").strip().lower()
    codes = language_codes(expert.languages)
    if unknown := [c for c in codes if c not in LANGUAGES]:
        errors["languages"] = [_("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}]
    expert.languages = ",".join(codes)
    governorates = expert.governorates if isinstance(expert.governorates, list | tuple) else [expert.governorates]
    governorates = list(dict.fromkeys(g for g in governorates if g))
    if [g for g in governorates if not places.governorate_in_country(g, country)]:
        errors["governorates"] = [_("Choose governorates of the country of the organisation that keeps the roster.")]
    expert.governorates = governorates
    expert.daily_rate = _coerce_decimal(expert.daily_rate, "daily_rate", errors)
    if expert.daily_rate is not None and expert.daily_rate < 0:
        errors["daily_rate"] = [_("The daily rate cannot be negative.")]
    if any(s.network_id != expert.network_id for s in specialisations):
        errors["specialisations"] = [_("Choose services of this network's catalogue.")]
    if errors:
        raise ValidationError(errors)
    expert.search_text = expert_search_text(expert, specialisations)


def _service_names(services) -> list[str]:
    return sorted(s.name_ar for s in services)


@transaction.atomic
def expert_save(*, actor, data: dict, organisation: Organisation | None = None, expert: Expert | None = None) -> Expert:
    """Add an expert to the roster `organisation` keeps, or change `expert`; `data["specialisations"]` (services) is optional."""
    if expert is None:
        _require(actor, organisation.pk)
        current = Expert(network_id=organisation.network_id, organisation=organisation)
        before, services_before = {}, []
    else:
        current = Expert.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=expert.pk)
        _require(actor, current.organisation_id)
        before, services_before = snapshot(current), list(current.specialisations.all())
    specialisations = data.get("specialisations")
    specialisations = services_before if specialisations is None else list(specialisations)
    raw_before = {f.attname: f.value_from_object(current) for f in Expert._meta.concrete_fields}
    for name in EXPERT_FIELDS:
        if name in data:
            value = data[name]
            if value is None and name != "daily_rate":
                value = [] if name == "governorates" else ""
            setattr(current, name, value)
    _prepare(current, specialisations)
    current.full_clean(exclude=["search_text"])
    created = current.pk is None
    if created:
        current.save(force_insert=True)
    else:
        touched = [f.name for f in Expert._meta.concrete_fields if f.value_from_object(current) != raw_before[f.attname]]
        if touched:
            current.save(update_fields=touched)
    changes = diff(before, snapshot(current))
    if {s.pk for s in specialisations} != {s.pk for s in services_before}:
        current.specialisations.set(specialisations)
        changes["specialisations"] = [_service_names(services_before), _service_names(specialisations)]
    if created or changes:
        action = AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE
        audit_record(actor=actor, action=action, target=current, organisation=current.organisation, changes=changes)
    return current


@transaction.atomic
def expert_vet(*, actor, expert: Expert, vetting: str, note: str = "") -> Expert:
    """Record the vetting decision (vetted, not accepted, suspended, back to pending) with what was checked."""
    expert = Expert.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=expert.pk)
    _require(actor, expert.organisation_id)
    if is_the_expert(actor, expert):
        raise ValidationError(_("You cannot decide your own vetting."))
    if vetting not in Expert.Vetting.values:
        raise ValidationError({"vetting": _("Choose a vetting decision from the list.")})
    note = (note or "").strip()
    if vetting in (Expert.Vetting.REJECTED, Expert.Vetting.SUSPENDED) and not note:
        raise ValidationError({"note": _("Say why: the expert's record keeps the reason.")})
    data = {"vetting": vetting, "vetting_note": note, "vetted_at": timezone.now(), "vetted_by": actor}
    if vetting == Expert.Vetting.PENDING:
        data.update(vetted_at=None, vetted_by=None)
    return audited_update(actor=actor, instance=expert, data=data, organisation=expert.organisation)


def check_cv(upload) -> tuple[str, str]:
    """The CV's extension and type when it is a real PDF or Word (DOCX) file of at most 5 MB; else a clear error."""
    name = upload.name or ""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CV_TYPES:
        raise ValidationError({"cv": _("Upload the CV as a PDF or a Word (DOCX) file.")})
    if upload.size > MAX_CV_BYTES:
        raise ValidationError({"cv": _("The file is larger than 5 MB.")})
    if upload.size == 0:
        raise ValidationError({"cv": _("The file is empty.")})
    content_type, magic = CV_TYPES[extension]
    not_real = ValidationError(
        {"cv": _("This file is not what its name says: it is not a real %(kind)s file.") % {"kind": extension[1:].upper()}}
    )
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise not_real
    if extension == ".docx":  # any zip starts with PK: a Word document has its main part inside
        try:
            with zipfile.ZipFile(upload) as archive:
                is_word = "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            is_word = False
        finally:
            upload.seek(0)
        if not is_word:
            raise not_real
    return extension, content_type


def _delete_file_after_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def expert_cv_upload(*, actor, expert: Expert, upload) -> Expert:
    """Keep the expert's CV (replacing the previous one), stored outside the web root under a random name."""
    expert = Expert.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=expert.pk)
    _require(actor, expert.organisation_id)
    extension, _content_type = check_cv(upload)
    previous = expert.cv.name
    expert.cv.save(f"{secrets.token_hex(16)}{extension}", upload, save=False)
    try:
        expert.save(update_fields=["cv"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=expert,
            organisation=expert.organisation,
            changes={"cv": [previous, expert.cv.name]},
        )
    except Exception:
        expert.cv.storage.delete(expert.cv.name)
        raise
    _delete_file_after_commit(expert.cv.storage, previous)
    return expert


@transaction.atomic
def expert_cv_remove(*, actor, expert: Expert) -> Expert:
    """Remove the expert's CV."""
    expert = Expert.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=expert.pk)
    _require(actor, expert.organisation_id)
    previous = expert.cv.name
    if not previous:
        return expert
    storage = expert.cv.storage
    expert.cv = ""
    expert.save(update_fields=["cv"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, target=expert, organisation=expert.organisation, changes={"cv": [previous, ""]}
    )
    _delete_file_after_commit(storage, previous)
    return expert


@transaction.atomic
def expert_invite(*, actor, expert: Expert) -> User:
    """Give the expert an account (or link the one her e-mail has) with an expert's role, so she sees her assignments."""
    expert = Expert.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=expert.pk)
    _require(actor, expert.organisation_id)
    if expert.user_id:
        raise ValidationError(_("This expert already has an account."))
    if not expert.email:
        raise ValidationError({"email": _("Add the expert's e-mail address first: the invitation is sent there.")})
    user = User.objects.filter(email__iexact=expert.email).first()
    new_account = user is None
    if user is not None and Expert.objects.filter(user=user).exists():
        raise ValidationError({"email": _("This e-mail address already belongs to another expert's account.")})
    if new_account:
        user = user_create(actor=actor, email=expert.email, full_name=expert.full_name, phone=expert.phone)
    organisation = expert.organisation
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        audited_create(actor=actor, instance=Membership(user=user, organisation=organisation, role=Role.EXPERT), organisation=organisation)
    audited_update(actor=actor, instance=expert, data={"user": user}, organisation=organisation)
    forget_access(user)
    if new_account:
        transaction.on_commit(lambda: send_welcome_email(user.pk, organisation.pk))
    return user


# --- assignments -----------------------------------------------------------------------------------------------


def _check_days_and_fee(values: dict, errors: dict) -> None:
    days = _coerce_decimal(values.get("expected_days"), "expected_days", errors)
    if "expected_days" not in errors:
        if days is None or days < HALF_DAY or (days * 2) != (days * 2).to_integral_value():
            errors["expected_days"] = [_("Count the expected days in half days: 0.5, 1, 1.5 …")]
        values["expected_days"] = days
    fee = _coerce_decimal(values.get("fee"), "fee", errors)
    if fee is not None and fee < 0:
        errors["fee"] = [_("The fee cannot be negative.")]
    values["fee"] = fee


@transaction.atomic
def assignment_create(
    *,
    actor,
    referral: Referral,
    scope: str,
    expected_days,
    fee=None,
    currency: str = "",
    deliverables: str = "",
) -> Assignment:
    """Engage the expert of an expert referral: scope, expected days, fee (rate × days if not given), deliverables.

    Called when the expert accepts the referral (actor: the expert, or the keeper of her roster answering for her),
    or by the coordinator of the referring organisation (manage_experts); the expert must be vetted.
    """
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("expert", "from_organisation", "case_service__service")
        .get(pk=referral.pk)
    )
    expert = referral.expert
    allowed = actor is None or can_manage(actor, referral.from_organisation_id)
    if not allowed and expert is not None:
        allowed = is_the_expert(actor, expert) or can_manage(actor, expert.organisation_id)
    if not allowed:
        raise PermissionDenied
    if referral.kind != Referral.Kind.EXPERT or expert is None:
        raise ValidationError(_("Only a referral to an expert can become an assignment."))
    if Assignment.objects.filter(referral=referral).exists():
        raise ValidationError(_("This referral already has an assignment."))
    if referral.status not in Referral.OPEN_STATUSES:
        raise ValidationError(
            _("This referral is «%(status)s»: it can no longer become an assignment.") % {"status": referral.get_status_display()}
        )
    if expert.vetting != Expert.Vetting.VETTED:
        raise ValidationError(
            _("Only a vetted expert can take an assignment; this expert is «%(vetting)s».") % {"vetting": expert.get_vetting_display()}
        )
    if expert.network_id != referral.from_organisation.network_id:
        raise ValidationError(_("This expert is on another network's roster."))
    values = {"expected_days": expected_days, "fee": fee}
    errors: dict = {}
    _check_days_and_fee(values, errors)
    if errors:
        raise ValidationError(errors)
    fee, currency = values["fee"], currency or ""
    if fee is None and expert.daily_rate is not None:
        fee, currency = (expert.daily_rate * values["expected_days"]).quantize(Decimal("0.01")), expert.currency
    assignment = Assignment(
        referral=referral,
        expert=expert,
        organisation=referral.from_organisation,
        scope=(scope or "").strip(),
        expected_days=values["expected_days"],
        fee=fee,
        currency=currency or expert.currency,
        deliverables=(deliverables or "").strip(),
    )
    audited_create(actor=actor, instance=assignment, organisation=assignment.organisation)
    title = f"{referral.case_service.service} · {referral.from_organisation}"
    notify(
        [expert.user] if expert.user_id and not is_the_expert(actor, expert) else [],
        kind=Notification.Kind.ASSIGNMENT,
        title=title,
        url=portal_url(assignment),
    )
    return assignment


def _locked_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("expert__user", "organisation", "referral", "referral__case_service__service")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def assignment_update(*, actor, assignment: Assignment, data: dict) -> Assignment:
    """Change an open assignment's scope, expected days, fee or deliverables (the coordinator)."""
    assignment = _locked_assignment(assignment)
    _require(actor, assignment.organisation_id)
    if assignment.status == Assignment.Status.CLOSED:
        raise ValidationError(_("This assignment is closed."))
    values = {"expected_days": assignment.expected_days, "fee": assignment.fee}
    values |= {name: data[name] for name in ASSIGNMENT_FIELDS if name in data}
    errors: dict = {}
    _check_days_and_fee(values, errors)
    if errors:
        raise ValidationError(errors)
    for text in ("scope", "deliverables"):
        if text in values:
            values[text] = (values[text] or "").strip()
    return audited_update(actor=actor, instance=assignment, data=values, organisation=assignment.organisation)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"date": _("Enter a valid date.")}) from None


@transaction.atomic
def timesheet_add(*, actor, assignment: Assignment, date, days, work: str, deliverable: str = "", confirm_over: bool = False) -> Timesheet:
    """Record a day (or half a day) worked: not in the future, not before the referral, not twice the same day;
    more days than expected only with `confirm_over` (raises DaysOverExpected otherwise)."""
    assignment = _locked_assignment(assignment)
    _require_recorder(actor, assignment)
    if assignment.status == Assignment.Status.CLOSED:
        raise ValidationError(_("This assignment is closed: no more days can be recorded."))
    errors: dict[str, list[str]] = {}
    date = _as_date(date)
    days = _coerce_decimal(days, "days", errors)
    if "days" not in errors and days not in (HALF_DAY, WHOLE_DAY):
        errors["days"] = [_("Record half a day (0.5) or a whole day (1).")]
    started = timezone.localdate(assignment.referral.sent_at)
    if date > timezone.localdate():
        errors["date"] = [_("This day has not come yet: record days once they are worked.")]
    elif date < started:
        errors["date"] = [_("This day is before the expert was referred (%(date)s).") % {"date": started.isoformat()}]
    elif assignment.timesheets.filter(date=date).exists():
        errors["date"] = [_("This day is already recorded.")]
    if not (work or "").strip():
        errors["work"] = [_("Say what was done that day.")]
    if errors:
        raise ValidationError(errors)
    recorded = assignment.timesheets.aggregate(total=Sum("days"))["total"] or Decimal(0)
    if recorded + days > assignment.expected_days and not confirm_over:
        raise DaysOverExpected(recorded=recorded, expected=assignment.expected_days, days=days)
    timesheet = Timesheet(assignment=assignment, date=date, days=days, work=work.strip(), deliverable=(deliverable or "").strip())
    try:
        with transaction.atomic():
            audited_create(actor=actor, instance=timesheet, organisation=assignment.organisation)
    except IntegrityError:  # the same day recorded at the same moment elsewhere
        raise ValidationError({"date": _("This day is already recorded.")}) from None
    if is_the_expert(actor, assignment.expert):
        notify(
            _coordinators(assignment.organisation_id),
            kind=Notification.Kind.TIMESHEET,
            title=f"{assignment.expert} · {date.isoformat()}",
            url=assignment_url(assignment),
        )
    return timesheet


@transaction.atomic
def timesheets_approve(*, actor, assignment: Assignment, timesheets: list[Timesheet] | None = None) -> int:
    """Approve the assignment's timesheets waiting for approval (all, or those given); returns how many."""
    assignment = _locked_assignment(assignment)
    _require(actor, assignment.organisation_id)
    if is_the_expert(actor, assignment.expert):
        raise ValidationError(_("You cannot approve your own timesheets."))
    waiting = assignment.timesheets.select_for_update(of=("self",)).filter(approved_at__isnull=True)
    if timesheets is not None:
        ids = {t.pk for t in timesheets}
        if assignment.timesheets.filter(pk__in=ids, approved_at__isnull=False).exists():
            raise ValidationError(_("This timesheet is already approved."))
        waiting = waiting.filter(pk__in=ids)
    now, count = timezone.now(), 0
    for timesheet in waiting.order_by("date"):
        audited_update(
            actor=actor, instance=timesheet, data={"approved_by": actor, "approved_at": now}, organisation=assignment.organisation
        )
        count += 1
    if count and assignment.expert.user_id:
        notify(
            [assignment.expert.user],
            kind=Notification.Kind.ASSIGNMENT_UPDATED,
            title=str(assignment.referral.case_service.service),
            url=portal_url(assignment),
        )
    return count


def timesheet_approve(*, actor, timesheet: Timesheet) -> Timesheet:
    """Approve one timesheet (the coordinator of the assignment's organisation, never the expert herself)."""
    timesheets_approve(actor=actor, assignment=timesheet.assignment, timesheets=[timesheet])
    timesheet.refresh_from_db()
    return timesheet


@transaction.atomic
def timesheet_remove(*, actor, timesheet: Timesheet) -> None:
    """Take back a day recorded by mistake, while it is not approved (the expert or the coordinator)."""
    assignment = _locked_assignment(timesheet.assignment)
    _require_recorder(actor, assignment)
    timesheet = assignment.timesheets.select_for_update(of=("self",)).get(pk=timesheet.pk)
    if timesheet.approved_at:
        raise ValidationError(_("An approved timesheet cannot be removed."))
    if assignment.status == Assignment.Status.CLOSED:
        raise ValidationError(_("This assignment is closed."))
    audited_delete(actor=actor, instance=timesheet, organisation=assignment.organisation)


@transaction.atomic
def assignment_close(*, actor, assignment: Assignment, rating, note: str = "") -> Assignment:
    """Close the assignment with the coordinator's rating of the expert (1–5) and a note; every timesheet must be approved."""
    assignment = _locked_assignment(assignment)
    _require(actor, assignment.organisation_id)
    if is_the_expert(actor, assignment.expert):
        raise ValidationError(_("You cannot rate your own assignment."))
    if assignment.status == Assignment.Status.CLOSED:
        raise ValidationError(_("This assignment is already closed."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = None
    if rating is None or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate the expert's work from 1 to 5.")})
    waiting = assignment.timesheets.filter(approved_at__isnull=True).count()
    if waiting:
        raise ValidationError(
            ngettext(
                "Approve or remove the timesheet waiting for approval first.",
                "Approve or remove the %(count)d timesheets waiting for approval first.",
                waiting,
            )
            % {"count": waiting}
        )
    data = {"status": Assignment.Status.CLOSED, "rating": rating, "rating_note": (note or "").strip(), "closed_at": timezone.now()}
    audited_update(actor=actor, instance=assignment, data=data, organisation=assignment.organisation)
    if assignment.expert.user_id:
        notify(
            [assignment.expert.user],
            kind=Notification.Kind.ASSIGNMENT_UPDATED,
            title=str(assignment.referral.case_service.service),
            url=portal_url(assignment),
        )
    return assignment
