from shubbak.organisations.permissions import access_for


def helpdesk(request):
    """Which helpdesk links the navbar shows; no query (the user's access is already computed for the shell)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = access_for(user)
    return {
        "can_view_cases": bool(access.organisation_ids("view_cases")),
        "can_work_cases": bool(access.organisation_ids("work_cases")),
        "can_coordinate_cases": bool(access.organisation_ids("coordinate_cases")),
        "can_view_registry": bool(access.organisation_ids("view_registry")),
        "can_receive_referrals": bool(access.organisation_ids("receive_referrals")),
        "is_expert": any(m.role == "expert" for m in access.memberships),
        "is_staff_member": not all(roles <= {"expert", "partner_staff"} for roles in access.roles.values()),
    }
