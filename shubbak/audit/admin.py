from django.contrib import admin

from .models import AuditEntry


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
