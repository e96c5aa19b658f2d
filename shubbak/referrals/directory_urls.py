"""URLs of one part of the referral network (see urls.py): the directory of partners' offers and the questionnaire."""

from django.urls import path

from . import directory_views as views

urlpatterns = [
    path("directory/", views.directory_list, name="directory"),
    path("directory/partners/", views.partner_list, name="directory_partners"),
    path("directory/partners/<slug:slug>/", views.partner_detail, name="directory_partner"),
    path("directory/partners/<slug:slug>/offers/new/", views.offer_create, name="offer_create"),
    path("directory/offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("directory/offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("directory/questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("directory/questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path("directory/questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("directory/questionnaires/<int:pk>/remind/", views.questionnaire_remind, name="questionnaire_remind"),
    path("directory/questionnaires/<int:pk>/send/", views.questionnaire_send, name="questionnaire_send"),
    path("directory/answers/<int:pk>/", views.response_answer, name="questionnaire_answer"),
    path("directory/answers/<int:pk>/review/", views.response_review, name="questionnaire_review"),
    path("directory/answers/<int:pk>/remind/", views.response_remind, name="questionnaire_response_remind"),
    path("directory/answers/<int:pk>/new-link/", views.response_new_link, name="questionnaire_response_new_link"),
    path("q/<str:token>/", views.questionnaire_link, name="questionnaire_link"),
]
