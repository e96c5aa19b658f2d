"""Questionnaire pages: sending (network managers), tracking with reminders, answering (partner staff on their page, the
others through the signed link: a tampered or replaced link is refused), reviewing and applying."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shubbak.referrals import directory
from shubbak.referrals.models import Offer, Questionnaire, QuestionnaireResponse
from shubbak.testing.access import check_three_actors

from .directory_data import offer, partner, service_in

pytestmark = pytest.mark.django_db
Status = QuestionnaireResponse.Status
DUE = timezone.localdate() + datetime.timedelta(days=10)


def in_english(user) -> None:
    user.language = "en"
    user.save(update_fields=["language"])


@pytest.fixture
def network(actors):
    return actors.organisation.network


@pytest.fixture
def loans(network):
    return service_in(network)


@pytest.fixture
def questionnaire(actors, network, loans, django_capture_on_commit_callbacks):
    """Sent to the actors' own chamber (which lists an offer: its admin answers) and to a lender without accounts."""
    offer(actors.organisation, loans, title="قروض الغرفة", capacity=10)
    partner(network, "مؤسسة نماء", email="info@namaa.example")
    with django_capture_on_commit_callbacks(execute=True):
        return directory.questionnaire_create(actor=actors.manager, network=network, data={"title": "استبيان القدرات", "due_on": DUE})


def own_response(actors, questionnaire) -> QuestionnaireResponse:
    return questionnaire.responses.get(organisation=actors.organisation)


def lender_response(questionnaire) -> QuestionnaireResponse:
    return questionnaire.responses.exclude(organisation__kind="chamber").select_related("questionnaire__network", "organisation").get()


def answer_post(loans, *, total=1, initial=0, **product) -> dict:
    data = {
        "products-TOTAL_FORMS": str(total),
        "products-INITIAL_FORMS": str(initial),
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "30",
        "products-0-service": str(loans.pk),
        "products-0-title": "قروض للنساء",
        "products-0-target_groups": ["women"],
        "products-0-capacity_per_month": "12",
        "products-0-governorates": ["PS-GZA"],
        "contact_name": "سعاد كمال",
        "contact_phone": "+970599123456",
        "submit": "1",
    }
    return data | {f"products-0-{k}": v for k, v in product.items()}


# --- sending and tracking ------------------------------------------------------------------------------------------


