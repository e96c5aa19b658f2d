from django.contrib import admin

from .models import Contact, Desk, Membership, Network, Organisation


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    """Networks are set up by the platform operator."""

    list_display = ["name_ar", "name_en", "slug", "kind"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name_ar", "name_en", "slug"]


class DeskInline(admin.TabularInline):
    model = Desk
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisations, with their desks and contacts."""

    list_display = ["name_ar", "name_en", "kind", "network", "country", "governorate", "is_active"]
    list_filter = ["network", "kind", "country", "is_active"]
    search_fields = ["name_ar", "name_en", "slug"]
    list_select_related = ["network"]
    inlines = [DeskInline, ContactInline]
    raw_id_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Who works where, in which role."""

    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__network"]
    search_fields = ["user__email", "user__full_name", "organisation__name_ar"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user", "organisation", "desk"]
