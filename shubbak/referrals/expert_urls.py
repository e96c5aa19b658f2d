"""URLs of one part of the referral network (see urls.py): the expert roster, assignments and the expert's portal."""

from django.urls import path

from . import expert_views as views

urlpatterns = [
    # the roster
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/vet/", views.expert_vet, name="expert_vet"),
    path("experts/<int:pk>/cv/", views.expert_cv, name="expert_cv"),
    path("experts/<int:pk>/cv/upload/", views.expert_cv_upload, name="expert_cv_upload"),
    path("experts/<int:pk>/cv/remove/", views.expert_cv_remove, name="expert_cv_remove"),
    path("experts/<int:pk>/invite/", views.expert_invite, name="expert_invite"),
    # assignments, the coordinator's side
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/new/<int:referral_pk>/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/timesheets/", views.assignment_timesheet_add, name="assignment_timesheet_add"),
    path("assignments/<int:pk>/timesheets/approve/", views.timesheets_approve, name="timesheets_approve"),
    path(
        "assignments/<int:pk>/timesheets/<int:timesheet_pk>/remove/", views.assignment_timesheet_remove, name="assignment_timesheet_remove"
    ),
    path("assignments/<int:pk>/close/", views.assignment_close, name="assignment_close"),
    # the expert's own portal
    path("expert/", views.expert_portal, name="expert_portal"),
    path("expert/assignments/<int:pk>/", views.portal_assignment, name="portal_assignment"),
    path("expert/assignments/<int:pk>/timesheets/", views.portal_timesheet_add, name="portal_timesheet_add"),
    path(
        "expert/assignments/<int:pk>/timesheets/<int:timesheet_pk>/remove/", views.portal_timesheet_remove, name="portal_timesheet_remove"
    ),
]
