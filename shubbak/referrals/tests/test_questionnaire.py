"""The partner questionnaire (seed 003): sent to every partner, answered by staff or through a signed link, reminded
at most once a day every N days until the due date, reviewed and applied to the partner's offers."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shubbak.audit.models import AuditEntry
from shubbak.notifications.models import Notification
from shubbak.organisations.models import Membership
from shubbak.referrals import directory, links
from shubbak.referrals.models import Offer, QuestionnaireResponse
from shubbak.testing.factories import MembershipFactory, UserFactory

from .directory_data import YOUNG_WOMEN, offer, partner, service_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = QuestionnaireResponse.Status
TODAY = timezone.localdate()


@pytest.fixture
def network(actors):
    return actors.organisation.network


@pytest.fixture
def loans(network):
    return service_in(network)


@pytest.fixture
def partners(network, loans):
    """A lender with staff accounts, a fund without accounts (e-mail only), a chamber that lists an offer."""
    lender = partner(network, "مؤسسة نماء للتمويل الأصغر", governorate="YE-HD")
    staff = UserFactory(full_name="خولة سكارو")
    MembershipFactory(user=staff, organisation=lender, role=Membership.Role.PARTNER_STAFF)
    fund = partner(network, "الصندوق الاجتماعي للتنمية", kind="fund", email="info@sfd.example")
    fund.contacts.create(name="محمد الديلمي", email="m.dailami@sfd.example", is_primary=True)
    return {"lender": lender, "staff": staff, "fund": fund, "loans_offer": offer(lender, loans, title="قروض الشباب", capacity=10)}


def send(actors, network, django_capture_on_commit_callbacks, **extra):
    data = {"title": "استبيان شركاء الإقراض", "introduction": "منتجاتكم وقدرتكم", "due_on": TODAY + datetime.timedelta(days=14)}
    with django_capture_on_commit_callbacks(execute=True):
        return directory.questionnaire_create(actor=actors.manager, network=network, data=data | extra)


def response_of(questionnaire, organisation) -> QuestionnaireResponse:
    return questionnaire.responses.select_related("questionnaire__network", "organisation").get(organisation=organisation)


def answers(loans, **product) -> dict:
    return {
        "products": [
            {
                "offer": None,
                "service": loans.pk,
                "title": "قروض للخريجين",
                "description": "قروض بدون فوائد",
                "target_groups": ["university", "institute"],
                "conditions": "كفيل",
                "capacity_per_month": 25,
                "governorates": ["YE-HD"],
            }
            | product
        ],
        "contact": {"name": "خولة سالم سكارو", "position": "مديرة", "phone": "+967 5 300000", "email": "khawla@fund.example"},
        "notes": "",
    }


# --- sending -------------------------------------------------------------------------------------------------------


def test_it_goes_to_every_partner_staff_get_a_notification_the_others_the_link_by_email(
    actors, network, partners, django_capture_on_commit_callbacks
):
    questionnaire = send(actors, network, django_capture_on_commit_callbacks)
    # the chamber of the desk lists no offer: not a partner; the coordinating body neither
    assert set(questionnaire.responses.values_list("organisation", flat=True)) == {partners["lender"].pk, partners["fund"].pk}
    assert list(Notification.objects.filter(kind=Notification.Kind.QUESTIONNAIRE).values_list("user", flat=True)) == [partners["staff"].pk]
    link_mail = [m for m in mail.outbox if m.to == ["m.dailami@sfd.example"]]
    assert len(link_mail) == 1
    fund_response = response_of(questionnaire, partners["fund"])
    # the link is signed with the time: compared by what it opens, not by its text
    tokens = re.findall(r"/q/([^/\s]+)/", link_mail[0].body)
    assert [directory.response_from_token(token) for token in tokens] == [fund_response]
    assert AuditEntry.objects.filter(target_id=str(questionnaire.pk), action="create").exists()


def test_only_network_managers_send_questionnaires(actors, network, partners):
    for user in (actors.admin, actors.viewer, partners["staff"], actors.outsider):
        with pytest.raises(PermissionDenied):
            directory.questionnaire_create(actor=user, network=network, data={"title": "x", "due_on": TODAY})


def test_a_due_date_in_the_past_is_refused(actors, network):
    with pytest.raises(ValidationError) as error:
        directory.questionnaire_create(
            actor=actors.manager, network=network, data={"title": "x", "due_on": TODAY - datetime.timedelta(days=1)}
        )
    assert error.value.message_dict == {"due_on": ["The due date cannot be in the past."]}


def test_sending_again_reaches_only_partners_added_since(actors, network, partners, django_capture_on_commit_callbacks):
    questionnaire = send(actors, network, django_capture_on_commit_callbacks)
    assert directory.questionnaire_send(actor=actors.manager, questionnaire=questionnaire) == 0
    newcomer = partner(network, "مؤسسة العون للتنمية", kind="ngo")
    assert directory.questionnaire_send(actor=actors.manager, questionnaire=questionnaire) == 1
    assert questionnaire.responses.filter(organisation=newcomer).exists()


# --- the signed link -----------------------------------------------------------------------------------------------


def test_the_link_opens_its_answer_only(actors, network, partners, django_capture_on_commit_callbacks):
    questionnaire = send(actors, network, django_capture_on_commit_callbacks)
    response = response_of(questionnaire, partners["fund"])
    assert directory.response_from_token(directory.response_token(response)) == response


def test_a_tampered_link_is_refused(actors, network, partners, django_capture_on_commit_callbacks):
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["fund"])
    token = directory.response_token(response)
    for bad in (
        token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        token[:20],
        "",
        signing.dumps([response.pk], salt=directory.LINK_SALT),
    ):
        with pytest.raises(links.Tampered):
            directory.response_from_token(bad)
    other_purpose = signing.dumps([response.pk, response.link_key], salt="shubbak.referrals.link.referral")
    with pytest.raises(links.Tampered):
        directory.response_from_token(other_purpose)


def test_a_replaced_link_stops_working(actors, network, partners, django_capture_on_commit_callbacks):
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["fund"])
    old = directory.response_token(response)
    directory.response_new_link(actor=actors.manager, response=response)
    with pytest.raises(links.Replaced):
        directory.response_from_token(old)
    assert directory.response_from_token(directory.response_token(response)) == response


def test_an_old_link_expires(actors, network, partners, django_capture_on_commit_callbacks, monkeypatch):
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["fund"])
    token = directory.response_token(response)
    later = timezone.now().timestamp() + directory.LINK_DAYS * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(links.Expired):
        directory.response_from_token(token)


# --- answering -----------------------------------------------------------------------------------------------------


def test_a_partner_answers_through_the_link_and_the_managers_are_told(actors, network, partners, loans, django_capture_on_commit_callbacks):
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["fund"])
    directory.response_submit(actor=None, response=response, answers=answers(loans))
    response.refresh_from_db()
    assert response.status == Status.SUBMITTED and response.submitted_at is not None
    assert response.answers["products"][0]["title"] == "قروض للخريجين"
    assert response.answers["contact"]["name"] == "خولة سالم سكارو"
    assert list(Notification.objects.filter(kind=Notification.Kind.QUESTIONNAIRE_ANSWERED).values_list("user", flat=True)) == [
        actors.manager.pk
    ]
    assert AuditEntry.objects.filter(target_id=str(response.pk), action="update", actor=None).exists()


def test_answers_are_checked(actors, network, partners, loans, django_capture_on_commit_callbacks):
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["fund"])
    elsewhere = service_in(actors.other_organisation.network, code="elsewhere")
    for bad, message in (
        ({"products": []}, "List at least one product or service you offer."),
        (answers(elsewhere), "Choose each product's service from the list."),
        (answers(loans, capacity_per_month=-3), "The monthly capacity is a number of clients."),
        (answers(loans, title=" "), "Give each product a name."),
    ):
        with pytest.raises(ValidationError) as error:
            directory.response_submit(actor=None, response=response, answers=bad)
        assert error.value.messages == [message]


def test_only_the_partners_own_staff_answer_on_their_page(actors, network, partners, loans, django_capture_on_commit_callbacks):
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["lender"])
    with pytest.raises(PermissionDenied):
        directory.response_submit(actor=actors.admin, response=response, answers=answers(loans))
    directory.response_submit(actor=partners["staff"], response=response, answers=answers(loans))


def test_the_answer_form_starts_from_the_partners_offers(actors, network, partners, loans, django_capture_on_commit_callbacks):
    partners["loans_offer"].rule = directory.rule_for_groups(["women", "youth"], network)
    partners["loans_offer"].save(update_fields=["rule"])
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["lender"])
    initial = directory.answer_initial(response)
    assert initial["products"] == [
        {
            "offer": partners["loans_offer"].pk,
            "service": loans.pk,
            "title": "قروض الشباب",
            "description": "",
            "target_groups": ["women", "youth"],
            "conditions": "",
            "capacity_per_month": 10,
            "governorates": [],
        }
    ]


# --- reminders ------------------------------------------------------------------------------------------------------


def at(days: int, hour: int = 9) -> datetime.datetime:
    """A moment `days` after today, at `hour` o'clock local time."""
    day = TODAY + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_reminders_go_every_n_days_until_the_due_date_at_most_once_a_day(
    actors, network, partners, loans, django_capture_on_commit_callbacks
):
    questionnaire = send(actors, network, django_capture_on_commit_callbacks, remind_every_days=3)
    directory.response_submit(actor=None, response=response_of(questionnaire, partners["fund"]), answers=answers(loans))
    lender = response_of(questionnaire, partners["lender"])
    sent = []
    for day in range(0, 20):
        for hour in (9, 12, 16):  # the job runs several times a day
            with django_capture_on_commit_callbacks(execute=True):
                if directory.questionnaires_remind_due(now=at(day, hour)):
                    sent.append(day)
    lender.refresh_from_db()
    assert sent == [3, 6, 9, 12]  # due on day 14: no reminder after it
    assert lender.reminders == 4 and timezone.localdate(lender.reminded_at) == TODAY + datetime.timedelta(days=12)
    assert response_of(questionnaire, partners["fund"]).reminders == 0  # it answered
    titles = list(Notification.objects.filter(kind=Notification.Kind.QUESTIONNAIRE, user=partners["staff"]).values_list("title", flat=True))
    assert len(titles) == 5 and titles[0].startswith("Reminder: استبيان شركاء الإقراض")


