"""The roster's pages: three actors on each, search and filters, constant queries, CV upload and download."""

# ruff: noqa: F401, F811 (fixtures are imported from expert_fixtures and named in the tests' arguments)

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shubbak.referrals import experts as services
from shubbak.referrals.models import Expert
from shubbak.testing.access import check_three_actors

from .expert_fixtures import PDF, business_plan, expert_data, salma, salma_user  # pytest fixtures, used by name

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _form(expert_data, **extra):
    data = {k: v for k, v in expert_data.items() if k != "specialisations"}
    data["specialisations"] = [s.pk for s in expert_data["specialisations"]]
    return data | extra


def test_roster_three_actors_search_and_filters(actors, salma, client):
    for reader in (actors.officer, actors.viewer, actors.manager):
        client.force_login(reader)
        assert list(client.get(reverse("expert_list"), {"q": "سلمي"}).context["page"]) == [salma]
    client.force_login(actors.outsider)
    assert list(client.get(reverse("expert_list")).context["page"]) == []
    client.force_login(actors.viewer)
    response = client.get(reverse("expert_list"), {"governorate": "PS-JEN", "language": "en", "vetting": "vetted"})
    assert list(response.context["page"]) == [salma]
    assert response.context["can_add"] is False
    assert list(client.get(reverse("expert_list"), {"availability": "busy"}).context["page"]) == []


def test_roster_htmx_gets_only_the_results(actors, salma, client):
    client.force_login(actors.officer)
    response = client.get(reverse("expert_list"), {"q": "الخطيب"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "referrals/expert_results.html"
    assert "سلمى يوسف الخطيب" in response.content.decode()


def test_an_expert_is_sent_to_her_own_page(actors, salma_user, client):
    client.force_login(salma_user)
    assert client.get(reverse("expert_list")).url == reverse("expert_portal")


def test_roster_has_a_constant_number_of_queries(actors, salma, expert_data, client, django_assert_num_queries):
    client.force_login(actors.officer)
    url = reverse("expert_list")
    client.get(url)
    with django_assert_num_queries(8) as few:
        client.get(url)
    for i in range(30):
        services.expert_save(
            actor=actors.admin, organisation=actors.organisation, data=expert_data | {"full_name": f"خبير {i}", "phone": f"05991{i:05d}"}
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": "خبير"})
    assert len(response.context["page"]) == 25


def test_expert_page_three_actors(actors, salma):
    response = check_three_actors(actors=actors, url=reverse("expert_detail", args=[salma.pk]), member=actors.officer)
    assert (response.context["expert"], response.context["can_manage"]) == (salma, False)
    assert check_three_actors(actors=actors, url=reverse("expert_detail", args=[salma.pk])).context["can_manage"] is True


def test_adding_an_expert(actors, expert_data, client, english):
    client.force_login(actors.viewer)
    assert client.get(reverse("expert_create")).status_code == 403
    client.force_login(actors.officer)
    assert client.post(reverse("expert_create"), _form(expert_data)).status_code == 403
    actors.coordinator.language = "en"
    actors.coordinator.save(update_fields=["language"])
    client.force_login(actors.coordinator)
    response = client.post(reverse("expert_create"), _form(expert_data, phone="hello"))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"][0].startswith("«hello» is not a phone number")
    assert response.context["form"]["full_name"].value() == "سلمى يوسف الخطيب"  # nothing typed is lost
    response = client.post(reverse("expert_create"), _form(expert_data))
    expert = Expert.objects.get()
    assert response.url == reverse("expert_detail", args=[expert.pk])
    assert (expert.organisation, expert.phone, expert.vetting) == (actors.organisation, "+970599555123", "pending")


def test_editing_an_expert_three_actors(actors, salma, expert_data):
    url = reverse("expert_edit", args=[salma.pk])
    check_three_actors(actors=actors, url=url, write=True)
    response = check_three_actors(
        actors=actors, url=url, method="post", data=_form(expert_data, daily_rate="175", availability="busy"), write=True
    )
    assert response.status_code == 302
    salma.refresh_from_db()
    assert (str(salma.daily_rate), salma.availability) == ("175.00", "busy")


def test_vetting_three_actors(actors, expert_data):
    expert = services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data)
    check_three_actors(
        actors=actors, url=reverse("expert_vet", args=[expert.pk]), method="post", data={"vetting": "vetted", "note": "x"}, write=True
    )
    expert.refresh_from_db()
    assert (expert.vetting, expert.vetted_by) == ("vetted", actors.admin)


def test_cv_upload_three_actors_and_download_by_the_networks_staff(actors, salma, salma_user, media, client):
    url = reverse("expert_cv_upload", args=[salma.pk])
    for user, expected in ((actors.outsider, 404), (actors.viewer, 403), (actors.officer, 403)):
        client.force_login(user)
        assert client.post(url, {"cv": SimpleUploadedFile("cv.pdf", PDF)}).status_code == expected
    client.force_login(actors.admin)
    assert client.post(url, {"cv": SimpleUploadedFile("cv.pdf", PDF)}).status_code == 302
    download = reverse("expert_cv", args=[salma.pk])
    client.force_login(actors.viewer)
    response = client.get(download)
    assert (response.status_code, response["Content-Type"], response["X-Content-Type-Options"]) == (200, "application/pdf", "nosniff")
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    for user in (actors.outsider, salma_user):  # another network; the expert's own role does not open the roster
        client.force_login(user)
        assert client.get(download).status_code == 404


def test_a_bad_cv_is_refused_with_its_reason(actors, salma, media, client):
    actors.admin.language = "en"
    actors.admin.save(update_fields=["language"])
    client.force_login(actors.admin)
    response = client.post(reverse("expert_cv_upload", args=[salma.pk]), {"cv": SimpleUploadedFile("cv.pdf", b"GIF89a")}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["This file is not what its name says: it is not a real PDF file."]
    salma.refresh_from_db()
    assert not salma.cv


def test_inviting_three_actors(actors, salma):
    check_three_actors(actors=actors, url=reverse("expert_invite", args=[salma.pk]), method="post", write=True)
    salma.refresh_from_db()
    assert salma.user.email == "salma.khatib@experts.test"


def test_an_experts_account_does_not_open_the_registry(actors, salma_user, client):
    from shubbak.registry import services as registry

    registry.person_create(
        actor=actors.officer, organisation=actors.organisation, data={"first_name": "فاطمة", "family_name": "الشكعة", "gender": "female"}
    )
    client.force_login(salma_user)
    assert list(client.get(reverse("person_list")).context["page"]) == []
