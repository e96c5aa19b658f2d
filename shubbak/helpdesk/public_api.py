"""The public endpoints, for a future mobile or offline client: no account, throttled per address.

The same service as the web form (`intake.public_request_submit`), the same tracking lookup and the same
client timeline as the status page. A resent request (same Idempotency-Key header) answers 200 with the first case.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from shubbak import places
from shubbak.api import ErrorSerializer, service_call
from shubbak.registry import isic
from shubbak.registry.models import Consent, Enterprise, Person

from . import intake, public, tracking
from .models import Case

IDEMPOTENCY_HEADER = "Idempotency-Key"
KEY_MAX = 64  # Case.idempotency_key


class PublicRequestThrottle(AnonRateThrottle):
    """PUBLIC_REQUEST_RATE per address (settings.py explains it)."""

    scope = "public_requests"

    def get_rate(self):
        return settings.PUBLIC_REQUEST_RATE or None


class PublicReadThrottle(AnonRateThrottle):
    """Reading the catalogue: the API's anonymous rate."""


def _required(key: str) -> dict:
    return {"required": intake.REQUIRED[key], "blank": intake.REQUIRED[key]}


def _optional(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _optional_choice(choices):
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, default="")


class PublicRequestSerializer(serializers.Serializer):
    """A request as the public form sends it; services by their codes, the organisation by its short name."""

    organisation = serializers.SlugField(help_text="The organisation's short name (its slug), as in /request/<slug>/.")
    services = serializers.ListField(
        child=serializers.SlugField(), allow_empty=False, error_messages={"empty": intake.SERVICES_REQUIRED}, help_text="Service codes."
    )
    desk = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Needed when the organisation has several desks."
    )
    first_name = serializers.CharField(max_length=60, error_messages=_required("first_name"))
    father_name = serializers.CharField(max_length=60, error_messages=_required("father_name"))
    family_name = serializers.CharField(max_length=60, error_messages=_required("family_name"))
    gender = serializers.ChoiceField(choices=Person.Gender.choices, error_messages=_required("gender"))
    phone = serializers.CharField(max_length=30, error_messages=_required("phone"), help_text="Any local or international form.")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    governorate = serializers.CharField(max_length=8, error_messages=_required("governorate"), help_text="ISO 3166-2, e.g. PS-HBN.")
    id_type = _optional_choice(Person.IdType.choices)
    national_id = _optional(max_length=32)
    enterprise_name = _optional(max_length=200)
    enterprise_status = _optional_choice([(s.value, s.label) for s in intake.ENTERPRISE_STATUSES])
    legal_form = _optional_choice(Enterprise.LegalForm.choices)
    registration_number = _optional(max_length=40)
    isic_section = _optional(max_length=1)
    subject = serializers.CharField(max_length=200, error_messages=_required("subject"))
    description = _optional(max_length=intake.DESCRIPTION_MAX, trim_whitespace=False)
    heard_from = serializers.ChoiceField(choices=Case.HeardFrom.choices, error_messages=_required("heard_from"))
    campaign = _optional(max_length=100)
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=Consent.Purpose.choices),
        error_messages={"required": intake.DATA_CONSENT_REQUIRED},
        help_text='"data" is required: the client agrees that the desk keeps and uses her data to serve her.',
    )


class CaseServiceSerializer(serializers.Serializer):
    code = serializers.CharField(source="service.code")
    name = serializers.CharField(source="service.name")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")


class TimelineEntrySerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    at = serializers.DateTimeField()


class PublicCaseSerializer(serializers.Serializer):
    """A request as its client sees it."""

    code = serializers.CharField(source="tracking_code", help_text="The tracking code, in groups of four.")
    organisation = serializers.CharField(source="organisation.slug")
    organisation_name = serializers.CharField(source="organisation.name")
    subject = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    status_text = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_status_text(self, case) -> str:
        return str(public.CLIENT_STATUS[case.status])


class TrackedCaseSerializer(PublicCaseSerializer):
    services = CaseServiceSerializer(many=True, source="services.all")
    timeline = serializers.SerializerMethodField()
    can_rate = serializers.SerializerMethodField()

    def get_timeline(self, case) -> list[dict]:
        return TimelineEntrySerializer(public.client_entries(case), many=True).data

    def get_can_rate(self, case) -> bool:
        return case.status in (Case.Status.RESOLVED, Case.Status.CLOSED) and not case.rated_at


class TrackSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30, help_text="The tracking code, with or without dashes.")
    phone = serializers.CharField(max_length=30, help_text="The phone number given with the request.")


class CatalogueServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_ar = serializers.CharField()
    name_en = serializers.CharField()
    category = serializers.CharField(source="category.name")
    description = serializers.CharField()
    documents = serializers.ListField(child=serializers.CharField())
    resolution_days = serializers.IntegerField()


class PublicDeskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    governorate = serializers.CharField()


