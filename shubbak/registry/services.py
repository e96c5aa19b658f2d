"""Writes to the registry: atomic, validated, normalised for search, audited."""

from copy import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shubbak.audit.models import AuditEntry
from shubbak.audit.services import audit_record, audited_create, audited_delete, audited_update, diff, snapshot
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for
from shubbak.phones import to_e164

from . import rules
from .isic import section_of
from .models import AddressHistory, Consent, Enterprise, Ownership, Person, StatusChange
from .selectors import Duplicate, enterprise_duplicates, person_duplicates

PERSON_FIELDS = {  # what a form, the API or an import may set
    "first_name", "father_name", "grandfather_name", "family_name", "name_latin", "id_type", "national_id", "gender",
    "birth_date", "phone", "phone_alt", "email", "education", "has_disability", "war_injured", "displacement",
    "employment", "governorate", "locality", "address", "external_id",
}  # fmt: skip
ENTERPRISE_FIELDS = {
    "name_ar", "name_en", "legal_form", "status", "registration_number", "registration_date", "chamber_member", "chamber",
    "membership_number", "isic_section", "isic_division", "women_full_time", "men_full_time", "women_part_time",
    "men_part_time", "revenue_band", "founded_on", "governorate", "locality", "address", "phone", "email", "external_id",
}  # fmt: skip
ADDRESS_FIELDS = ("governorate", "locality", "address", "displacement")


class DuplicatesFound(Exception):
    """The record looks like ones already registered; the user must look and confirm."""

    def __init__(self, duplicates: list[Duplicate]):
        super().__init__(f"{len(duplicates)} likely duplicates")
        self.duplicates = duplicates


def _require(actor, organisation: Organisation, action: str = "manage_registry") -> None:
    if actor is not None and not access_for(actor).can(organisation, action):
        raise PermissionDenied


def _only(data: dict, allowed: set[str]) -> dict:
    return {k: v for k, v in data.items() if k in allowed}


def _scope(actor, model, organisation):
    """Where to look for duplicates: what the actor may see, or the organisation's own records for the system."""
    return model.objects.for_user(actor, "view_registry") if actor is not None else model.objects.filter(organisation=organisation)


def _coerce(record) -> None:
    """Turn typed text (dates, numbers, booleans from a sheet or the API) into field values, or say which is wrong."""
    errors = {}
    for field in record._meta.concrete_fields:
        if field.editable and not field.is_relation:
            try:
                setattr(record, field.attname, field.to_python(getattr(record, field.attname)))
            except ValidationError as exc:
                errors[field.name] = exc.messages
    if errors:
        raise ValidationError(errors)


def person_prepare(person: Person) -> None:
    """Normalise what people type (phones, ID numbers), validate, and rebuild the search text."""
    _coerce(person)
    errors = {}
    country = person.organisation.country
    for name in ("phone", "phone_alt"):
        try:
            setattr(person, name, to_e164(getattr(person, name), country))
        except ValidationError as exc:
            errors[name] = exc.messages
    if person.national_id and not person.id_type:
        errors["id_type"] = [_("Say what kind of document this ID number is from.")]
    try:
        person.national_id = rules.clean_national_id(person.id_type, person.national_id)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if person.governorate and not person.governorate.startswith(country + "-"):
        errors["governorate"] = [_("This governorate is not in the organisation's country.")]
    if person.birth_date and person.birth_date > timezone.localdate():
        errors["birth_date"] = [_("The birth date is in the future.")]
    if errors:
        raise ValidationError(errors)
    person.search_text = rules.person_search_text(person)


@transaction.atomic
def person_create(*, actor, organisation: Organisation, data: dict, consents: list[str] = (), confirmed: bool = False) -> Person:
    """Register a person; raises DuplicatesFound with the likely duplicates unless `confirmed`."""
    _require(actor, organisation)
    person = Person(organisation=organisation, **_only(data, PERSON_FIELDS))
    person_prepare(person)
    person.full_clean(exclude=["search_text"])
    if not confirmed and (duplicates := person_duplicates(scope=_scope(actor, Person, organisation), person=person)):
        raise DuplicatesFound(duplicates)
    audited_create(actor=actor, instance=person, organisation=organisation)
    for purpose in consents:
        consent_give(actor=actor, person=person, purpose=purpose)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict) -> Person:
    """Change a person's details; a move or a change of displacement status keeps the old address."""
    _require(actor, person.organisation)
    current = Person.objects.select_related("organisation__network").get(pk=person.pk)
    changed = copy(current)
    for name, value in _only(data, PERSON_FIELDS).items():
        setattr(changed, name, value)
    person_prepare(changed)
    values = {f.attname: getattr(changed, f.attname) for f in Person._meta.concrete_fields if f.editable or f.name == "search_text"}
    previous = {name: getattr(current, name) for name in ADDRESS_FIELDS}
    birth_date = current.birth_date
    audited_update(actor=actor, instance=current, data=values, organisation=current.organisation)
    if any(previous[name] != getattr(current, name) for name in ADDRESS_FIELDS):
        AddressHistory.objects.create(person=current, **previous)
    if current.birth_date != birth_date:  # youth-owned may change
        for ownership in current.ownerships.select_related("enterprise"):
            _refresh_owner_flags(actor=actor, enterprise=ownership.enterprise)
    return current


