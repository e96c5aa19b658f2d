import pytest

from shubbak.organisations.models import Membership
from shubbak.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "landing"), [(Membership.Role.EXPERT, "/expert/"), (Membership.Role.PARTNER_STAFF, "/referrals/received/")]
)
def test_experts_and_partner_staff_land_on_their_own_work(actors, client, role, landing):
    user = UserFactory()
    MembershipFactory(user=user, organisation=actors.organisation, role=role)
    client.force_login(user)
    assert client.get("/")["Location"] == landing


def test_they_see_neither_the_registry_nor_the_cases_in_the_menu(actors, client):
    user = UserFactory()
    MembershipFactory(user=user, organisation=actors.organisation, role=Membership.Role.PARTNER_STAFF)
    client.force_login(user)
    page = client.get("/referrals/received/").content.decode()
    assert "/people/" not in page and "/cases/" not in page
    assert client.get("/people/").context["page"].paginator.count == 0


def test_staff_keep_their_home_page_with_every_menu(actors, client):
    client.force_login(actors.officer)
    page = client.get("/").content.decode()
    assert "/people/" in page and "/cases/" in page and "/directory/" in page