class CatalogueSerializer(serializers.Serializer):
    """What a client can ask an organisation for, and the choices the request needs."""

    organisation = serializers.CharField(source="organisation.slug")
    organisation_name = serializers.CharField(source="organisation.name")
    country = serializers.CharField(source="organisation.country")
    desks = PublicDeskSerializer(many=True)
    services = CatalogueServiceSerializer(many=True)
    governorates = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    isic_sections = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


def _catalogue(slug: str) -> intake.PublicCatalogue:
    catalogue = intake.public_catalogue(slug)
    if catalogue is None:
        raise NotFound(_("No organisation takes requests under this name."))
    return catalogue


class PublicView(APIView):
    authentication_classes = []  # no account, and so no CSRF check: the throttle guards these
    permission_classes = [AllowAny]


class PublicRequestView(PublicView):
    throttle_classes = [PublicRequestThrottle]

    @extend_schema(
        operation_id="public_request_create",
        summary="Send a request to a desk, as the public form does",
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Any unique string (a UUID) per submission, at most 64 characters. "
                "Sending the same request again with the same key returns the first case (200) instead of a new one.",
            )
        ],
        request=PublicRequestSerializer,
        responses={
            201: PublicCaseSerializer,
            200: OpenApiResponse(PublicCaseSerializer, description="Already received with this Idempotency-Key."),
            404: OpenApiResponse(ErrorSerializer, description="No active organisation with this short name."),
            429: OpenApiResponse(ErrorSerializer, description="Too many requests from this address."),
        },
        tags=["public"],
    )
    def post(self, request):
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key or len(key) > KEY_MAX:
            raise serializers.ValidationError(
                {"idempotency_key": [_("Send an Idempotency-Key header: a unique string (e.g. a UUID) of at most 64 characters.")]}
            )
        catalogue = _catalogue(str(request.data.get("organisation", "")))
        organisation = catalogue.organisation
        if existing := Case.objects.select_related("organisation").filter(organisation=organisation, idempotency_key=key).first():
            return Response(PublicCaseSerializer(existing).data, status=status.HTTP_200_OK)
        serializer = PublicRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("organisation")
        codes = list(dict.fromkeys(data.pop("services")))
        found = catalogue.services_by_code
        if unknown := [code for code in codes if code not in found]:
            raise serializers.ValidationError({"services": [_("Unknown services: %(codes)s.") % {"codes": ", ".join(unknown)}]})
        chosen = [found[code] for code in codes]
        desk_id = data.pop("desk")
        data["desk"] = None
        if desk_id is not None:
            data["desk"] = next((d for d in catalogue.desks if d.pk == desk_id), None)
            if data["desk"] is None:
                raise serializers.ValidationError({"desk": [_("Choose one of this organisation's desks.")]})
        case = service_call(
            intake.public_request_submit,
            organisation=organisation,
            data=data,
            services=chosen,
            idempotency_key=key,
            channel=Case.Channel.API,
            desks=catalogue.desks,
        )
        return Response(PublicCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class PublicTrackView(PublicView):
    throttle_classes = []  # wrong pairs are counted per address and per code, right ones are free

    @extend_schema(
        operation_id="public_track",
        summary="Where a request stands: its code and the client's phone",
        request=TrackSerializer,
        responses={
            200: TrackedCaseSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No request with this code and phone (the same answer for either)."),
            429: OpenApiResponse(ErrorSerializer, description="Too many wrong tries from this address."),
        },
        tags=["public"],
    )
    def post(self, request):
        serializer = TrackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ip = intake.client_ip(request)
        if intake.rate_exceeded("track", ip, settings.PUBLIC_TRACK_RATE, count=False):
            return Response({"detail": _("Too many tries from your connection. Please try again later.")}, status=429)
        case = tracking.find_case(serializer.validated_data["code"], serializer.validated_data["phone"])
        if case is None:
            intake.rate_exceeded("track", ip, settings.PUBLIC_TRACK_RATE)
            raise NotFound(_("We found no request with this code and this phone number. Check both and try again."))
        return Response(TrackedCaseSerializer(case).data)


class PublicServicesView(PublicView):
    throttle_classes = [PublicReadThrottle]

    @extend_schema(
        operation_id="public_services",
        summary="The services an organisation takes requests for, its desks, governorates and sectors",
        parameters=[OpenApiParameter("organisation", str, required=True, description="The organisation's short name (slug).")],
        responses={200: CatalogueSerializer},
        tags=["public"],
    )
    def get(self, request):
        slug = request.query_params.get("organisation", "")
        if not slug:
            raise serializers.ValidationError({"organisation": [_("Say which organisation: ?organisation=<short name>.")]})
        catalogue = _catalogue(slug)
        organisation = catalogue.organisation
        body = {
            "organisation": organisation,
            "desks": catalogue.desks,
            "services": catalogue.services,
            "governorates": [list(choice) for choice in places.governorate_choices(organisation.country)],
            "isic_sections": [list(choice) for choice in isic.section_choices()],
        }
        return Response(CatalogueSerializer(body).data)
