"""Who may do what in which organisation. Every page, API endpoint and selector asks here.

Rules:
- any active membership lets a user *view* its organisation;
- a network manager's membership lets them view and manage every organisation of the network;
- writes need a role that grants the action; a read-only viewer never writes.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Organisation

Role = Membership.Role

# action -> roles that grant it (NETWORK_MANAGER is added for every action below)
ACTIONS: dict[str, frozenset[str]] = {
    "view": frozenset(Role.values),
    "change_organisation": frozenset({Role.ORG_ADMIN}),
    "manage_contacts": frozenset({Role.ORG_ADMIN, Role.COORDINATOR}),
    "manage_desks": frozenset({Role.ORG_ADMIN, Role.COORDINATOR}),
    "manage_members": frozenset({Role.ORG_ADMIN}),
    "view_audit": frozenset({Role.ORG_ADMIN}),
    # people and enterprises: staff and read-only viewers; experts and partner staff see only what referrals share
    "view_registry": frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.OFFICER, Role.VIEWER}),
    "manage_registry": frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.OFFICER}),
    "import_registry": frozenset({Role.ORG_ADMIN, Role.COORDINATOR}),
    "create_organisation": frozenset(),  # network managers only
    "view_cases": frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.OFFICER, Role.VIEWER}),  # helpdesk cases
    "work_cases": frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.OFFICER}),  # take, serve and close cases
    "coordinate_cases": frozenset({Role.ORG_ADMIN, Role.COORDINATOR}),  # reassign, desk dashboard, escalations
    "manage_calendar": frozenset({Role.ORG_ADMIN, Role.COORDINATOR}),  # rest days and holidays
    "manage_offers": frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.PARTNER_STAFF}),  # a partner's own offers
    "receive_referrals": frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.OFFICER, Role.PARTNER_STAFF}),  # referrals sent to it
    "manage_experts": frozenset({Role.ORG_ADMIN, Role.COORDINATOR}),  # the roster an organisation keeps, timesheets
}
READ_ACTIONS = {"view"}


@dataclass
class Access:
    """The roles one user holds, per organisation id, computed once per request."""

    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    managed_networks: frozenset[int] = frozenset()

    def can(self, organisation: Organisation | int, action: str) -> bool:
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        granted = ACTIONS[action] | {Role.NETWORK_MANAGER}
        return bool(self.roles.get(org_id, frozenset()) & granted)

    def organisation_ids(self, action: str = "view") -> set[int]:
        granted = ACTIONS[action] | {Role.NETWORK_MANAGER}
        return {org_id for org_id, roles in self.roles.items() if roles & granted}

    def is_network_manager(self, network_id: int | None = None) -> bool:
        return bool(self.managed_networks) if network_id is None else network_id in self.managed_networks

    @property
    def is_read_only(self) -> bool:
        """True when the user holds no role but viewer anywhere."""
        return all(roles <= {Role.VIEWER} for roles in self.roles.values())


def access_for(user) -> Access:
    """The user's access, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Access()
    cached = getattr(user, "_shubbak_access", None)
    if cached is not None:
        return cached
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True).select_related("organisation__network", "desk")
    )
    roles: dict[int, set[str]] = {}
    for m in memberships:
        roles.setdefault(m.organisation_id, set()).add(m.role)
    managed = frozenset(m.organisation.network_id for m in memberships if m.role == Role.NETWORK_MANAGER)
    if managed:
        for org_id in Organisation.objects.filter(network_id__in=managed, is_active=True).values_list("id", flat=True):
            roles.setdefault(org_id, set()).add(Role.NETWORK_MANAGER)
    access = Access(roles={k: frozenset(v) for k, v in roles.items()}, memberships=memberships, managed_networks=managed)
    user._shubbak_access = access
    return access


def forget_access(user) -> None:
    """Drop the cached access after a membership of this user changed."""
    user.__dict__.pop("_shubbak_access", None)


def require(user, organisation: Organisation, action: str) -> None:
    """Http404 if the user cannot see the organisation at all (same as missing), PermissionDenied (403) if they may not act."""
    access = access_for(user)
    if not access.can(organisation, "view"):
        raise Http404
    if not access.can(organisation, action):
        raise PermissionDenied
