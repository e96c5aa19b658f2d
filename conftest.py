import os

import pytest
from django.core.cache import cache
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from shubbak.organisations.models import Membership
from shubbak.testing.access import Actors
from shubbak.testing.factories import DeskFactory, MembershipFactory, OrganisationFactory, UserFactory

Role = Membership.Role

hypothesis_settings.register_profile("shubbak", deadline=None)  # 2 shared cores: timing is not what we test
# CI: the same examples every run, so that what lands does not depend on the draw (a local run explores new ones).
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "shubbak"))


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True
    cache.clear()  # rate limits, cached calendars: nothing carries over from another test
    translation.activate(settings.LANGUAGE_CODE)  # a request in an earlier test may have switched the thread's language
    yield
    translation.deactivate()


@pytest.fixture
def actors(db) -> Actors:
    """A chamber (with a desk and a coordinating body above it) and its staff, plus an outsider."""
    hq = OrganisationFactory(name_ar="وحدة إدارة المشروع", kind="coordinating_body", slug="pmu")
    organisation = OrganisationFactory(network=hq.network, parent=hq, slug="nablus", name_ar="غرفة تجارة وصناعة نابلس")
    desk = DeskFactory(organisation=organisation, name_ar="مكتب منشأتي – نابلس")
    other = OrganisationFactory(slug="elsewhere", name_ar="غرفة أخرى", governorate="PS-HBN")

    def staff(org, role, name):
        user = UserFactory(full_name=name)
        MembershipFactory(user=user, organisation=org, role=role)
        return user

    return Actors(
        organisation=organisation,
        desk=desk,
        other_organisation=other,
        manager=staff(hq, Role.NETWORK_MANAGER, "رنا عبد الرحيم"),
        admin=staff(organisation, Role.ORG_ADMIN, "خالد عودة"),
        coordinator=staff(organisation, Role.COORDINATOR, "لينا حمدان"),
        officer=staff(organisation, Role.OFFICER, "أحمد قاسم"),
        viewer=staff(organisation, Role.VIEWER, "منى الخطيب"),
        outsider=staff(other, Role.ORG_ADMIN, "يوسف الأطرش"),
    )


@pytest.fixture
def english():
    """Messages in English for tests that compare them (outside a request, Arabic is the default)."""
    with translation.override("en"):
        yield
