from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from shubbak.organisations import api as organisations_api
from shubbak.registry import api as registry_api

router = DefaultRouter()
router.register("organisations", organisations_api.OrganisationViewSet, basename="organisation")
router.register("desks", organisations_api.DeskViewSet, basename="desk")
router.register("memberships", organisations_api.MembershipViewSet, basename="membership")
router.register("people", registry_api.PersonViewSet, basename="person")
router.register("enterprises", registry_api.EnterpriseViewSet, basename="enterprise")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
