from django.conf import settings

from shubbak.organisations.permissions import access_for


def shell(request):
    """What every page's shell needs: the user's memberships (for the switcher) and the current one."""
    context = {"languages": settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    access = access_for(user)
    current = current_membership(request, access)
    context.update(
        memberships=access.memberships,
        current_membership=current,
        can_view_audit=current is not None and access.can(current.organisation, "view_audit"),
        can_import=current is not None and access.can(current.organisation, "import_registry"),
    )
    return context


def current_membership(request, access):
    """The membership chosen with the switcher, else the oldest one (None for users with no role)."""
    chosen = request.session.get("current_organisation")
    for membership in access.memberships:
        if membership.organisation_id == chosen:
            return membership
    return min(access.memberships, key=lambda m: m.pk, default=None)
