from django.urls import path

from . import views

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("language/", views.set_language, name="set_language"),
]
