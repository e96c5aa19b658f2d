import pytest

from shubbak.organisations.models import Membership
from shubbak.organisations.permissions import access_for, forget_access
from shubbak.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_a_member_sees_only_their_organisation(actors):
    assert access_for(actors.officer).organisation_ids() == {actors.organisation.pk}


def test_a_network_manager_sees_every_organisation_of_the_network_and_no_other(actors):
    sibling = OrganisationFactory(network=actors.organisation.network, slug="hebron")
    visible = access_for(actors.manager).organisation_ids()
    assert visible == {actors.organisation.pk, actors.organisation.parent_id, sibling.pk}
    assert actors.other_organisation.pk not in visible


def test_a_viewer_may_view_but_never_write(actors):
    access = access_for(actors.viewer)
    assert access.can(actors.organisation, "view") is True
    assert [
        a
        for a in ("change_organisation", "manage_desks", "manage_contacts", "manage_members", "view_audit")
        if access.can(actors.organisation, a)
    ] == []
    assert access.is_read_only is True


@pytest.mark.parametrize(
    ("role", "granted"),
    [
        (Role.ORG_ADMIN, {"view", "change_organisation", "manage_desks", "manage_contacts", "manage_members", "view_audit"}),
        (Role.COORDINATOR, {"view", "manage_desks", "manage_contacts"}),
        (Role.OFFICER, {"view"}),
        (Role.EXPERT, {"view"}),
        (Role.PARTNER_STAFF, {"view"}),
        (Role.VIEWER, {"view"}),
    ],
)
def test_each_role_grants_exactly_its_actions(role, granted):
    membership = MembershipFactory(role=role)
    access = access_for(membership.user)
    actions = {"view", "change_organisation", "manage_desks", "manage_contacts", "manage_members", "view_audit", "create_organisation"}
    assert {a for a in actions if access.can(membership.organisation, a)} == granted


def test_an_ended_membership_grants_nothing():
    membership = MembershipFactory(is_active=False)
    assert access_for(membership.user).organisation_ids() == set()


def test_an_inactive_organisation_is_out_of_reach():
    membership = MembershipFactory(organisation=OrganisationFactory(is_active=False))
    assert access_for(membership.user).organisation_ids() == set()


def test_anonymous_and_deactivated_users_have_no_access():
    from django.contrib.auth.models import AnonymousUser

    user = UserFactory(is_active=False)
    MembershipFactory(user=user)
    assert access_for(AnonymousUser()).organisation_ids() == set()
    assert access_for(user).organisation_ids() == set()


def test_access_is_computed_once_per_user_object(actors, django_assert_num_queries):
    user = actors.officer
    forget_access(user)
    with django_assert_num_queries(1):
        access_for(user)
        access_for(user)


def test_superusers_get_no_silent_bypass():
    """Platform operators use the Django admin; in the app they see only what memberships grant."""
    user = UserFactory(is_superuser=True, is_staff=True)
    OrganisationFactory()
    assert access_for(user).organisation_ids() == set()
