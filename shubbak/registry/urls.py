from django.urls import path

from . import views

urlpatterns = [
    path("registry/", views.search, name="registry_search"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("people/<int:pk>/consents/", views.consent_add, name="consent_add"),
    path("people/<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/merge/", views.enterprise_merge, name="enterprise_merge"),
    path("enterprises/<int:pk>/owners/", views.owner_add, name="owner_add"),
    path("enterprises/<int:pk>/owners/search/", views.owner_search, name="owner_search"),
    path("enterprises/<int:pk>/owners/<int:ownership_pk>/remove/", views.owner_remove, name="owner_remove"),
]
