from django.contrib import admin

from shubbak.audit.admin import AuditedModelAdmin

from .models import Contact, Desk, Membership, Network, Organisation


@admin.register(Network)
class NetworkAdmin(AuditedModelAdmin):
    """Networks are set up by the platform operator."""

    list_display = ["name_ar", "name_en", "slug", "kind"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name_ar", "name_en", "slug"]


@admin.register(Desk)
class DeskAdmin(AuditedModelAdmin):
    """Helpdesks and one-stop shops (no inlines: inline saves would bypass the audit log)."""

    list_display = ["name_ar", "organisation", "kind", "is_active"]
    list_filter = ["kind", "is_active", "organisation__network"]
    search_fields = ["name_ar", "name_en", "organisation__name_ar"]
    list_select_related = ["organisation"]


@admin.register(Contact)
class ContactAdmin(AuditedModelAdmin):
    """Contact people of organisations."""

    list_display = ["name", "organisation", "position", "is_primary"]
    search_fields = ["name", "organisation__name_ar"]
    list_select_related = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    """Organisations of every network."""

    list_display = ["name_ar", "name_en", "kind", "network", "country", "governorate", "is_active"]
    list_filter = ["network", "kind", "country", "is_active"]
    search_fields = ["name_ar", "name_en", "slug"]
    list_select_related = ["network"]
    raw_id_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    """Who works where, in which role."""

    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__network"]
    search_fields = ["user__email", "user__full_name", "organisation__name_ar"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user", "organisation", "desk"]
