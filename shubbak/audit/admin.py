from django.contrib import admin

from .models import AuditEntry
from .services import audit_record, diff, snapshot


def _organisation_of(obj):
    from shubbak.organisations.models import Organisation

    return obj if isinstance(obj, Organisation) else getattr(obj, "organisation", None)


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes made in the Django admin go to the audit log like every other write, with before/after values."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj))
        if changes or not change:
            action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
            audit_record(actor=request.user, action=action, target=obj, organisation=_organisation_of(obj), changes=changes)

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.DELETE,
            target=obj,
            organisation=_organisation_of(obj),
            changes=diff(snapshot(obj), {}),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is read-only, even in the admin."""

    list_display = ["at", "actor_label", "organisation", "action", "target_type", "target_label", "source", "ip"]
    list_filter = ["action", "source", "target_type"]
    search_fields = ["actor_label", "target_label", "target_id"]
    list_select_related = ["organisation", "target_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
