"""Reads of the audit log, scoped to organisations whose log the user may read."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from shubbak.organisations.models import Organisation

from .models import AuditEntry


def audit_list(*, organisation: Organisation, filters: dict | None = None) -> QuerySet[AuditEntry]:
    """An organisation's audit entries, newest first (the caller has checked `view_audit`)."""
    filters = filters or {}
    qs = AuditEntry.objects.filter(organisation=organisation).select_related("actor", "target_type")
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("target_type"):
        qs = qs.filter(target_type=filters["target_type"])
    if filters.get("actor"):
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters.get("since"):
        qs = qs.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(at__date__lte=filters["until"])
    if filters.get("target_id"):
        qs = qs.filter(target_id=str(filters["target_id"]))
    return qs


def audited_types() -> QuerySet[ContentType]:
    """Record types that can appear in an organisation's log."""
    return ContentType.objects.filter(app_label__in=["organisations", "accounts", "registry", "imports"]).order_by("app_label", "model")
