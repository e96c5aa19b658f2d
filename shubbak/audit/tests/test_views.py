import pytest
from django.urls import reverse

from shubbak.audit.models import AuditEntry
from shubbak.organisations import services
from shubbak.testing.access import check_three_actors

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(actors):
    services.organisation_update(actor=actors.admin, organisation=actors.organisation, data={"address": "دوار الشهداء"})
    services.desk_update(actor=actors.coordinator, desk=actors.desk, data={"opening_hours": "٨:٠٠–١٥:٠٠"})
    services.organisation_update(actor=actors.outsider, organisation=actors.other_organisation, data={"address": "الخليل"})
    return actors


def test_the_organisation_log_is_for_its_admins_and_managers(history, client):
    url = reverse("organisation_audit", args=["nablus"])
    response = check_three_actors(actors=history, url=url, write=True)  # reading the log is an admin's right
    assert [e.target_label for e in response.context["page"]] == ["مكتب منشأتي – نابلس", "غرفة تجارة وصناعة نابلس"]
    client.force_login(history.manager)
    assert client.get(url).status_code == 200
    client.force_login(history.officer)
    assert client.get(url).status_code == 403


def test_the_log_filters_by_action_type_and_person(history, client):
    client.force_login(history.admin)
    url = reverse("organisation_audit", args=["nablus"])
    desk_type = AuditEntry.objects.filter(target_id=str(history.desk.pk)).first().target_type_id
    response = client.get(url, {"target_type": desk_type})
    assert [e.changes for e in response.context["page"]] == [{"opening_hours": ["", "٨:٠٠–١٥:٠٠"]}]
    response = client.get(url, {"actor": history.admin.email, "action": "update"})
    assert [e.changes for e in response.context["page"]] == [{"address": ["", "دوار الشهداء"]}]
    response = client.get(url, {"action": "delete"})
    assert list(response.context["page"]) == []


def test_a_record_history_shows_only_that_record(history, client):
    client.force_login(history.admin)
    url = reverse("record_audit", args=["nablus", "organisations", "desk", history.desk.pk])
    response = client.get(url)
    assert [e.target_id for e in response.context["page"]] == [str(history.desk.pk)]
    assert client.get(reverse("record_audit", args=["nablus", "nosuch", "model", 1])).status_code == 404


def test_the_log_page_runs_constant_queries(history, client, django_assert_num_queries):
    client.force_login(history.admin)
    url = reverse("organisation_audit", args=["nablus"])
    client.get(url)
    with django_assert_num_queries(8) as few:
        client.get(url)
    for i in range(30):
        services.desk_update(actor=history.admin, desk=history.desk, data={"opening_hours": f"{i}"})
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_changes_are_shown_with_field_labels_in_the_page_language(history, client):
    client.force_login(history.admin)
    html = client.get(reverse("record_audit", args=["nablus", "organisations", "desk", history.desk.pk])).content.decode()
    assert '<dt class="col-sm-3 fw-semibold">ساعات الدوام</dt>' in html
    assert "opening_hours" not in html


def test_writes_in_the_django_admin_are_audited_too(actors, client):
    from shubbak.testing.factories import UserFactory

    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    response = client.post(
        reverse("admin:organisations_contact_add"),
        {"organisation": actors.organisation.pk, "name": "سعاد كمال", "position": "الاستقبال", "phone": "", "email": ""},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="create", target_label="سعاد كمال")
    assert (entry.actor, entry.organisation, entry.changes["name"]) == (operator, actors.organisation, [None, "سعاد كمال"])
    contact = entry.target_type.get_object_for_this_type(pk=entry.target_id)
    client.post(reverse("admin:organisations_contact_delete", args=[contact.pk]), {"post": "yes"})
    assert AuditEntry.objects.filter(action="delete", target_id=str(contact.pk)).count() == 1
