"""REST endpoints for referrals: the same selectors, services and rules as the pages.

Senders (the case's organisation) see their referrals whole; receivers — partner staff tokens among them — see only
referrals sent to their organisation (or to them as an expert), and of those only the shared snapshot: never the
case, the person or the case's notes. Anyone else gets a 404.
"""

from decimal import Decimal

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shubbak.api import service_call
from shubbak.helpdesk.models import CaseService
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for

from . import selectors, services
from .models import Expert, Offer, Referral

RECEIVER_FIELDS = [
    "id", "kind", "status", "service", "service_name", "from_organisation", "to_organisation", "expert_name", "shared",
    "note", "sent_at", "respond_by", "accepted_at", "declined_at", "started_at", "finished_at", "decline_reason",
    "outcome_note",
]  # fmt: skip
SENDER_FIELDS = [
    *RECEIVER_FIELDS, "case", "case_service", "offer", "expert", "shared_fields", "created_by", "reminded_at",
    "link_expires_at", "link_revoked_at",
]  # fmt: skip


class ReferralSerializer(serializers.ModelSerializer):
    """A referral as its sender sees it; a receiver gets only the fields of the receiving side (see RECEIVER_FIELDS)."""

    service = serializers.CharField(source="case_service.service.code", read_only=True)
    service_name = serializers.CharField(source="case_service.service.name", read_only=True)
    from_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    expert_name = serializers.CharField(source="expert.full_name", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by.full_name", read_only=True, default=None)

    class Meta:
        model = Referral
        fields = SENDER_FIELDS
        read_only_fields = SENDER_FIELDS

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if getattr(instance, "side", None) != selectors.SENDER:
            return {name: data[name] for name in RECEIVER_FIELDS}
        return data


class ReferralCreateSerializer(serializers.Serializer):
    """Send a referral: the case's requested service, whom to (kind + organisation, offer or expert), what to share."""

    case_service = serializers.PrimaryKeyRelatedField(queryset=CaseService.objects.none())
    kind = serializers.ChoiceField(choices=Referral.Kind.choices)
    to_organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.none(), required=False, allow_null=True)
    offer = serializers.PrimaryKeyRelatedField(queryset=Offer.objects.none(), required=False, allow_null=True)
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.none(), required=False, allow_null=True)
    shared_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=list(Referral.SHAREABLE)), default=list(Referral.DEFAULT_SHARED)
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        access = access_for(request.user)
        networks = Organisation.objects.filter(pk__in=access.organisation_ids("view_cases")).values("network_id")
        self.fields["case_service"].queryset = CaseService.objects.filter(case__organisation__in=access.organisation_ids("view_cases"))
        self.fields["to_organisation"].queryset = Organisation.objects.filter(network_id__in=networks, is_active=True)
        self.fields["offer"].queryset = Offer.objects.filter(organisation__network_id__in=networks)
        self.fields["expert"].queryset = Expert.objects.filter(network_id__in=networks)


class AssignmentSerializer(serializers.Serializer):
    scope = serializers.CharField(max_length=4000)
    expected_days = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=Decimal("0.5"))
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    deliverables = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralActionSerializer(serializers.Serializer):
    """The words that go with an answer: the reason to decline (required), the outcome of a completed service
    (required); an expert who accepts may give her assignment (scope, expected days)."""

    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    assignment = AssignmentSerializer(required=False)


SIDE = OpenApiParameter("side", str, enum=["sent", "received"], description="Only the referrals you sent, or only those sent to you.")
STATUS = OpenApiParameter("status", str, enum=Referral.Status.values)


@extend_schema_view(
    list=extend_schema(parameters=[SIDE, STATUS, OpenApiParameter("kind", str, enum=Referral.Kind.values)]),
    create=extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer}),
)
class ReferralViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Referrals you sent (whole) and referrals sent to you (the shared snapshot only). POST sends one; the actions
    accept, decline, start, complete and no_show answer it, cancel withdraws it."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()  # the schema's model; get_queryset scopes every request

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        user, params = self.request.user, self.request.query_params
        access = access_for(user)
        sent = Q(from_organisation__in=access.organisation_ids("view_cases"))
        side = params.get("side")
        where = sent if side == "sent" else selectors.received_q(user) if side == "received" else sent | selectors.received_q(user)
        qs = Referral.objects.filter(where).select_related(
            "case_service__service", "from_organisation", "to_organisation", "expert", "created_by"
        )
        for name in ("status", "kind"):
            if value := params.get(name):
                qs = qs.filter(**{name: value})
        return qs.order_by("-id")

    def _sides(self, referrals) -> None:
        senders = access_for(self.request.user).organisation_ids("view_cases")
        for referral in referrals:
            referral.side = selectors.SENDER if referral.from_organisation_id in senders else selectors.RECEIVER

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._sides(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except ValueError:
            from django.http import Http404

            raise Http404 from None
        return selectors.referral_get(user=self.request.user, pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = ReferralCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        referral = service_call(
            services.referral_send,
            actor=request.user,
            case_service=data["case_service"],
            kind=data["kind"],
            to_organisation=data.get("to_organisation"),
            offer=data.get("offer"),
            expert=data.get("expert"),
            shared_fields=data["shared_fields"],
            note=data.get("note", ""),
        )
        referral = selectors.referral_get(user=request.user, pk=referral.pk)
        return Response(ReferralSerializer(referral, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    def _act(self, request, name: str) -> Response:
        referral = self.get_object()
        body = ReferralActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service_call(
            services.referral_transition,
            actor=request.user,
            referral=referral,
            action=name,
            text=body.validated_data.get("text", ""),
            assignment=body.validated_data.get("assignment"),
        )
        referral = selectors.referral_get(user=request.user, pk=referral.pk)
        return Response(ReferralSerializer(referral, context=self.get_serializer_context()).data)

    @extend_schema(request=ReferralActionSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The receiver accepts the referral (an expert may give her assignment's scope and days)."""
        return self._act(request, "accept")

    @extend_schema(request=ReferralActionSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The receiver declines, saying why in `text`; the requested service goes back to the desk."""
        return self._act(request, "decline")

    @extend_schema(request=ReferralActionSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """The receiver starts serving the client."""
        return self._act(request, "start")

    @extend_schema(request=ReferralActionSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The receiver reports the service completed, with the outcome in `text`; the case's service is delivered."""
        return self._act(request, "complete")

    @extend_schema(request=ReferralActionSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"], url_path="no_show")
    def no_show(self, request, pk=None):
        """The client did not come; the requested service goes back to the desk."""
        return self._act(request, "no_show")

    @extend_schema(request=ReferralActionSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The sender withdraws the referral; the requested service goes back to the desk."""
        return self._act(request, "cancel")
