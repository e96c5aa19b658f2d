"""What the helpdesk API reads and writes. Serializers only shape data: the services validate and write."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shubbak.organisations.models import Desk, Organisation
from shubbak.organisations.permissions import access_for
from shubbak.registry.models import Enterprise, Person

from . import selectors
from .models import Case, CaseEvent, CaseService, Service, ServiceCategory, Session
from .services import TRANSITIONS, allowed_actions


@extend_schema_field(OpenApiTypes.INT)
class _VisibleField(serializers.PrimaryKeyRelatedField):
    """A record chosen by id among those of the organisations the user may see (others answer «does not exist»)."""

    model = None
    tenant_field = "organisation"

    def get_queryset(self):
        visible = access_for(self.context["request"].user).organisation_ids("view")
        return self.model.objects.filter(**{f"{self.tenant_field}__in": visible})


class VisiblePersonField(_VisibleField):
    model = Person


class VisibleEnterpriseField(_VisibleField):
    model = Enterprise


class VisibleDeskField(_VisibleField):
    model = Desk


class StaffField(_VisibleField):
    """A staff member of an organisation the user may see (the service checks she works on cases there)."""

    model = get_user_model()
    tenant_field = "memberships__organisation"

    def get_queryset(self):
        return super().get_queryset().filter(is_active=True).distinct()


@extend_schema_field(OpenApiTypes.INT)
class CatalogueServiceField(serializers.PrimaryKeyRelatedField):
    """A service of a catalogue the user may browse."""

    def get_queryset(self):
        return selectors.catalogue(user=self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class CatalogueCategoryField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.categories(user=self.context["request"].user)


class CatalogueNetworkField(serializers.SlugRelatedField):
    """A network, by slug, whose catalogue the user may browse (only its managers may add to it)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        return selectors.catalogue_networks(user=self.context["request"].user)


@extend_schema_field(OpenApiTypes.STR)
class VisibleOrganisationField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        return Organisation.objects.filter(id__in=access_for(self.context["request"].user).organisation_ids("view"))


# --- catalogue -------------------------------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ServiceCategory
        fields = ["id", "network", "name_ar", "name_en", "position"]


class ServiceSerializer(serializers.ModelSerializer):
    network = CatalogueNetworkField()
    category = CatalogueCategoryField()
    category_name = serializers.CharField(source="category.name", read_only=True)
    documents = serializers.ListField(child=serializers.CharField(), read_only=True, help_text=_("The required documents, as a list."))
    deliveries = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("How it can be delivered: in_house, expert, partner.")
    )

    class Meta:
        model = Service
        fields = [
            "id", "network", "category", "category_name", "code", "name_ar", "name_en", "description_ar", "description_en",
            "in_house", "by_expert", "by_partner", "deliveries", "required_documents", "documents", "first_response_days",
            "resolution_days", "is_public", "is_active", "position",
        ]  # fmt: skip
        validators = []  # the code's uniqueness is the service's to check, with its own message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Service):
            self.fields["network"].read_only = True


# --- cases -----------------------------------------------------------------------------------------------------


class RequestedServiceSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="service.code", read_only=True)
    name = serializers.CharField(source="service.name", read_only=True)

    class Meta:
        model = CaseService
        fields = ["id", "service", "code", "name", "delivery", "status", "note"]


class CaseSerializer(serializers.ModelSerializer):
    """A case as the queue lists it."""

    tracking_code = serializers.CharField(read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    client_name = serializers.CharField(read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.full_name", default="", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "tracking_code", "organisation", "desk", "status", "priority", "channel", "subject", "client_name", "person",
            "enterprise", "assigned_to", "assigned_to_name", "created_at", "first_response_due", "first_response_at",
            "resolution_due", "resolved_at", "closed_at", "overdue", "outcome",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, case: Case) -> bool:
        return case.is_overdue()


class CaseDetailSerializer(CaseSerializer):
    """A case with its requested services, contact details, outcome, satisfaction and the moves it allows."""

    services = RequestedServiceSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields, "description", "heard_from", "campaign", "contact_name", "contact_phone",
            "contact_email", "services", "paused_at", "paused_seconds", "escalated_at", "outcome_note", "business_registered",
            "trademark_registered", "formalised", "jobs_women", "jobs_men", "financing_amount", "financing_currency",
            "new_market", "rating", "rating_comment", "rated_at", "allowed_actions",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(TRANSITIONS))))
    def get_allowed_actions(self, case: Case) -> list[str]:
        return allowed_actions(case)


