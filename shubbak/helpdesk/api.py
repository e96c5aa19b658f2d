"""REST endpoints of the helpdesk for staff: the service catalogue, and cases with their workflow as explicit actions.

The same selectors, services and rules as the pages: a case of another organisation is a 404, a read-only member
gets a 403 on every write, and a move the workflow forbids is a 400 that says why.
"""

from copy import copy

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from shubbak.api import service_call
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for, require
from shubbak.pagination import CappedPaginator

from . import selectors, services
from .models import Case, CaseEvent, Service, Session
from .serializers import (
    AssignSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseSerializer,
    CategorySerializer,
    EventSerializer,
    NoteSerializer,
    ReopenSerializer,
    ResolveSerializer,
    ServiceSerializer,
    SessionSerializer,
    TextSerializer,
    TriageSerializer,
)

# --- catalogue -------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("network", str, description="A network's short name."),
            OpenApiParameter("category", int),
            OpenApiParameter("active", bool, description="true: only the services offered now."),
        ]
    )
)
class ServiceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The service catalogues of your networks. Network managers add and change services."""

    serializer_class = ServiceSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        params = self.request.query_params
        qs = selectors.catalogue(user=self.request.user, active_only=params.get("active") == "true")
        if network := params.get("network"):
            qs = qs.filter(network__slug=network)
        if (category := params.get("category", "")).isdigit():
            qs = qs.filter(category_id=category)
        return qs

    def get_object(self):
        return selectors.service_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        service = Service(**serializer.validated_data)
        serializer.instance = service_call(services.service_save, actor=self.request.user, service=service)

    def perform_update(self, serializer):
        changed = copy(serializer.instance)
        for name, value in serializer.validated_data.items():
            setattr(changed, name, value)
        serializer.instance = service_call(services.service_save, actor=self.request.user, service=changed)

    def update(self, request, *args, **kwargs):
        # the role is checked before the body, so a read-only member learns nothing from validation errors
        if not access_for(request.user).is_network_manager(self.get_object().network_id):
            raise PermissionDenied
        return super().update(request, *args, **kwargs)

    @extend_schema(responses=CategorySerializer(many=True))
    @action(detail=False, pagination_class=None, serializer_class=CategorySerializer)
    def categories(self, request):
        """The categories of your networks' catalogues."""
        return Response(CategorySerializer(selectors.categories(user=request.user), many=True).data)


# --- cases -----------------------------------------------------------------------------------------------------


class CasePagination(PageNumberPagination):
    """25 a page; the count stops at 1,000 (`count_capped` says so), so a queue of a million cases stays fast."""

    page_size = 25
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {"type": "boolean", "description": "The count stopped at 1,000."}
        return schema


def _case_response(request, case: Case, code=status.HTTP_200_OK) -> Response:
    fresh = selectors.case_get(user=request.user, pk=case.pk)
    return Response(CaseDetailSerializer(fresh, context={"request": request}).data, status=code)


def _move(summary: str, payload=TextSerializer):
    return extend_schema(summary=summary, request=payload, responses=CaseDetailSerializer)


