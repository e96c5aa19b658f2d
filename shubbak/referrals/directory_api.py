"""REST endpoints of the directory and matching: partners with their offers (read by the network), offers (written by
the partner's staff and network managers, rules checked as on the pages), and the suggestions for a case's service."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from shubbak.api import service_call
from shubbak.helpdesk import selectors as helpdesk_selectors
from shubbak.helpdesk.models import Service
from shubbak.organisations.models import Contact, Organisation

from . import directory, matching
from .models import Offer


class OfferSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.none())
    partner_name = serializers.CharField(source="organisation.name", read_only=True)
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.none())
    service_name = serializers.CharField(source="service.name", read_only=True)
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.none(), required=False, allow_null=True)
    rule = serializers.JSONField(required=False, help_text="An eligibility rule: {'all'|'any': [conditions or groups]}.")
    rule_text = serializers.SerializerMethodField(help_text="The rule in plain words, in the request's language.")
    governorates = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = Offer
        fields = [
            "id", "organisation", "partner_name", "service", "service_name", "title", "description", "rule", "rule_text",
            "governorates", "capacity_per_month", "contact", "mou_start", "mou_end", "is_active", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        networks = directory.network_ids(request.user)
        self.fields["organisation"].queryset = Organisation.objects.filter(network__in=networks, is_active=True)
        self.fields["service"].queryset = Service.objects.filter(network__in=networks, is_active=True)
        self.fields["contact"].queryset = Contact.objects.filter(organisation__network__in=networks)
        if isinstance(self.instance, Offer):
            self.fields["organisation"].read_only = True

    def get_rule_text(self, offer: Offer) -> str:
        return directory.rule_text(offer.rule)


class PartnerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    offers = OfferSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "name_ar", "name_en", "kind", "country", "governorate", "phone", "email", "website", "offers"]


PARTNER_FILTERS = [
    OpenApiParameter("kind", str, description="Kind of organisation (lender, training_provider, …)."),
    OpenApiParameter("service", int, description="Only partners with an active offer of this service."),
    OpenApiParameter("governorate", str, description="Partners based in this governorate (ISO 3166-2)."),
]


@extend_schema_view(list=extend_schema(parameters=PARTNER_FILTERS))
class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Partner organisations of your networks with their active offers. Every member of a network reads them."""

    serializer_class = PartnerSerializer

    def get_queryset(self):
        params = self.request.query_params
        filters = {name: params[name] for name in ("kind", "service", "governorate") if params.get(name)}
        if "service" in filters and not filters["service"].isdigit():
            return Organisation.objects.none()
        return directory.partner_list(user=self.request.user, filters=filters)


OFFER_FILTERS = [
    OpenApiParameter("service", int, description="Offers of this service."),
    OpenApiParameter("organisation", str, description="Offers of this partner (its slug)."),
    OpenApiParameter("search", str, description="Words of the partner, title, description or service, in any spelling."),
    OpenApiParameter("governorate", str, description="Offers available in this governorate."),
]


@extend_schema_view(list=extend_schema(parameters=OFFER_FILTERS))
class OfferViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Partners' offers in your networks (active ones, unless you ask for one by id). Writing needs `manage_offers` on
    the partner: its admin, coordinator or partner staff, or a network manager. A rule is checked before it is saved."""

    serializer_class = OfferSerializer
    queryset = Offer.objects.none()  # for the schema; get_queryset() reads through the directory's selector

    def get_queryset(self):
        params = self.request.query_params
        filters = {"q": params.get("search", ""), "governorate": params.get("governorate", "")}
        if (service := params.get("service", "")).isdigit():
            filters["service"] = int(service)
        offers = directory.offer_list(user=self.request.user, filters=filters)
        if slug := params.get("organisation"):
            offers = [o for o in offers if o.organisation.slug == slug]
        return offers

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except ValueError:
            raise Http404 from None
        offer = directory.offer_get(user=self.request.user, pk=pk)
        if self.action in ("update", "partial_update") and not directory.can_manage_offers(self.request.user, offer.organisation_id):
            raise PermissionDenied  # before the input is read: a reader is told she may not write, whatever she sent
        return offer

    def create(self, request, *args, **kwargs):
        # the partner first: another network's (or none) is not found, a partner she may not write for is a 403,
        # before anything else she sent is read
        slug = request.data.get("organisation") if hasattr(request.data, "get") else None
        partner = directory.partner_get(user=request.user, slug=slug) if isinstance(slug, str) and slug else None
        if partner is None:
            raise serializers.ValidationError({"organisation": [_("Give the partner's short name.")]})
        if not directory.can_manage_offers(request.user, partner):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "organisation"}
        offer = service_call(directory.offer_create, actor=request.user, organisation=partner, data=data)
        return Response(self.get_serializer(offer).data, status=201)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "organisation"}
        serializer.instance = service_call(directory.offer_update, actor=self.request.user, offer=serializer.instance, data=data)


class SuggestionSerializer(serializers.Serializer):
    """One way to deliver the requested service, with its reasons in the request's language."""

    kind = serializers.CharField(help_text="partner (an offer), expert, or in_house (the desk itself).")
    name = serializers.CharField()
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    organisation = serializers.CharField(source="organisation.slug", help_text="The partner's, the expert's or the desk's organisation.")
    offer = serializers.IntegerField(source="offer.pk", default=None, allow_null=True)
    offer_title = serializers.CharField(source="offer.title", default=None, allow_null=True)
    expert = serializers.IntegerField(source="expert.pk", default=None, allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    places_left = serializers.IntegerField(allow_null=True)
    open_assignments = serializers.IntegerField(allow_null=True)
    completion_rate = serializers.IntegerField(allow_null=True, help_text="Per cent of finished referrals that were completed.")
    finished = serializers.IntegerField(help_text="Earlier referrals completed, declined or not attended.")


class CaseSuggestionsView(APIView):
    """Ranked suggestions for one requested service of a case: partners' offers, experts, in-house delivery, best first.

    Eligibility first (those the client does not qualify for come last, saying why), then specialisation, location,
    current load and past completion rate. Same access as the case itself (`view_cases`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("service", int, required=True, description="The id of the case's requested service (case service)."),
            OpenApiParameter("limit", int, description="How many suggestions (default 10, at most 50)."),
        ],
        responses=SuggestionSerializer(many=True),
    )
    def get(self, request, pk: int):
        case = helpdesk_selectors.case_get(user=request.user, pk=pk)
        service = request.query_params.get("service", "")
        if not service.isdigit():
            raise serializers.ValidationError({"service": [_("Give the id of one of the case's requested services.")]})
        case_service = case.services.filter(pk=int(service)).first()
        if case_service is None:
            raise Http404
        limit = request.query_params.get("limit", "10")
        limit = min(int(limit), 50) if limit.isdigit() and int(limit) > 0 else 10
        found = matching.suggestions(case_service, limit=limit)
        return Response(SuggestionSerializer(found, many=True).data)
