from django.contrib import admin

from shubbak.audit.admin import AuditedModelAdmin

from .models import ColumnMapping, ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(AuditedModelAdmin):
    """Imports of every organisation, to follow a stuck or failed one; they are run from the organisation's pages."""

    list_display = ["original_name", "organisation", "kind", "status", "processed_rows", "failed_count", "created_at"]
    list_filter = ["status", "kind", "file_format"]
    search_fields = ["original_name", "organisation__name_ar"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "created_by"]
    readonly_fields = [f.name for f in ImportJob._meta.concrete_fields if f.name not in {"id", "status", "message"}]

    def has_add_permission(self, request):
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(AuditedModelAdmin):
    """Column choices remembered per organisation and kind of import."""

    list_display = ["organisation", "kind", "updated_at"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]