@extend_schema_view(
    list=extend_schema(parameters=[CaseFilterSerializer]),
    create=extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, 200: CaseDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, description="Send a request again safely.")],
    ),
)
class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cases of your organisations: the queue with its filters, a case with its services, and the workflow's moves."""

    serializer_class = CaseSerializer
    pagination_class = CasePagination
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CaseDetailSerializer
        if self.action == "create":
            return CaseCreateSerializer
        return CaseSerializer

    def get_queryset(self):
        params = CaseFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        view = filters.pop("view")
        if slug := filters.get("organisation"):  # an unknown one matches nothing
            filters["organisation"] = Organisation.objects.filter(slug=slug).values_list("pk", flat=True).first() or -1
        return selectors.case_list(user=self.request.user, view=view, filters=filters)

    def get_object(self):
        case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            case = (
                Case.objects.prefetch_related("services__service")
                .select_related("organisation", "desk", "assigned_to", "person", "enterprise")
                .get(pk=case.pk)
            )
        return case

    def _for_work(self, request) -> Case:
        """The case, when the user may work on it: 404 if she may not see it, 403 if she may only look."""
        case = selectors.case_get(user=request.user, pk=self.kwargs["pk"])
        require(request.user, case.organisation, "work_cases")
        return case

    @staticmethod
    def _valid(serializer_class, request):
        serializer = serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        data = self._valid(CaseCreateSerializer, request)
        organisation = data.pop("organisation")
        require(request.user, organisation, "work_cases")
        chosen = data.pop("services")
        key = (request.headers.get("Idempotency-Key") or "").strip()[:64] or None
        existed = bool(key) and Case.objects.filter(organisation=organisation, idempotency_key=key).exists()
        case = service_call(
            services.case_create, actor=request.user, organisation=organisation, data=data, services=chosen, idempotency_key=key
        )
        return _case_response(request, case, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    # the workflow: one explicit action per move ---------------------------------------------------------------

    @_move("Give the case to an officer", AssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case = self._for_work(request)
        data = self._valid(AssignSerializer, request)
        case = service_call(services.case_assign, actor=request.user, case=case, assignee=data["assigned_to"])
        return _case_response(request, case)

    @_move("Triage a new request: priority, and the person and enterprise it is about", TriageSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        case = self._for_work(request)
        data = self._valid(TriageSerializer, request)
        case = service_call(services.case_triage, actor=request.user, case=case, **data)
        return _case_response(request, case)

    def _transition(self, request, name: str) -> Response:
        case = self._for_work(request)
        data = self._valid(TextSerializer, request)
        case = service_call(services.case_transition, actor=request.user, case=case, action=name, text=data["text"])
        return _case_response(request, case)

    @_move("Start work on an assigned case")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, "start")

    @_move("Wait for the client: the service-level clocks pause")
    @action(detail=True, methods=["post"])
    def wait(self, request, pk=None):
        return self._transition(request, "wait")

    @_move("Resume work after waiting for the client")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._transition(request, "resume")

    @_move("Resolve with an outcome and its results", ResolveSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        case = self._for_work(request)
        data = dict(self._valid(ResolveSerializer, request))
        text = data.pop("text")
        case = service_call(services.case_resolve, actor=request.user, case=case, outcome=data, text=text)
        return _case_response(request, case)

    @_move("Close a resolved case: the client is asked to rate it and follow-ups are planned")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self._for_work(request)
        data = self._valid(TextSerializer, request)
        case = service_call(services.case_close, actor=request.user, case=case, text=data["text"])
        return _case_response(request, case)

    @_move("Reopen a resolved or closed case, saying why", ReopenSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        case = self._for_work(request)
        data = self._valid(ReopenSerializer, request)
        case = service_call(services.case_reopen, actor=request.user, case=case, text=data["reason"])
        return _case_response(request, case)

    # notes, messages, sessions, timeline ------------------------------------------------------------------------

    def _events(self, request, kinds) -> Response:
        case = selectors.case_get(user=request.user, pk=self.kwargs["pk"])
        events = case.events.filter(kind__in=kinds).select_related("actor")[:200]
        return Response(EventSerializer(events, many=True).data)

    def _write_event(self, request, service) -> Response:
        case = self._for_work(request)
        data = self._valid(NoteSerializer, request)
        event = service_call(service, actor=request.user, case=case, text=data["text"])
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="Internal notes, newest first", responses=EventSerializer(many=True))
    @extend_schema(methods=["POST"], summary="Add an internal note (staff only)", request=NoteSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def notes(self, request, pk=None):
        if request.method == "POST":
            return self._write_event(request, services.note_add)
        return self._events(request, [CaseEvent.Kind.NOTE])

    @extend_schema(methods=["GET"], summary="Messages with the client, both ways", responses=EventSerializer(many=True))
    @extend_schema(methods=["POST"], summary="Send a message to the client", request=NoteSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def messages(self, request, pk=None):
        if request.method == "POST":
            return self._write_event(request, services.message_send)
        return self._events(request, [CaseEvent.Kind.MESSAGE_OUT, CaseEvent.Kind.MESSAGE_IN])

    @extend_schema(methods=["GET"], summary="Advisory sessions of the case", responses=SessionSerializer(many=True))
    @extend_schema(methods=["POST"], summary="Record an advisory session", request=SessionSerializer, responses={201: SessionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, serializer_class=SessionSerializer)
    def sessions(self, request, pk=None):
        if request.method == "POST":
            case = self._for_work(request)
            data = self._valid(SessionSerializer, request)
            session = service_call(services.session_add, actor=request.user, case=case, session=Session(**data))
            return Response(SessionSerializer(session, context={"request": request}).data, status=status.HTTP_201_CREATED)
        case = selectors.case_get(user=request.user, pk=pk)
        sessions = case.sessions.select_related("staff", "service")
        return Response(SessionSerializer(sessions, many=True, context={"request": request}).data)

    @extend_schema(
        summary="The case's timeline, newest first",
        parameters=[OpenApiParameter("limit", int, description="How many entries (default 50, at most 200).")],
        responses=EventSerializer(many=True),
    )
    @action(detail=True, pagination_class=None, serializer_class=EventSerializer)
    def timeline(self, request, pk=None):
        case = selectors.case_get(user=request.user, pk=pk)
        try:
            limit = min(max(int(request.query_params.get("limit", 50)), 1), 200)
        except ValueError:
            raise serializers.ValidationError({"limit": [_("A whole number from 1 to 200.")]}) from None
        return Response(EventSerializer(selectors.timeline(case, limit=limit), many=True).data)
