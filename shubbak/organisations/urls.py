from django.urls import path

from . import views

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("networks/<slug:network>/organisations/new/", views.organisation_create, name="organisation_create"),
    path("o/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("o/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("o/<slug:slug>/desks/new/", views.desk_form, name="desk_create"),
    path("o/<slug:slug>/desks/<int:pk>/edit/", views.desk_form, name="desk_edit"),
    path("o/<slug:slug>/contacts/new/", views.contact_form, name="contact_create"),
    path("o/<slug:slug>/contacts/<int:pk>/edit/", views.contact_form, name="contact_edit"),
    path("o/<slug:slug>/contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("o/<slug:slug>/members/new/", views.member_add, name="member_add"),
    path("o/<slug:slug>/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("switch/", views.switch_organisation, name="switch_organisation"),
]
