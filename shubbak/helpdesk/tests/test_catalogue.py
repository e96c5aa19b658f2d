"""The default catalogue: complete, bilingual, sensible targets, loaded through the services, safe to load twice."""

import pytest
from django.core.management import CommandError, call_command

from shubbak.audit.models import AuditEntry
from shubbak.helpdesk import services
from shubbak.helpdesk.catalogue import CATALOGUE, catalogue_load
from shubbak.helpdesk.models import Service, ServiceCategory
from shubbak.testing.factories import NetworkFactory

pytestmark = pytest.mark.django_db

DEFAULT_SERVICES = sum(len(c.services) for c in CATALOGUE)


def test_the_default_catalogue_covers_the_programmes_services():
    codes = {s.code for c in CATALOGUE for s in c.services}
    assert len(codes) == DEFAULT_SERVICES  # codes are unique
    for needed in (
        "business-registration",
        "trademark-registration",
        "legal-advice",
        "management-advice",
        "formalisation",
        "loan-application",
        "financing-referral",
        "marketing-plan",
        "online-presence",
        "export-readiness",
        "entrepreneurship-training",
        "job-matching",
        "vocational-training",
    ):
        assert needed in codes, needed


def test_every_default_service_is_bilingual_with_a_delivery_and_coherent_targets():
    for category in CATALOGUE:
        assert category.name_ar and category.name_en
        for s in category.services:
            assert s.name_ar and s.name_en and s.description_ar and s.description_en, s.code
            assert set(s.delivery) <= {"in_house", "expert", "partner"} and s.delivery, s.code
            assert 1 <= s.first_response_days <= s.resolution_days <= 30, s.code
            assert all("\n" not in d and d.strip() == d and d for d in s.documents), s.code


def test_loading_adds_everything_once_through_the_audited_services(actors):
    network = actors.organisation.network
    assert catalogue_load(actor=None, network=network) == (len(CATALOGUE), DEFAULT_SERVICES)
    assert ServiceCategory.objects.filter(network=network).count() == len(CATALOGUE)
    assert Service.objects.filter(network=network).count() == DEFAULT_SERVICES
    assert AuditEntry.objects.filter(action="create", target_type__model="service").count() == DEFAULT_SERVICES

    assert catalogue_load(actor=None, network=network) == (0, 0)
    assert Service.objects.filter(network=network).count() == DEFAULT_SERVICES

    trademark = Service.objects.get(network=network, code="trademark-registration")
    assert (trademark.category.name_en, trademark.deliveries, trademark.is_public) == (
        "Administrative services and registration",
        ["in_house", "partner"],
        True,
    )
    assert trademark.documents[1] == "صورة واضحة للعلامة (الشعار) بصيغة إلكترونية"
    assert Service.objects.get(network=network, code="needs-diagnosis").is_public is False


def test_loading_again_keeps_what_managers_changed_and_restores_nothing_they_removed(actors):
    network = actors.organisation.network
    catalogue_load(actor=None, network=network)
    legal = ServiceCategory.objects.get(network=network, name_en="Legal services")
    legal.name_ar = "الشؤون القانونية"
    services.category_save(actor=actors.manager, category=legal)
    advice = Service.objects.get(network=network, code="legal-advice")
    advice.resolution_days = 5
    services.service_save(actor=actors.manager, service=advice)

    assert catalogue_load(actor=None, network=network) == (0, 0)
    assert ServiceCategory.objects.get(pk=legal.pk).name_ar == "الشؤون القانونية"
    assert Service.objects.get(pk=advice.pk).resolution_days == 5


def test_each_network_gets_its_own_copy(actors):
    catalogue_load(actor=None, network=actors.organisation.network)
    other = NetworkFactory()
    assert catalogue_load(actor=None, network=other) == (len(CATALOGUE), DEFAULT_SERVICES)
    assert Service.objects.filter(code="job-matching").count() == 2


def test_the_command_loads_a_network_by_its_short_name_and_is_idempotent(actors, capsys):
    slug = actors.organisation.network.slug
    call_command("load_catalogue", slug)
    assert f"{slug}: {len(CATALOGUE)} categories and {DEFAULT_SERVICES} services added." in capsys.readouterr().out
    call_command("load_catalogue", slug)
    assert f"{slug}: 0 categories and 0 services added." in capsys.readouterr().out
    assert Service.objects.count() == DEFAULT_SERVICES


def test_the_command_names_the_known_networks_when_it_does_not_know_one(actors):
    with pytest.raises(CommandError) as error:
        call_command("load_catalogue", "nowhere")
    known = ", ".join(sorted([actors.organisation.network.slug, actors.other_organisation.network.slug]))
    assert str(error.value) == f"No network «nowhere». Known networks: {known}."
