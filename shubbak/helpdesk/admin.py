from django.contrib import admin

from shubbak.audit.admin import AuditedModelAdmin

from .models import Case, FollowUp, Holiday, Service, ServiceCategory, Session, WorkingCalendar


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedModelAdmin):
    """Families of services in each network's catalogue (network managers edit them on the catalogue page)."""

    list_display = ["name_ar", "name_en", "network", "position"]
    list_filter = ["network"]
    search_fields = ["name_ar", "name_en"]
    list_select_related = ["network"]


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    """The services of each network's catalogue, with their delivery and service-level targets."""

    list_display = ["name_ar", "code", "category", "network", "first_response_days", "resolution_days", "is_public", "is_active"]
    list_filter = ["network", "is_active", "is_public", "in_house", "by_expert", "by_partner"]
    search_fields = ["name_ar", "name_en", "code"]
    list_select_related = ["category", "network"]
    raw_id_fields = ["network", "category"]


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(AuditedModelAdmin):
    """Each organisation's weekly rest days and whether it keeps the country's fixed holidays."""

    list_display = ["organisation", "weekend", "national_holidays"]
    list_filter = ["weekend", "national_holidays", "organisation__network"]
    search_fields = ["organisation__name_ar", "organisation__slug"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    """Days off an organisation added (the lunar holidays of each year)."""

    list_display = ["date", "name", "organisation"]
    list_filter = ["organisation__network"]
    search_fields = ["name", "organisation__name_ar"]
    date_hierarchy = "date"
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen in the admin, changed only through the workflow, so that every move is on the case's timeline."""

    show_full_result_count = False  # a million cases: no full count on every page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "subject", "organisation", "status", "priority", "assigned_to", "created_at"]
    list_filter = ["status", "priority", "channel", "organisation__network"]
    search_fields = ["=code", "subject", "contact_name"]
    list_select_related = ["organisation", "assigned_to"]
    raw_id_fields = ["organisation", "desk", "person", "enterprise", "assigned_to", "created_by"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["date", "topic", "staff", "minutes", "mode", "organisation"]
    list_filter = ["mode", "organisation__network"]
    list_select_related = ["staff", "organisation"]
    raw_id_fields = ["case", "organisation", "service", "staff"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["case", "due_on", "assigned_to", "done_at"]
    list_filter = ["organisation__network"]
    list_select_related = ["case", "assigned_to"]
    raw_id_fields = ["case", "organisation", "assigned_to"]
