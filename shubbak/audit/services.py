"""The one way to write: helpers that validate, save and record an audit entry in the same transaction."""

import datetime
import decimal
import uuid
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from shubbak.middleware import current_request_context

from .models import AuditEntry


def _jsonable(value):
    if isinstance(value, FieldFile):  # a file is recorded by its stored name
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model) -> dict:
    """The concrete field values of a record, JSON-safe, keyed by attribute name (secrets, search text and auto timestamps left out)."""
    return {field.attname: _jsonable(field.value_from_object(instance)) for field in _recorded_fields(instance._meta.model)}


@cache
def _recorded_fields(model: type[models.Model]) -> tuple:
    return tuple(
        field
        for field in model._meta.concrete_fields
        if field.attname not in {"password", "last_login", "search_text"} and not getattr(field, "auto_now", False)
    )


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for every field whose value changed."""
    return {key: [before.get(key), after.get(key)] for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)}


def _entry(context, actor, action: str, target: models.Model, organisation, changes: dict | None) -> AuditEntry:
    return AuditEntry(
        actor=actor,
        actor_label=actor.email if actor else "",
        organisation=organisation,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
        target_label=str(target)[:300],
        changes=changes or {},
        source=context.source,
        ip=context.ip,
        user_agent=context.user_agent,
    )


def _recorded_actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_record(*, actor, action: str, target: models.Model, organisation=None, changes: dict | None = None) -> AuditEntry:
    """Write one audit entry; the request context supplies the source, IP address and browser."""
    entry = _entry(current_request_context(), _recorded_actor(actor), action, target, organisation, changes)
    entry.save(force_insert=True)
    return entry


def audit_records(*, actor, entries) -> list[AuditEntry]:
    """Write several audit entries, each as `audit_record` would, in one INSERT.

    `entries`: (action, target, organisation, changes) for each, in order. For a write of several records at once
    (the public request form), where one statement instead of one per record matters.
    """
    context, actor = current_request_context(), _recorded_actor(actor)
    return AuditEntry.objects.bulk_create([_entry(context, actor, *entry) for entry in entries])


@transaction.atomic
def audited_create(*, actor, instance: models.Model, organisation) -> models.Model:
    """Validate and insert a new record, recording every field it was created with."""
    instance.full_clean()
    instance.save(force_insert=True)
    audit_record(
        actor=actor, action=AuditEntry.Action.CREATE, target=instance, organisation=organisation, changes=diff({}, snapshot(instance))
    )
    return instance


@transaction.atomic
def audited_update(*, actor, instance: models.Model, data: dict, organisation) -> models.Model:
    """Apply `data` to a record, validate, save only the changed fields and record before/after."""
    fields = instance._meta.concrete_fields
    raw_before = {f.attname: f.value_from_object(instance) for f in fields}
    before = snapshot(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=["search_text"] if "search_text" in raw_before else None)
    touched = [f.name for f in fields if f.value_from_object(instance) != raw_before[f.attname]]
    if touched:
        touched += [f.name for f in fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=touched)
        if changes := diff(before, snapshot(instance)):
            audit_record(actor=actor, action=AuditEntry.Action.UPDATE, target=instance, organisation=organisation, changes=changes)
    return instance


@transaction.atomic
def audited_delete(*, actor, instance: models.Model, organisation) -> None:
    """Delete a record, keeping its last values in the audit log."""
    audit_record(
        actor=actor, action=AuditEntry.Action.DELETE, target=instance, organisation=organisation, changes=diff(snapshot(instance), {})
    )
    instance.delete()
