"""Pages for clients, without an account: the request form, the status page, the satisfaction survey."""

from django.urls import path

from . import public

urlpatterns = [
    path("request/<slug:slug>/", public.request_form, name="public_request"),
    path("request/<slug:slug>/sent/", public.request_sent, name="public_request_sent"),
    path("track/", public.track, name="public_track"),
    path("track/case/", public.track_case, name="public_track_case"),
    path("survey/<str:token>/", public.survey, name="public_survey"),
]
