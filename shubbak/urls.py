from django.contrib import admin
from django.urls import include, path

from shubbak import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("shubbak.accounts.urls")),
    path("", include("shubbak.organisations.urls")),
    path("", include("shubbak.audit.urls")),
    path("", include("shubbak.registry.urls")),
    path("", include("shubbak.imports.urls")),
    path("", include("shubbak.helpdesk.urls")),
    path("", include("shubbak.helpdesk.public_urls")),
    path("", include("shubbak.notifications.urls")),
    path("", include("shubbak.referrals.urls")),
    path("api/v1/", include("shubbak.api_urls")),
    path("admin/", admin.site.urls),
]
