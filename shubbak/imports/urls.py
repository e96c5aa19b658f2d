from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:slug>/imports/", views.import_list, name="import_list"),
    path("o/<slug:slug>/imports/new/", views.import_upload, name="import_upload"),
    path("o/<slug:slug>/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("o/<slug:slug>/imports/<int:pk>/columns/", views.import_mapping, name="import_mapping"),
    path("o/<slug:slug>/imports/<int:pk>/preview/", views.import_preview, name="import_preview"),
    path("o/<slug:slug>/imports/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
]