class CaseCreateSerializer(serializers.Serializer):
    """A new case taken by staff (walk-in, phone, field visit, or an application)."""

    organisation = VisibleOrganisationField()
    services = serializers.ListField(child=CatalogueServiceField(), allow_empty=False)
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Case.Priority.choices, default=Case.Priority.NORMAL)
    channel = serializers.ChoiceField(choices=Case.Channel.choices, default=Case.Channel.API)
    heard_from = serializers.ChoiceField(choices=Case.HeardFrom.choices, required=False, allow_blank=True, default="")
    campaign = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    desk = VisibleDeskField(required=False, allow_null=True, default=None)
    person = VisiblePersonField(required=False, allow_null=True, default=None)
    enterprise = VisibleEnterpriseField(required=False, allow_null=True, default=None)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")


class CaseFilterSerializer(serializers.Serializer):
    """The queue's filters, as query parameters."""

    view = serializers.ChoiceField(choices=selectors.VIEWS, default="open", help_text=_("Which queue: open (default), mine, overdue …"))
    organisation = serializers.SlugField(required=False, help_text=_("An organisation's short name."))
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Case.Priority.choices, required=False)
    channel = serializers.ChoiceField(choices=Case.Channel.choices, required=False)
    desk = serializers.IntegerField(required=False)
    assigned_to = serializers.RegexField(r"^(\d+|none)$", required=False, help_text=_("A user id, or «none» for unassigned."))
    service = serializers.IntegerField(required=False)
    q = serializers.CharField(required=False, help_text=_("A tracking code, or words of the client's name or the subject."))


# --- actions on a case -----------------------------------------------------------------------------------------


class AssignSerializer(serializers.Serializer):
    assigned_to = StaffField(help_text=_("The officer's user id."))


class TriageSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Case.Priority.choices, required=False)
    person = VisiblePersonField(required=False, allow_null=True)
    enterprise = VisibleEnterpriseField(required=False, allow_null=True)


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, help_text=_("Why the case is reopened."))


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class ResolveSerializer(serializers.Serializer):
    """How the request ended and, where they apply, its results."""

    outcome = serializers.ChoiceField(choices=Case.Outcome.choices)
    outcome_note = serializers.CharField(required=False, allow_blank=True, default="")
    business_registered = serializers.BooleanField(required=False, default=False)
    trademark_registered = serializers.BooleanField(required=False, default=False)
    formalised = serializers.BooleanField(required=False, default=False)
    jobs_women = serializers.IntegerField(required=False, min_value=0, default=0)
    jobs_men = serializers.IntegerField(required=False, min_value=0, default=0)
    financing_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    financing_currency = serializers.ChoiceField(choices=Case.Currency.choices, required=False, allow_blank=True, default="")
    new_market = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("A word for the timeline."))


class EventSerializer(serializers.ModelSerializer):
    """One line of a case's timeline."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actor_name = serializers.CharField(source="actor.full_name", default="", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "kind_display", "text", "actor", "actor_name", "data", "created_at"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    """An advisory session: date, minutes, mode, topic, notes; staff defaults to the one recording it."""

    service = CatalogueServiceField(required=False, allow_null=True)
    staff = StaffField(required=False)
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "date", "minutes", "mode", "topic", "notes", "service", "staff", "staff_name", "created_at"]
        read_only_fields = ["created_at"]