def test_remind_now_once_a_day(actors, network, partners, django_capture_on_commit_callbacks):
    questionnaire = send(actors, network, django_capture_on_commit_callbacks)
    fund = response_of(questionnaire, partners["fund"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        directory.response_remind(actor=actors.manager, response=fund, now=at(0, 10))
    (reminder,) = mail.outbox
    assert "استبيان شركاء الإقراض" in reminder.subject and reminder.subject != "استبيان شركاء الإقراض"  # «Reminder: …», in Arabic
    with pytest.raises(ValidationError) as error:
        directory.response_remind(actor=actors.manager, response=fund, now=at(0, 15))
    assert error.value.messages == ["This partner was already reminded today."]
    directory.response_remind(actor=actors.manager, response=fund, now=at(1, 8))
    fund.refresh_from_db()
    assert fund.reminders == 2
    assert directory.questionnaire_remind_all(actor=actors.manager, questionnaire=questionnaire, now=at(1, 9)) == 1  # the lender only
    with pytest.raises(PermissionDenied):
        directory.response_remind(actor=actors.admin, response=fund)


# --- review -------------------------------------------------------------------------------------------------------------


def test_the_review_shows_what_will_change_and_applying_creates_and_updates_offers(
    actors, network, partners, loans, django_capture_on_commit_callbacks
):
    lender, existing = partners["lender"], partners["loans_offer"]
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), lender)
    given = answers(loans)
    given["products"].append(
        given["products"][0]
        | {
            "offer": existing.pk,
            "title": "قروض الشباب",
            "target_groups": [],
            "conditions": "",
            "description": "",
            "capacity_per_month": 40,
            "governorates": [],
        }
    )
    directory.response_submit(actor=partners["staff"], response=response, answers=given)
    response.refresh_from_db()
    plan = directory.response_plan(response)
    assert [(c.action, c.title) for c in plan.changes] == [("create", "قروض للخريجين"), ("update", "قروض الشباب")]
    assert plan.changes[1].fields == [("clients per month", "10", "40"), ("contact person", "—", "خولة سالم سكارو")]
    assert plan.contact_action == "create"
    directory.response_apply(actor=actors.manager, response=response)
    response.refresh_from_db()
    assert response.status == Status.REVIEWED and response.reviewed_by == actors.manager
    created = Offer.objects.get(organisation=lender, title="قروض للخريجين")
    assert created.rule == {
        "any": [
            {"field": "person.education", "op": "eq", "value": "university"},
            {"field": "person.education", "op": "eq", "value": "institute"},
        ]
    }
    assert (created.capacity_per_month, created.governorates, created.description) == (25, ["YE-HD"], "قروض بدون فوائد\nConditions: كفيل")
    assert created.contact.name == "خولة سالم سكارو" and created.contact.email == "khawla@fund.example"
    existing.refresh_from_db()
    assert existing.capacity_per_month == 40 and existing.contact == created.contact
    assert AuditEntry.objects.filter(target_id=str(created.pk), action="create", actor=actors.manager).exists()
    assert AuditEntry.objects.filter(target_id=str(existing.pk), action="update").exists()


