"""REST endpoints for people and enterprises: the same selectors, services, duplicate check and rules as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from shubbak.api import service_call
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for, require

from . import selectors, services
from .models import Enterprise, Person


class RegisteringOrganisationField(serializers.SlugRelatedField):
    """The organisation (by slug) that registers the record, among those the user can see (the service checks the role)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        return Organisation.objects.filter(id__in=access_for(self.context["request"].user).organisation_ids("view_registry"))


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk")
    name = serializers.CharField(source="record.__str__")
    organisation = serializers.CharField(source="record.organisation.slug")
    reasons = serializers.ListField(child=serializers.CharField())


class DuplicatesResponseSerializer(serializers.Serializer):
    """409: the record looks like these; send again with confirm_duplicates=true to register it anyway."""

    detail = serializers.CharField()
    duplicates = DuplicateSerializer(many=True)


class PersonSerializer(serializers.ModelSerializer):
    organisation = RegisteringOrganisationField()
    full_name = serializers.CharField(read_only=True)
    confirm_duplicates = serializers.BooleanField(write_only=True, required=False, default=False)
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=services.Consent.Purpose.choices), write_only=True, required=False
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "organisation",
            "full_name",
            *sorted(services.PERSON_FIELDS),
            "merged_into",
            "created_at",
            "updated_at",
            "confirm_duplicates",
            "consents",
        ]
        read_only_fields = ["merged_into", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Person):
            self.fields["organisation"].read_only = True


class EnterpriseSerializer(serializers.ModelSerializer):
    organisation = RegisteringOrganisationField()
    chamber = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.filter(kind="chamber"), required=False, allow_null=True
    )
    confirm_duplicates = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Enterprise
        fields = [
            "id", "organisation", *sorted(services.ENTERPRISE_FIELDS - {"chamber"}), "chamber", "size_class", "women_owned",
            "youth_owned", "merged_into", "created_at", "updated_at", "confirm_duplicates",
        ]  # fmt: skip
        read_only_fields = ["size_class", "women_owned", "youth_owned", "merged_into", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Enterprise):
            self.fields["organisation"].read_only = True


SEARCH = OpenApiParameter("search", str, description="Name in any spelling, phone in any digits, ID or registration number.")


class RegistryViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Shared behaviour: search, tenancy, create with the duplicate check (409), update through the service."""

    list_selector = get_selector = create_service = update_service = None
    filter_names: tuple[str, ...] = ()

    def get_queryset(self):
        params = self.request.query_params
        filters = {name: params[name] for name in self.filter_names if params.get(name)}
        if "organisation" in filters:  # by slug; an unknown one matches nothing
            filters["organisation"] = Organisation.objects.filter(slug=filters["organisation"]).first() or -1
        return type(self).list_selector(user=self.request.user, query=params.get("search", ""), filters=filters)

    def get_object(self):
        record = type(self).get_selector(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        confirmed = data.pop("confirm_duplicates", False)
        extra = {"consents": data.pop("consents", [])} if "consents" in data else {}
        try:
            record = service_call(
                type(self).create_service, actor=request.user, organisation=organisation, data=data, confirmed=confirmed, **extra
            )
        except services.DuplicatesFound as found:
            body = {"detail": _("This looks like a record that already exists."), "duplicates": found.duplicates}
            return Response(DuplicatesResponseSerializer(body).data, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        record = serializer.instance
        require(self.request.user, record.organisation, "manage_registry")
        data = {k: v for k, v in serializer.validated_data.items() if k not in {"confirm_duplicates", "consents"}}
        serializer.instance = service_call(type(self).update_service, actor=self.request.user, record=record, data=data)


def _person_update(*, actor, record, data):
    return services.person_update(actor=actor, person=record, data=data)


def _enterprise_update(*, actor, record, data):
    return services.enterprise_update(actor=actor, enterprise=record, data=data)


@extend_schema_view(
    list=extend_schema(parameters=[SEARCH]),
    create=extend_schema(responses={201: PersonSerializer, 409: OpenApiResponse(DuplicatesResponseSerializer)}),
)
class PersonViewSet(RegistryViewSet):
    """People your organisations registered (or your network, for network managers). Search in any spelling."""

    serializer_class = PersonSerializer
    list_selector = staticmethod(selectors.person_list)
    get_selector = staticmethod(selectors.person_get)
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(_person_update)
    filter_names = ("governorate", "gender", "education", "employment", "displacement", "organisation")


@extend_schema_view(
    list=extend_schema(parameters=[SEARCH]),
    create=extend_schema(responses={201: EnterpriseSerializer, 409: OpenApiResponse(DuplicatesResponseSerializer)}),
)
class EnterpriseViewSet(RegistryViewSet):
    """Enterprises your organisations registered. Size class and women/youth ownership are derived, read-only."""

    serializer_class = EnterpriseSerializer
    list_selector = staticmethod(selectors.enterprise_list)
    get_selector = staticmethod(selectors.enterprise_get)
    create_service = staticmethod(services.enterprise_create)
    update_service = staticmethod(_enterprise_update)
    filter_names = ("governorate", "isic_section", "size_class", "legal_form", "status", "chamber_member", "organisation")
