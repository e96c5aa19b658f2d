"""URLs of one part of the referral network (see urls.py): referrals, the partner portal and the signed links."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_pk>/services/<int:service_pk>/refer/", views.referral_send, name="referral_send"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/received/", views.referral_received, name="referral_received"),
    path("referrals/partners/", views.referral_partners, name="referral_partners"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/link/revoke/", views.referral_link_revoke, name="referral_link_revoke"),
    path("referrals/<int:pk>/link/renew/", views.referral_link_renew, name="referral_link_renew"),
    path("referrals/<int:pk>/<str:action>/", views.referral_act, name="referral_act"),
    path("r/<str:token>/", views.referral_link, name="referral_link"),
]