def test_a_finer_rule_is_kept_when_the_target_groups_are_left_empty(actors, network, partners, loans, django_capture_on_commit_callbacks):
    existing = partners["loans_offer"]
    existing.rule = YOUNG_WOMEN
    existing.save(update_fields=["rule"])
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["lender"])
    product = {
        "offer": existing.pk,
        "title": "قروض الشباب",
        "target_groups": [],
        "conditions": "",
        "description": "",
        "capacity_per_month": 10,
        "governorates": [],
    }
    given = answers(loans, **product)
    given["contact"] = {}
    directory.response_submit(actor=None, response=response, answers=given)
    response.refresh_from_db()
    assert [c.action for c in directory.response_plan(response).changes] == ["same"]
    directory.response_apply(actor=actors.manager, response=response)
    existing.refresh_from_db()
    assert existing.rule == YOUNG_WOMEN


def test_only_network_managers_apply_and_only_once(actors, network, partners, loans, django_capture_on_commit_callbacks):
    response = response_of(send(actors, network, django_capture_on_commit_callbacks), partners["fund"])
    with pytest.raises(ValidationError) as error:
        directory.response_apply(actor=actors.manager, response=response)
    assert error.value.messages == ["This partner has not answered yet."]
    directory.response_submit(actor=None, response=response, answers=answers(loans))
    for user in (actors.admin, partners["staff"]):
        with pytest.raises(PermissionDenied):
            directory.response_apply(actor=user, response=response)
    directory.response_apply(actor=actors.manager, response=response)
    with pytest.raises(ValidationError) as error:
        directory.response_apply(actor=actors.manager, response=response)
    assert error.value.messages == ["These answers were already reviewed."]
    with pytest.raises(ValidationError) as error:
        directory.response_submit(actor=None, response=response, answers=answers(loans))
    assert error.value.messages == ["These answers were already reviewed and applied to the directory; they cannot be changed now."]


def test_the_hourly_job_sends_the_reminders_due(actors, network, partners, django_capture_on_commit_callbacks, monkeypatch):
    from shubbak.referrals import questionnaire_tasks

    questionnaire = send(actors, network, django_capture_on_commit_callbacks, remind_every_days=1)
    monkeypatch.setattr(timezone, "now", lambda: at(1, 10))
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire_tasks.remind_questionnaires.call_local()
    assert sorted(questionnaire.responses.values_list("reminders", flat=True)) == [1, 1]
