from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from shubbak.helpdesk import api as helpdesk_api
from shubbak.helpdesk import public_api
from shubbak.organisations import api as organisations_api
from shubbak.referrals import api as referrals_api
from shubbak.referrals import directory_api, expert_api
from shubbak.registry import api as registry_api

router = DefaultRouter()
router.register("organisations", organisations_api.OrganisationViewSet, basename="organisation")
router.register("desks", organisations_api.DeskViewSet, basename="desk")
router.register("memberships", organisations_api.MembershipViewSet, basename="membership")
router.register("people", registry_api.PersonViewSet, basename="person")
router.register("enterprises", registry_api.EnterpriseViewSet, basename="enterprise")
router.register("services", helpdesk_api.ServiceViewSet, basename="service")
router.register("cases", helpdesk_api.CaseViewSet, basename="case")
router.register("referrals", referrals_api.ReferralViewSet, basename="referral")
router.register("partners", directory_api.PartnerViewSet, basename="partner")
router.register("offers", directory_api.OfferViewSet, basename="offer")
router.register("experts", expert_api.ExpertViewSet, basename="expert")
router.register("assignments", expert_api.AssignmentViewSet, basename="assignment")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("public/requests/", public_api.PublicRequestView.as_view(), name="public-api-requests"),
    path("public/track/", public_api.PublicTrackView.as_view(), name="public-api-track"),
    path("public/services/", public_api.PublicServicesView.as_view(), name="public-api-services"),
    path("cases/<int:pk>/suggestions/", directory_api.CaseSuggestionsView.as_view(), name="case-suggestions"),
    *router.urls,
]
