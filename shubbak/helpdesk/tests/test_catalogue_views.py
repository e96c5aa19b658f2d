"""The catalogue pages: every member browses and searches; network managers add and edit; other networks see nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shubbak.audit.models import AuditEntry
from shubbak.helpdesk.catalogue import catalogue_load
from shubbak.helpdesk.models import Service, ServiceCategory
from shubbak.testing.access import check_three_actors
from shubbak.testing.factories import ServiceCategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

CATALOGUE_URL = reverse("service_catalogue")


@pytest.fixture
def catalogue(actors):
    """The default catalogue of the actors' network, and one service of the outsider's network."""
    catalogue_load(actor=None, network=actors.organisation.network)
    elsewhere = ServiceFactory(
        category=ServiceCategoryFactory(network=actors.other_organisation.network, name_ar="خدمات أخرى"),
        code="elsewhere",
        name_ar="خدمة شبكة أخرى",
    )
    return elsewhere


def _in_english(user) -> None:
    user.language = "en"
    user.save(update_fields=["language"])


def _service(actors, code: str) -> Service:
    return Service.objects.get(network=actors.organisation.network, code=code)


def test_every_member_browses_the_catalogue_of_her_network_only(actors, client, catalogue):
    client.force_login(actors.viewer)
    response = client.get(CATALOGUE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("تسجيل علامة تجارية", "الوصول إلى التمويل", "خدمات التشغيل", "صورة واضحة للعلامة (الشعار) بصيغة إلكترونية"):
        assert text in html
    assert "خدمة شبكة أخرى" not in html
    assert reverse("service_edit", args=[_service(actors, "legal-advice").pk]) not in html  # no edit links for a viewer
    client.force_login(actors.outsider)
    html = client.get(CATALOGUE_URL).content.decode()
    assert "خدمة شبكة أخرى" in html and "تسجيل علامة تجارية" not in html


def test_the_page_shows_delivery_targets_and_flags(actors, client, catalogue):
    _in_english(actors.manager)
    client.force_login(actors.manager)
    html = client.get(CATALOGUE_URL).content.decode()
    assert "Trademark registration" in html
    assert "First response: 2 working days · Resolution: 30 working days" in " ".join(html.split())
    assert "By a partner" in html and "By a local expert" in html
    assert "Staff only" in html  # the field diagnosis visit is not offered on the public form
    assert reverse("service_edit", args=[_service(actors, "legal-advice").pk]) in html


def test_search_finds_services_in_any_spelling(actors, client, catalogue):
    client.force_login(actors.officer)
    for query, expected in (
        ("العلامه التجاريه", "تسجيل علامة تجارية"),  # taa marbuta written as haa
        ("trademark", "تسجيل علامة تجارية"),
        ("قرض", "تجهيز طلب قرض وملف ائتماني"),
        ("السيرة الذاتية", "المواءمة بين الباحثين عن عمل وفرص العمل"),  # a required document
    ):
        response = client.get(CATALOGUE_URL, {"q": query}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert "<html" not in html  # HTMX gets the results only
        assert expected in html, query
        assert "خطة تسويق" not in html, query
    response = client.get(CATALOGUE_URL, {"q": "غواصات"})
    assert (response.context["shown"], response.context["sections"][0]["categories"]) == (0, [])


def test_retired_services_are_shown_to_the_managers_only(actors, client, catalogue):
    retired = _service(actors, "bookkeeping")
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    client.force_login(actors.officer)
    assert retired.name_ar not in client.get(CATALOGUE_URL).content.decode()
    client.force_login(actors.manager)
    assert retired.name_ar in client.get(CATALOGUE_URL).content.decode()


def test_the_catalogue_page_makes_the_same_number_of_queries_for_any_size(actors, client):
    client.force_login(actors.viewer)
    ServiceFactory(category=ServiceCategoryFactory(network=actors.organisation.network))
    client.get(CATALOGUE_URL)  # warm the session and the content types
    with CaptureQueriesContext(connection) as small:
        client.get(CATALOGUE_URL)
    catalogue_load(actor=None, network=actors.organisation.network)
    with CaptureQueriesContext(connection) as large:
        response = client.get(CATALOGUE_URL)
    assert response.context["shown"] == Service.objects.count()
    assert len(large) == len(small)


def _service_data(category: ServiceCategory, **extra) -> dict:
    data = {
        "network": category.network.slug,
        "category": category.pk,
        "code": "solar-advice",
        "name_ar": "استشارة الطاقة الشمسية",
        "name_en": "Solar power advice",
        "description_ar": "",
        "description_en": "",
        "in_house": "on",
        "required_documents": "فاتورة الكهرباء لآخر ثلاثة أشهر\nصورة الهوية الشخصية",
        "first_response_days": 2,
        "resolution_days": 10,
        "is_public": "on",
        "is_active": "on",
        "position": 5,
    }
    return {**data, **extra}


def test_only_the_network_managers_add_a_service(actors, client, catalogue):
    category = ServiceCategory.objects.get(network=actors.organisation.network, name_en="Business consulting")
    url = reverse("service_create")
    response = check_three_actors(actors=actors, url=url, method="post", data=_service_data(category), write=True, member=actors.manager)
    created = Service.objects.get(code="solar-advice")
    assert response.url == f"{CATALOGUE_URL}#service-{created.pk}"
    assert (created.network, created.documents) == (actors.organisation.network, ["فاتورة الكهرباء لآخر ثلاثة أشهر", "صورة الهوية الشخصية"])
    assert AuditEntry.objects.filter(action="create", target_id=str(created.pk), actor=actors.manager).count() == 1
    client.force_login(actors.admin)  # an organisation admin is not a network manager
    assert client.get(url).status_code == 403
    assert client.get(url, {"network": actors.other_organisation.network.slug}).status_code == 404
    assert client.post(url, _service_data(category, code="other")).status_code == 403


def test_the_edit_form_is_refused_to_members_and_hidden_from_other_networks(actors, client, catalogue):
    url = reverse("service_edit", args=[_service(actors, "legal-advice").pk])
    response = check_three_actors(actors=actors, url=url, write=True, member=actors.manager)
    assert response.context["form"].initial["code"] == "legal-advice"
    client.force_login(actors.officer)
    assert client.get(url).status_code == 403
    client.force_login(actors.manager)
    assert client.get(reverse("service_edit", args=[catalogue.pk])).status_code == 404  # another network's service


def test_a_manager_changes_a_service_and_the_change_is_audited(actors, client, catalogue):
    service = _service(actors, "legal-advice")
    client.force_login(actors.manager)
    data = _service_data(service.category, code="legal-advice", name_ar=service.name_ar, resolution_days=5, by_expert="on")
    response = client.post(reverse("service_edit", args=[service.pk]), data)
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.resolution_days, service.by_expert, service.by_partner) == (5, True, False)
    entry = AuditEntry.objects.get(action="update", target_id=str(service.pk))
    assert entry.changes["resolution_days"] == [7, 5]


def test_the_service_form_shows_the_services_errors_and_keeps_the_input(actors, client, catalogue):
    category = ServiceCategory.objects.get(network=actors.organisation.network, name_en="Business consulting")
    _in_english(actors.manager)
    client.force_login(actors.manager)
    url = reverse("service_create")
    no_delivery = _service_data(category, in_house="")
    response = client.post(url, no_delivery)
    assert response.status_code == 200
    assert response.context["form"].errors["in_house"] == ["Say at least one way this service is delivered."]
    late_answer = _service_data(category, first_response_days=12, resolution_days=10)
    response = client.post(url, late_answer)
    assert response.context["form"].errors["first_response_days"] == ["The first response cannot be due after the resolution."]
    taken = _service_data(category, code="legal-advice")
    response = client.post(url, taken)
    assert response.context["form"].non_field_errors() == ["Another service of this network has this code."]
    assert 'value="استشارة الطاقة الشمسية"' in response.content.decode()
    foreign_category = {**_service_data(category), "category": catalogue.category.pk}
    response = client.post(url, foreign_category)
    assert "category" in response.context["form"].errors  # not a choice: only this network's categories are offered
    assert Service.objects.filter(code="solar-advice").count() == 0


def test_managers_add_and_rename_categories(actors, client, catalogue):
    url = reverse("category_create")
    data = {"network": actors.organisation.network.slug, "name_ar": "الطاقة المتجددة", "name_en": "Renewable energy", "position": 200}
    check_three_actors(actors=actors, url=url, method="post", data=data, write=True, member=actors.manager)
    category = ServiceCategory.objects.get(name_en="Renewable energy")
    assert category.network == actors.organisation.network
    edit = reverse("category_edit", args=[category.pk])
    data = {"name_ar": "الطاقة النظيفة", "name_en": "Clean energy", "position": 200}
    response = check_three_actors(actors=actors, url=edit, method="post", data=data, write=True, member=actors.manager)
    assert response.url == f"{CATALOGUE_URL}#category-{category.pk}"
    category.refresh_from_db()
    assert category.name_ar == "الطاقة النظيفة"
    client.force_login(actors.manager)
    assert client.get(reverse("category_edit", args=[catalogue.category.pk])).status_code == 404
    html = client.get(CATALOGUE_URL).content.decode()
    assert "الطاقة النظيفة" in html  # an empty category is shown to the managers, to fill it


def test_a_manager_of_several_networks_chooses_where_a_service_goes(actors, client, catalogue):
    from shubbak.organisations.models import Membership
    from shubbak.testing.factories import MembershipFactory

    MembershipFactory(user=actors.manager, organisation=actors.other_organisation, role=Membership.Role.NETWORK_MANAGER)
    client.force_login(actors.manager)
    other_network = actors.other_organisation.network
    response = client.get(reverse("service_create"), {"network": other_network.slug})
    assert response.context["network"] == other_network
    assert list(response.context["form"].fields["category"].queryset) == [catalogue.category]
    html = client.get(CATALOGUE_URL).content.decode()
    assert "خدمة شبكة أخرى" in html and "تسجيل علامة تجارية" in html
    filtered = client.get(CATALOGUE_URL, {"network": other_network.slug}).content.decode()
    assert "خدمة شبكة أخرى" in filtered and "تسجيل علامة تجارية" not in filtered


def test_the_django_admin_edits_the_catalogue_with_an_audit_entry_and_only_shows_cases(actors, client, catalogue):
    from shubbak.accounts.models import User
    from shubbak.helpdesk import services

    operator = User.objects.create_superuser(email="operator@shubbak.example", password="x" * 12, full_name="مدير المنصة")
    client.force_login(operator)
    service = _service(actors, "legal-advice")
    assert client.get("/admin/helpdesk/service/").status_code == 200
    data = {f.name: getattr(service, f.attname) for f in Service._meta.concrete_fields if f.name not in {"id"}}
    data.update(resolution_days=9, is_public="on", is_active="on", in_house="on", by_expert="on", by_partner="")
    response = client.post(f"/admin/helpdesk/service/{service.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert AuditEntry.objects.get(action="update", target_id=str(service.pk), actor=operator).changes == {"resolution_days": [7, 9]}
    case = services.case_create(actor=actors.officer, organisation=actors.organisation, data={"subject": "طلب"}, services=[service])
    assert client.get(f"/admin/helpdesk/case/{case.pk}/change/").status_code == 200
    assert client.post(f"/admin/helpdesk/case/{case.pk}/change/", {"subject": "غيره"}).status_code == 403
    assert client.get("/admin/helpdesk/case/").status_code == 200
