"""REST endpoints for organisations, desks and memberships: the same selectors, services and rules as the pages."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from shubbak import places
from shubbak.api import service_call

from . import selectors, services
from .models import Desk, Membership, Network, Organisation
from .permissions import access_for, require


class VisibleOrganisationField(serializers.SlugRelatedField):
    """An organisation chosen by slug among those the requesting user may see."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        return Organisation.objects.filter(id__in=access_for(self.context["request"].user).organisation_ids())


class ManagedNetworkField(serializers.SlugRelatedField):
    """A network, by slug, that the requesting user manages."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        return selectors.network_list(user=self.context["request"].user)


class OrganisationSerializer(serializers.ModelSerializer):
    network = ManagedNetworkField()
    parent = VisibleOrganisationField(required=False, allow_null=True)
    governorate_name = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "slug", "name_ar", "name_en", "kind", "network", "parent", "country", "governorate", "governorate_name",
            "address", "phone", "email", "website", "is_active", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple) and hasattr(self.instance, "pk"):
            self.fields["network"].read_only = True
            self.fields["slug"].read_only = True

    @extend_schema_field(serializers.CharField())
    def get_governorate_name(self, obj) -> str:
        return places.governorate_name(obj.governorate)


class OrganisationFilter(filters.FilterSet):
    network = filters.CharFilter(field_name="network__slug")

    class Meta:
        model = Organisation
        fields = ["network", "kind", "country", "governorate", "is_active"]


class OrganisationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations you may see. Network managers add organisations; organisation admins edit theirs."""

    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return (
            Organisation.objects.filter(id__in=access_for(self.request.user).organisation_ids())
            .select_related("network", "parent")
            .order_by("name_ar")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        network: Network = data.pop("network")
        slug = data.pop("slug")
        serializer.instance = service_call(services.organisation_create, actor=self.request.user, network=network, slug=slug, data=data)

    def perform_update(self, serializer):
        require(self.request.user, serializer.instance, "change_organisation")
        serializer.instance = service_call(
            services.organisation_update, actor=self.request.user, organisation=serializer.instance, data=dict(serializer.validated_data)
        )


class DeskSerializer(serializers.ModelSerializer):
    organisation = VisibleOrganisationField()

    class Meta:
        model = Desk
        fields = [
            "id",
            "organisation",
            "name_ar",
            "name_en",
            "kind",
            "governorate",
            "address",
            "phone",
            "email",
            "opening_hours",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Desk):
            self.fields["organisation"].read_only = True


class DeskViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Helpdesks and one-stop shops of the organisations you may see."""

    serializer_class = DeskSerializer
    filterset_fields = ["kind", "is_active", "organisation__slug"]

    def get_queryset(self):
        return Desk.objects.for_user(self.request.user).select_related("organisation").order_by("organisation__name_ar", "name_ar")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        require(self.request.user, organisation, "manage_desks")
        serializer.instance = service_call(services.desk_create, actor=self.request.user, organisation=organisation, data=data)

    def perform_update(self, serializer):
        require(self.request.user, serializer.instance.organisation, "manage_desks")
        serializer.instance = service_call(
            services.desk_update, actor=self.request.user, desk=serializer.instance, data=dict(serializer.validated_data)
        )


class MembershipSerializer(serializers.ModelSerializer):
    organisation = VisibleOrganisationField()
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")

    class Meta:
        model = Membership
        fields = ["id", "organisation", "email", "full_name", "role", "desk", "title", "is_active", "created_at"]
        read_only_fields = ["created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Membership):
            for name in ("organisation", "email", "full_name"):
                self.fields[name].read_only = True
        request = self.context.get("request")
        if request is not None:
            self.fields["desk"].queryset = Desk.objects.for_user(request.user)


class MembershipViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff of the organisations you may see. Organisation admins add people and change roles."""

    serializer_class = MembershipSerializer
    filterset_fields = ["role", "is_active", "organisation__slug"]

    def get_queryset(self):
        return (
            Membership.objects.for_user(self.request.user)
            .select_related("organisation", "user")
            .order_by("organisation__name_ar", "user__full_name")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        user = data.pop("user")
        require(self.request.user, organisation, "manage_members")
        serializer.instance = service_call(
            services.membership_create,
            actor=self.request.user,
            organisation=organisation,
            email=user["email"],
            full_name=user["full_name"],
            **data,
        )

    def perform_update(self, serializer):
        require(self.request.user, serializer.instance.organisation, "manage_members")
        data = {k: v for k, v in serializer.validated_data.items() if k != "user"}
        serializer.instance = service_call(services.membership_update, actor=self.request.user, membership=serializer.instance, data=data)