@transaction.atomic
def consent_give(*, actor, person: Person, purpose: str, note: str = "") -> Consent:
    """Record a consent the person gave (to this organisation's staff, now)."""
    _require(actor, person.organisation)
    consent = Consent(person=person, purpose=purpose, recorded_by=actor if actor is not None else None, note=note)
    return audited_create(actor=actor, instance=consent, organisation=person.organisation)


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent) -> Consent:
    """The person takes a consent back; the record stays, with when and who recorded it."""
    _require(actor, consent.person.organisation)
    if consent.withdrawn_at:
        raise ValidationError(_("This consent was already withdrawn."))
    return audited_update(
        actor=actor,
        instance=consent,
        data={"withdrawn_at": timezone.now(), "withdrawn_by": actor},
        organisation=consent.person.organisation,
    )


def enterprise_prepare(enterprise: Enterprise) -> None:
    """Normalise the phone, check governorate, sector and registration, derive size and search text."""
    _coerce(enterprise)
    errors = {}
    country = enterprise.organisation.country
    try:
        enterprise.phone = to_e164(enterprise.phone, country)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if enterprise.governorate and not enterprise.governorate.startswith(country + "-"):
        errors["governorate"] = [_("This governorate is not in the organisation's country.")]
    if enterprise.isic_division and enterprise.isic_section:
        if section_of(enterprise.isic_division) != enterprise.isic_section:
            errors["isic_division"] = [_("This activity is not in the chosen sector.")]
    elif enterprise.isic_division:
        enterprise.isic_section = section_of(enterprise.isic_division) or ""
    if enterprise.chamber_member and not enterprise.chamber_id:
        errors["chamber"] = [_("Say which chamber the enterprise is a member of.")]
    if enterprise.status == Enterprise.Status.REGISTERED and not enterprise.registration_number:
        errors["registration_number"] = [_("A registered enterprise needs its registration number.")]
    if errors:
        raise ValidationError(errors)
    enterprise.registration_number = enterprise.registration_number.strip()
    enterprise.size_class = rules.size_class(country=country, employees=enterprise.employees, revenue_band=enterprise.revenue_band)
    enterprise.search_text = rules.enterprise_search_text(enterprise)


@transaction.atomic
def enterprise_create(*, actor, organisation: Organisation, data: dict, confirmed: bool = False) -> Enterprise:
    """Register an enterprise; raises DuplicatesFound unless `confirmed`. Its size class is derived, never typed."""
    _require(actor, organisation)
    enterprise = Enterprise(organisation=organisation, **_only(data, ENTERPRISE_FIELDS))
    enterprise_prepare(enterprise)
    enterprise.full_clean(exclude=["search_text"])
    if not confirmed and (duplicates := enterprise_duplicates(scope=_scope(actor, Enterprise, organisation), enterprise=enterprise)):
        raise DuplicatesFound(duplicates)
    audited_create(actor=actor, instance=enterprise, organisation=organisation)
    StatusChange.objects.create(enterprise=enterprise, from_status="", to_status=enterprise.status, changed_by=actor)
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, data: dict) -> Enterprise:
    """Change an enterprise; a change of status (e.g. informal → registered) is kept in its history."""
    _require(actor, enterprise.organisation)
    current = Enterprise.objects.select_related("organisation").get(pk=enterprise.pk)
    changed = copy(current)
    for name, value in _only(data, ENTERPRISE_FIELDS).items():
        setattr(changed, name, value)
    enterprise_prepare(changed)
    derived = {"search_text", "size_class"}
    values = {f.attname: getattr(changed, f.attname) for f in Enterprise._meta.concrete_fields if f.editable or f.name in derived}
    old_status = current.status
    audited_update(actor=actor, instance=current, data=values, organisation=current.organisation)
    if current.status != old_status:
        StatusChange.objects.create(enterprise=current, from_status=old_status, to_status=current.status, changed_by=actor)
    return current


