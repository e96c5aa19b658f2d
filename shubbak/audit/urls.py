from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:slug>/audit/", views.organisation_audit, name="organisation_audit"),
    path("o/<slug:slug>/audit/<str:app_label>.<str:model>/<str:pk>/", views.organisation_audit, name="record_audit"),
]
