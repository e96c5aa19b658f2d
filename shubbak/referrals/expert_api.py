"""REST endpoints of the expert roster and of expert assignments with their timesheets: the same selectors, services
and rules as the pages. Network staff list the roster; the organisation keeping it adds and edits experts. An
expert's token sees only her own assignments."""

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from shubbak.api import service_call
from shubbak.helpdesk.models import Service
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for

from . import expert_selectors as selectors
from . import experts as services
from .models import Assignment, Expert, Timesheet


class VisibleOrganisationField(serializers.SlugRelatedField):
    """The organisation (by slug) that keeps the expert, among those the user can see (the service checks the role)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        return Organisation.objects.filter(id__in=access_for(self.context["request"].user).organisation_ids("view"))


@extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(services.LANGUAGES))))
class LanguagesField(serializers.Field):
    """Language codes, e.g. ["ar", "en"]."""

    def to_representation(self, value):
        return services.language_codes(value)

    def to_internal_value(self, data):
        if not isinstance(data, list) or any(code not in services.LANGUAGES for code in data):
            raise serializers.ValidationError(_("Give a list of language codes: %(codes)s.") % {"codes": ", ".join(services.LANGUAGES)})
        return data


class ExpertSerializer(serializers.ModelSerializer):
    organisation = VisibleOrganisationField(help_text="The organisation keeping the roster, by its short name.")
    specialisations = serializers.PrimaryKeyRelatedField(many=True, queryset=Service.objects.all(), required=False)
    languages = LanguagesField(required=False)
    governorates = serializers.ListField(child=serializers.CharField(), required=False)
    has_cv = serializers.SerializerMethodField()
    has_account = serializers.SerializerMethodField()
    assignment_count = serializers.SerializerMethodField()
    average_rating = serializers.SerializerMethodField()

    class Meta:
        model = Expert
        fields = [
            "id", "organisation", "full_name", "gender", "phone", "email", "specialisations", "qualifications", "languages",
            "governorates", "daily_rate", "currency", "availability", "vetting", "vetting_note", "vetted_at", "has_cv",
            "has_account", "assignment_count", "average_rating", "created_at",
        ]  # fmt: skip
        read_only_fields = ["vetting", "vetting_note", "vetted_at", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Expert):
            self.fields["organisation"].read_only = True

    def get_has_cv(self, obj) -> bool:
        return bool(obj.cv)

    def get_has_account(self, obj) -> bool:
        return obj.user_id is not None

    def get_assignment_count(self, obj) -> int:
        return getattr(obj, "assignment_count", 0)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_average_rating(self, obj):
        value = getattr(obj, "average_rating", None)
        return round(float(value), 2) if value is not None else None


class ExpertVettingSerializer(serializers.Serializer):
    vetting = serializers.ChoiceField(choices=Expert.Vetting.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _int_or_none(value):
    return int(value) if str(value).isdigit() else -1


ROSTER_FILTERS = [
    OpenApiParameter("search", str, description="Name, service, phone or qualification, in any spelling."),
    OpenApiParameter("service", int, description="Only experts with this specialisation (a service id)."),
    OpenApiParameter("governorate", str, description="ISO 3166-2 code, e.g. PS-GZA."),
    OpenApiParameter("availability", str, enum=Expert.Availability.values),
    OpenApiParameter("vetting", str, enum=Expert.Vetting.values),
    OpenApiParameter("language", str, enum=list(services.LANGUAGES)),
]


@extend_schema_view(list=extend_schema(parameters=ROSTER_FILTERS))
class ExpertViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The expert roster of your network. The organisation that keeps the roster adds, edits and vets its experts."""

    serializer_class = ExpertSerializer
    queryset = Expert.objects.none()  # for the schema; requests read through the selectors

    def get_queryset(self):
        params = self.request.query_params
        filters = {name: params[name] for name in ("governorate", "availability", "vetting", "language", "gender") if params.get(name)}
        if params.get("service"):
            filters["service"] = _int_or_none(params["service"])
        return selectors.expert_list(user=self.request.user, query=params.get("search", ""), filters=filters)

    def get_object(self):
        expert = selectors.expert_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, expert)
        return expert

    def _fresh(self, expert: Expert) -> dict:
        return self.get_serializer(selectors.expert_get(user=self.request.user, pk=expert.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        expert = service_call(services.expert_save, actor=request.user, organisation=organisation, data=data)
        return Response(self._fresh(expert), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        expert = self.get_object()
        if not services.can_manage(request.user, expert.organisation_id):
            raise PermissionDenied
        serializer = self.get_serializer(expert, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        service_call(services.expert_save, actor=request.user, expert=expert, data=dict(serializer.validated_data))
        return Response(self._fresh(expert))

    @extend_schema(request=ExpertVettingSerializer, responses=ExpertSerializer)
    @action(detail=True, methods=["post"])
    def vet(self, request, pk=None):
        """Record the vetting decision (a reason is needed to reject or suspend)."""
        expert = self.get_object()
        serializer = ExpertVettingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service_call(services.expert_vet, actor=request.user, expert=expert, **serializer.validated_data)
        return Response(self._fresh(expert))


# --- assignments -----------------------------------------------------------------------------------------------


class ExpertAssignmentSerializer(serializers.ModelSerializer):
    referral = serializers.IntegerField(source="referral_id", help_text="An expert referral of your organisation.")
    expert = serializers.PrimaryKeyRelatedField(read_only=True)
    expert_name = serializers.CharField(source="expert.full_name", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.CharField(source="referral.case_service.service.name", read_only=True)
    shared = serializers.JSONField(source="referral.shared", read_only=True, help_text="What the referral shared about the client.")
    expected_days = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=Decimal("0.5"))
    recorded_days = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True, default=0)
    approved_days = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True, default=0)
    waiting_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Assignment
        fields = [
            "id", "referral", "expert", "expert_name", "organisation", "service", "shared", "scope", "expected_days", "fee",
            "currency", "deliverables", "status", "rating", "rating_note", "closed_at", "created_at", "recorded_days",
            "approved_days", "waiting_count",
        ]  # fmt: skip
        read_only_fields = ["status", "rating", "rating_note", "closed_at", "created_at"]
        extra_kwargs = {"currency": {"required": False, "allow_blank": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Assignment):
            self.fields["referral"].read_only = True


class TimesheetSerializer(serializers.ModelSerializer):
    confirm_over = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="Record it even though it passes the expected days."
    )
    days = serializers.ChoiceField(choices=["0.5", "1"])

    class Meta:
        model = Timesheet
        fields = ["id", "date", "days", "work", "deliverable", "approved_at", "created_at", "confirm_over"]
        read_only_fields = ["approved_at", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["days"] = services.days_text(instance.days)
        return data


class AssignmentCloseSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TimesheetApproveSerializer(serializers.Serializer):
    timesheets = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids to approve; left out: every timesheet waiting."
    )


class TimesheetApprovedSerializer(serializers.Serializer):
    approved = serializers.IntegerField()


class AssignmentViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Expert assignments: the coordinator's organisations' ones, or, for an expert, only her own.
    Create one from an expert referral; record timesheets; the coordinator approves them and closes with a rating."""

    serializer_class = ExpertAssignmentSerializer
    queryset = Assignment.objects.none()  # for the schema; requests read through the selectors

    def get_queryset(self):
        return selectors.assignments_visible(user=self.request.user)

    def _fresh(self, assignment: Assignment) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        referral = selectors.referral_for_assignment(user=request.user, pk=data.pop("referral_id"))
        assignment = service_call(services.assignment_create, actor=request.user, referral=referral, **data)
        return Response(self._fresh(assignment), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        assignment = self.get_object()
        serializer = self.get_serializer(assignment, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        service_call(services.assignment_update, actor=request.user, assignment=assignment, data=dict(serializer.validated_data))
        return Response(self._fresh(assignment))

    @extend_schema(request=AssignmentCloseSerializer, responses=ExpertAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close with a rating of the expert's work (1–5); every timesheet must be approved first."""
        assignment = self.get_object()
        serializer = AssignmentCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service_call(services.assignment_close, actor=request.user, assignment=assignment, **serializer.validated_data)
        return Response(self._fresh(assignment))

    @extend_schema(methods=["get"], request=None, responses=TimesheetSerializer(many=True))
    @extend_schema(methods=["post"], request=TimesheetSerializer, responses={201: TimesheetSerializer})
    @action(detail=True, methods=["get", "post"])
    def timesheets(self, request, pk=None):
        """The assignment's timesheets (GET), or record a day (POST): not in the future, not twice the same day,
        beyond the expected days only with confirm_over."""
        assignment = self.get_object()
        if request.method == "GET":
            return Response(TimesheetSerializer(assignment.timesheets.all(), many=True).data)
        serializer = TimesheetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        timesheet = service_call(services.timesheet_add, actor=request.user, assignment=assignment, **serializer.validated_data)
        return Response(TimesheetSerializer(timesheet).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TimesheetApproveSerializer, responses=TimesheetApprovedSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve timesheets (the coordinator of the assignment's organisation; never the expert herself)."""
        assignment = self.get_object()
        serializer = TimesheetApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = None
        if "timesheets" in serializer.validated_data:
            ids = serializer.validated_data["timesheets"]
            chosen = list(assignment.timesheets.filter(pk__in=ids))
            if len(chosen) != len(set(ids)):
                raise serializers.ValidationError({"timesheets": [_("Some of these timesheets are not of this assignment.")]})
        count = service_call(services.timesheets_approve, actor=request.user, assignment=assignment, timesheets=chosen)
        return Response({"approved": count})
