from django.urls import path

from . import views

urlpatterns = [
    path("cases/", views.queue, name="case_queue"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/dashboard/", views.dashboard, name="case_dashboard"),
    path("cases/reassign/", views.cases_reassign, name="cases_reassign"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/link/", views.case_link, name="case_link"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/move/<str:action>/", views.case_move, name="case_move"),
    path("cases/<int:pk>/resolve/", views.case_resolve, name="case_resolve"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/notes/", views.note_add, name="case_note_add"),
    path("cases/<int:pk>/messages/", views.message_send, name="case_message_send"),
    path("cases/<int:pk>/sessions/", views.session_add, name="case_session_add"),
    path("cases/<int:pk>/attachments/", views.attachment_add, name="case_attachment_add"),
    path("cases/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="case_attachment"),
    path("cases/<int:pk>/timeline/", views.case_timeline, name="case_timeline"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    # catalogue and calendars
    path("services/", views.catalogue, name="service_catalogue"),
    path("services/new/", views.service_edit, name="service_create"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/categories/new/", views.category_edit, name="category_create"),
    path("services/categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("o/<slug:slug>/calendar/", views.calendar_edit, name="calendar_edit"),
    path("o/<slug:slug>/calendar/holidays/<int:pk>/remove/", views.holiday_remove, name="holiday_remove"),
]