def test_a_network_manager_sends_a_questionnaire_from_the_page(actors, client, network, loans):
    partner(network, "مؤسسة نماء")
    client.force_login(actors.manager)
    url = reverse("questionnaire_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "استبيان شركاء الإقراض", "introduction": "", "due_on": DUE.isoformat(), "remind_every_days": "3"})
    questionnaire = Questionnaire.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("questionnaire_detail", args=[questionnaire.pk])
    assert questionnaire.responses.count() == 1


def test_others_may_not_send_questionnaires(actors, client):
    for user in (actors.admin, actors.viewer, actors.outsider):
        client.force_login(user)
        assert client.get(reverse("questionnaire_create")).status_code == 403


def test_the_tracking_page_three_actors(actors, questionnaire):
    response = check_three_actors(
        actors=actors, url=reverse("questionnaire_detail", args=[questionnaire.pk]), member=actors.manager, write=True
    )
    page = response.content.decode()
    assert "مؤسسة نماء" in page and actors.organisation.name_ar in page
    # the link to send by text message (signed with the time, so compared by what it opens, not by its text)
    tokens = re.findall(r"/q/([^/\s\"<]+)/", page)
    assert lender_response(questionnaire) in [directory.response_from_token(token) for token in tokens]


def test_the_tracking_page_reads_with_a_constant_number_of_queries(actors, client, network, questionnaire, django_assert_num_queries):
    client.force_login(actors.manager)
    url = reverse("questionnaire_detail", args=[questionnaire.pk])
    client.get(url)
    with django_assert_num_queries(8) as few:
        client.get(url)
    for i in range(10):
        partner(network, f"مؤسسة {i}")
    directory.questionnaire_send(actor=actors.manager, questionnaire=questionnaire)
    with django_assert_num_queries(len(few.captured_queries)):
        assert "مؤسسة 9" in client.get(url).content.decode()


def test_remind_now_once_a_day_from_the_tracking_page(actors, client, questionnaire):
    in_english(actors.manager)
    client.force_login(actors.manager)
    url = reverse("questionnaire_response_remind", args=[lender_response(questionnaire).pk])
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "This partner was already reminded today." in page
    assert lender_response(questionnaire).reminders == 1
    assert "1 reminder sent" in page
    client.post(reverse("questionnaire_remind", args=[questionnaire.pk]))  # everyone: the lender was reminded today already
    assert own_response(actors, questionnaire).reminders == 1 and lender_response(questionnaire).reminders == 1


def test_reminding_needs_a_network_manager(actors, client, questionnaire):
    url = reverse("questionnaire_response_remind", args=[own_response(actors, questionnaire).pk])
    check_three_actors(actors=actors, url=url, method="post", member=actors.manager, write=True)
    client.force_login(actors.admin)
    assert client.post(url).status_code == 403


def test_the_list_page_shows_sent_questionnaires_to_managers_and_pending_ones_to_partners(actors, client, questionnaire):
    client.force_login(actors.manager)
    page = client.get(reverse("questionnaire_list")).content.decode()
    assert reverse("questionnaire_detail", args=[questionnaire.pk]) in page
    client.force_login(actors.admin)
    page = client.get(reverse("questionnaire_list")).content.decode()
    assert reverse("questionnaire_answer", args=[own_response(actors, questionnaire).pk]) in page
    assert reverse("questionnaire_detail", args=[questionnaire.pk]) not in page
    client.force_login(actors.outsider)
    assert "استبيان القدرات" not in client.get(reverse("questionnaire_list")).content.decode()


# --- answering -------------------------------------------------------------------------------------------------------


def test_partner_staff_answer_on_their_page_three_actors(actors, questionnaire, loans):
    url = reverse("questionnaire_answer", args=[own_response(actors, questionnaire).pk])
    page = check_three_actors(actors=actors, url=url, write=True).content.decode()
    assert "قروض الغرفة" in page  # the form starts from the partner's offers
    response = check_three_actors(actors=actors, url=url, method="post", data=answer_post(loans), write=True)
    assert response.status_code == 200
    answer = own_response(actors, questionnaire)
    assert answer.status == Status.SUBMITTED
    assert answer.answers["products"] == [
        {
            "offer": None,
            "service": loans.pk,
            "title": "قروض للنساء",
            "description": "",
            "target_groups": ["women"],
            "conditions": "",
            "capacity_per_month": 12,
            "governorates": ["PS-GZA"],
        }
    ]
    assert answer.answers["contact"] == {"name": "سعاد كمال", "position": "", "phone": "+970599123456", "email": ""}


def test_a_partner_without_an_account_answers_through_its_link(client, questionnaire, loans):
    answer = lender_response(questionnaire)
    url = reverse("questionnaire_link", args=[directory.response_token(answer)])
    page = client.get(url)
    assert page.status_code == 200 and "مؤسسة نماء" in page.content.decode()
    response = client.post(url, answer_post(loans))
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED and answer.answers["products"][0]["title"] == "قروض للنساء"
    assert client.get(url).status_code == 200  # the same link corrects the answers until they are reviewed


def test_adding_a_product_redraws_the_form_without_sending(client, questionnaire, loans):
    answer = lender_response(questionnaire)
    url = reverse("questionnaire_link", args=[directory.response_token(answer)])
    data = answer_post(loans) | {"add-product": "1"}
    del data["submit"]
    page = client.post(url, data).content.decode()
    assert 'name="products-TOTAL_FORMS" value="2"' in page and 'name="products-1-title"' in page
    answer.refresh_from_db()
    assert answer.status == Status.WAITING


def test_a_tampered_link_is_refused_and_nothing_leaks(client, questionnaire):
    token = directory.response_token(lender_response(questionnaire))
    response = client.get(reverse("questionnaire_link", args=[token[:-3] + "xyz"]))
    assert response.status_code == 403
    assert "مؤسسة نماء" not in response.content.decode()
    assert client.post(reverse("questionnaire_link", args=["not-a-token"]), {}).status_code == 403


def test_a_replaced_link_is_refused(actors, client, questionnaire):
    answer = lender_response(questionnaire)
    old = reverse("questionnaire_link", args=[directory.response_token(answer)])
    client.force_login(actors.manager)
    client.post(reverse("questionnaire_response_new_link", args=[answer.pk]))
    client.logout()
    assert client.get(old).status_code == 410
    answer.refresh_from_db()
    assert client.get(reverse("questionnaire_link", args=[directory.response_token(answer)])).status_code == 200


def test_link_pages_are_rate_limited(client, questionnaire, settings):
    settings.REFERRAL_LINK_RATE = (3, 600)
    url = reverse("questionnaire_link", args=[directory.response_token(lender_response(questionnaire))])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


# --- review ---------------------------------------------------------------------------------------------------------


def test_the_review_page_shows_the_changes_and_applies_them_three_actors(actors, client, questionnaire, loans):
    answer = own_response(actors, questionnaire)
    directory.response_submit(
        actor=None,
        response=answer,
        answers={
            "products": [
                {"service": loans.pk, "title": "قروض للنساء", "target_groups": ["women"], "capacity_per_month": 12, "governorates": []}
            ],
            "contact": {},
        },
    )
    url = reverse("questionnaire_review", args=[answer.pk])
    in_english(actors.manager)
    page = " ".join(check_three_actors(actors=actors, url=url, member=actors.manager, write=True).content.decode().split())
    assert "New offer" in page and "gender: Female" in page and "Apply to the directory" in page
    response = check_three_actors(actors=actors, url=url, method="post", member=actors.manager, write=True)
    assert response.status_code == 302
    assert Offer.objects.filter(organisation=answer.organisation, title="قروض للنساء", capacity_per_month=12).exists()
    assert own_response(actors, questionnaire).status == Status.REVIEWED
    client.force_login(actors.manager)
    page = client.get(url).content.decode()
    assert "Apply to the directory" not in page


def test_a_partners_staff_may_not_review_its_answers_and_other_partners_do_not_see_them(actors, client, questionnaire, loans):
    answer = own_response(actors, questionnaire)
    directory.response_submit(actor=actors.admin, response=answer, answers={"products": [{"service": loans.pk, "title": "قروض"}]})
    client.force_login(actors.admin)
    assert client.get(reverse("questionnaire_review", args=[answer.pk])).status_code == 403
    assert client.post(reverse("questionnaire_review", args=[answer.pk])).status_code == 403
    lender = lender_response(questionnaire)
    assert client.get(reverse("questionnaire_review", args=[lender.pk])).status_code == 404
    assert client.get(reverse("questionnaire_answer", args=[lender.pk])).status_code == 404


@pytest.mark.parametrize("name", ["questionnaire_remind", "questionnaire_send"])
def test_the_tracking_buttons_three_actors(actors, questionnaire, name):
    check_three_actors(actors=actors, url=reverse(name, args=[questionnaire.pk]), method="post", member=actors.manager, write=True)


def test_making_a_new_link_three_actors(actors, questionnaire):
    answer = own_response(actors, questionnaire)
    old_key = answer.link_key
    check_three_actors(
        actors=actors, url=reverse("questionnaire_response_new_link", args=[answer.pk]), method="post", member=actors.manager, write=True
    )
    answer.refresh_from_db()
    assert answer.link_key != old_key


def test_an_offer_answered_again_is_updated_not_duplicated(actors, client, questionnaire, loans):
    own = Offer.objects.get(organisation=actors.organisation)
    answer = own_response(actors, questionnaire)
    client.force_login(actors.admin)
    url = reverse("questionnaire_answer", args=[answer.pk])
    page = client.get(url).content.decode()
    assert f'name="products-0-offer" value="{own.pk}"' in page and 'name="products-INITIAL_FORMS" value="1"' in page
    data = answer_post(loans, total=2, initial=1, offer=str(own.pk), title="قروض الغرفة", capacity_per_month="25")
    client.post(url, data)
    answer.refresh_from_db()
    assert [(p["offer"], p["capacity_per_month"]) for p in answer.answers["products"]] == [(own.pk, 25)]
    client.force_login(actors.manager)
    client.post(reverse("questionnaire_review", args=[answer.pk]))
    own.refresh_from_db()
    assert own.capacity_per_month == 25 and Offer.objects.filter(organisation=actors.organisation).count() == 1
