"""The home page for each role, and a health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from shubbak.audit.selectors import audit_list
from shubbak.context_processors import current_membership
from shubbak.organisations import selectors
from shubbak.organisations.models import Membership
from shubbak.organisations.permissions import access_for

Role = Membership.Role


def home(request: HttpRequest) -> HttpResponse:
    """The landing page of the current organisation, with what the user's role needs to see."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    access = access_for(request.user)
    if access.roles and all(roles <= {Role.EXPERT} for roles in access.roles.values()):
        return redirect("expert_portal")  # an expert's work is her assignments; the organisation's staff page is not hers
    if access.roles and all(roles <= {Role.EXPERT, Role.PARTNER_STAFF} for roles in access.roles.values()):
        return redirect("referral_received")  # partner staff work on the referrals sent to them
    membership = current_membership(request, access)
    context = {"membership": membership, "today": timezone.localdate()}
    if membership is not None:
        organisation = membership.organisation
        context.update(
            organisation=organisation,
            desks=organisation.desks.filter(is_active=True),
            colleagues=selectors.membership_list(organisation=organisation).filter(is_active=True)[:12],
            staff_count=organisation.memberships.filter(is_active=True).count(),
        )
        if membership.role == Role.NETWORK_MANAGER:
            context["network_organisations"] = selectors.network_overview(user=request.user, network=organisation.network)
        if access.can(organisation, "view_audit"):
            context["recent_audit"] = audit_list(organisation=organisation)[:8]
    return render(request, "home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