def _refresh_owner_flags(*, actor, enterprise: Enterprise) -> None:
    owners = [o for o in enterprise.ownerships.select_related("person__organisation__network") if o.role != Ownership.Role.MANAGER]
    today = timezone.localdate()
    share = [None if o.share is None else float(o.share) for o in owners]
    women = rules.held_by_majority([(o.person.gender == Person.Gender.FEMALE, s) for o, s in zip(owners, share)])
    youth = rules.held_by_majority([(bool(o.person.is_youth(today)), s) for o, s in zip(owners, share)])
    if (women, youth) != (enterprise.women_owned, enterprise.youth_owned):
        audited_update(
            actor=actor, instance=enterprise, data={"women_owned": women, "youth_owned": youth}, organisation=enterprise.organisation
        )


@transaction.atomic
def ownership_add(*, actor, enterprise: Enterprise, person: Person, role: str, share=None) -> Ownership:
    """Link a person to an enterprise as owner, partner or manager; women- and youth-owned follow."""
    _require(actor, enterprise.organisation)
    if actor is not None and not access_for(actor).can(person.organisation, "view_registry"):
        raise PermissionDenied
    if share is not None and not 0 < share <= 100:
        raise ValidationError({"share": _("A share is a percentage between 0 and 100.")})
    ownership = audited_create(
        actor=actor, instance=Ownership(enterprise=enterprise, person=person, role=role, share=share), organisation=enterprise.organisation
    )
    _refresh_owner_flags(actor=actor, enterprise=enterprise)
    return ownership


@transaction.atomic
def ownership_remove(*, actor, ownership: Ownership) -> None:
    """Unlink a person from an enterprise."""
    enterprise = ownership.enterprise
    _require(actor, enterprise.organisation)
    audited_delete(actor=actor, instance=ownership, organisation=enterprise.organisation)
    _refresh_owner_flags(actor=actor, enterprise=enterprise)


@transaction.atomic
def record_merge(*, actor, survivor: Person | Enterprise, duplicate: Person | Enterprise) -> dict[str, int]:
    """Fold a duplicate into the surviving record: every linked row moves, empty fields are filled, nothing is deleted.

    The duplicate stays as a tombstone (merged_into = survivor), so old links and the audit log still resolve.
    Returns how many rows of each kind moved.
    """
    model = type(survivor)
    if type(duplicate) is not model or survivor.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records of the same kind."))
    survivor = model.objects.select_for_update().get(pk=survivor.pk)
    duplicate = model.objects.select_for_update().get(pk=duplicate.pk)
    for record in (survivor, duplicate):
        _require(actor, record.organisation)
        if record.merged_into_id:
            raise ValidationError(_("One of these records was already merged into another."))
    moved = _move_links(model, survivor, duplicate)
    blanks = {
        f.attname: getattr(duplicate, f.attname)
        for f in model._meta.concrete_fields
        if f.editable
        and f.name not in {"id", "organisation", "merged_into", "external_id"}
        and getattr(survivor, f.attname) in ("", None)
        and getattr(duplicate, f.attname) not in ("", None)
    }
    for name, value in blanks.items():
        setattr(survivor, name, value)
    if model is Person:
        person_prepare(survivor)
    else:
        enterprise_prepare(survivor)
    before = snapshot(model.objects.get(pk=survivor.pk))
    survivor.save()
    changes = diff(before, snapshot(survivor)) | {"merged_from": [None, duplicate.pk], "moved": [None, moved]}
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, target=survivor, organisation=survivor.organisation, changes=changes)
    audited_update(actor=actor, instance=duplicate, data={"merged_into": survivor}, organisation=duplicate.organisation)
    if model is Enterprise:
        _refresh_owner_flags(actor=actor, enterprise=survivor)
    else:
        for ownership in survivor.ownerships.select_related("enterprise"):
            _refresh_owner_flags(actor=actor, enterprise=ownership.enterprise)
    return moved


def _move_links(model, survivor, duplicate) -> dict[str, int]:
    """Point every row that refers to the duplicate at the survivor (any app's models, found through the ORM)."""
    moved = {}
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.one_to_one or relation.related_model is model:
            continue
        related, fk = relation.related_model, relation.field.name
        rows = related._default_manager.filter(**{fk: duplicate})
        unique_sets = [set(c.fields) for c in related._meta.constraints if isinstance(c, models.UniqueConstraint) and fk in c.fields]
        count = 0
        for row in rows:
            clash = any(
                related._default_manager.filter(**{f: (survivor if f == fk else getattr(row, f)) for f in fields}).exists()
                for fields in unique_sets
            )
            if clash:  # the survivor already has this exact link: keep the survivor's, drop the copy (kept in the log)
                audit_record(
                    actor=None,
                    action=AuditEntry.Action.DELETE,
                    target=row,
                    organisation=survivor.organisation,
                    changes=diff(snapshot(row), {}),
                )
                row.delete()
            else:
                setattr(row, fk, survivor)
                row.save(update_fields=[fk])
                count += 1
        if count:
            moved[related._meta.label_lower] = count
    return moved
