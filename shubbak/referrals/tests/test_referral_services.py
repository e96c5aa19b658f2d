"""The referral workflow: consent for identity, the frozen snapshot, receivers, transitions and the outcome on the case."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shubbak.audit.models import AuditEntry
from shubbak.helpdesk import services as helpdesk_services
from shubbak.helpdesk.models import CaseEvent, CaseService
from shubbak.notifications.models import Notification
from shubbak.referrals import services
from shubbak.referrals.models import Expert, Referral, ReferralTally
from shubbak.registry import services as registry_services
from shubbak.testing.factories import DeskFactory, OrganisationFactory

from .referral_data import build_world, give_consent, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Referral.Status


@pytest.fixture
def world(actors):
    return build_world(actors)


# --- consent and what is shared -------------------------------------------------------------------------------


def test_identity_is_refused_without_the_clients_consent_to_share(world):
    with pytest.raises(ValidationError) as error:
        send(world, shared_fields=["name", "phone", "age"])
    assert error.value.message_dict["shared_fields"] == [
        "The client has not agreed to share her identity with partners: record her consent to share, or untick her name, phone, "
        "e-mail and ID number."
    ]
    assert Referral.objects.count() == 0
    assert CaseService.objects.get().status == CaseService.Status.REQUESTED


def test_identity_is_shared_with_consent_and_refused_again_once_withdrawn(world):
    consent = give_consent(world)
    referral = send(world, shared_fields=["name", "phone", "national_id"])
    assert referral.shared == {"name": "هبة النجار", "phone": "+970599123456", "national_id": "123456782"}
    services.referral_cancel(actor=world.actors.officer, referral=referral)
    registry_services.consent_withdraw(actor=world.actors.officer, consent=consent)
    with pytest.raises(ValidationError) as error:
        send(world, shared_fields=["email"])
    assert "shared_fields" in error.value.message_dict


def test_a_case_without_a_registry_record_cannot_share_identity(world):
    case = helpdesk_services.case_create(
        actor=world.actors.officer,
        organisation=world.actors.organisation,
        data={"subject": "سؤال", "contact_name": "سناء عودة", "contact_phone": "0599000111"},
        services=[world.service],
    )
    with pytest.raises(ValidationError) as error:
        services.referral_send(
            actor=world.actors.officer,
            case_service=case.services.get(),
            kind="partner",
            offer=world.offer,
            shared_fields=["name"],
            note="",
        )
    assert "link the case to her record" in error.value.message_dict["shared_fields"][0]


def test_the_snapshot_holds_only_the_chosen_fields_as_they_were_when_sent(world):
    referral = send(world, shared_fields=["gender", "age", "governorate", "education", "enterprise", "request"])
    assert referral.shared_fields == ["gender", "age", "governorate", "education", "enterprise", "request"]
    assert referral.shared == {
        "gender": "female",
        "age": 24,
        "governorate": "PS-NBS",
        "education": "university",
        "enterprise": {"name": "مطبخ هبة", "status": "informal", "legal_form": "informal", "sector": "I", "size": "micro", "employees": 0},
        "request": {"service": "قروض صغيرة", "subject": "قرض لتوسيع المطبخ", "description": "تريد فرناً ثانياً"},
    }
    registry_services.person_update(actor=world.actors.officer, person=world.person, data={"governorate": "PS-JEN"})
    referral.refresh_from_db()
    assert referral.shared["governorate"] == "PS-NBS"


def test_the_default_shares_no_identity(world):
    referral = send(world)
    assert set(referral.shared) == {"gender", "age", "governorate", "request"}
    assert "هبة" not in str(referral.shared) and "0599" not in str(referral.shared)


def test_sharing_nothing_or_an_unknown_field_is_refused(world):
    with pytest.raises(ValidationError) as error:
        send(world, shared_fields=[])
    assert "shared_fields" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        send(world, shared_fields=["age", "salary"])
    assert error.value.message_dict["shared_fields"] == ["These cannot be shared: salary."]


# --- sending --------------------------------------------------------------------------------------------------


def test_sending_sets_the_answer_date_the_case_service_the_timeline_and_the_audit(world, settings):
    settings.REFERRAL_RESPONSE_DAYS = 3
    referral = send(world)
    calendar = helpdesk_services.calendar_for(world.actors.organisation)
    assert abs(calendar.working_seconds(referral.sent_at, referral.respond_by) - 3 * 86400) < 5
    assert (referral.kind, referral.to_organisation, referral.offer, referral.status) == ("partner", world.partner, world.offer, "sent")
    assert referral.from_organisation == world.actors.organisation and referral.created_by == world.actors.officer
    assert abs(referral.link_expires_at - referral.sent_at - datetime.timedelta(days=30)) < datetime.timedelta(seconds=1)
    case_service = CaseService.objects.get()
    assert (case_service.delivery, case_service.status) == ("partner", "in_progress")
    event = CaseEvent.objects.filter(kind="service").get()
    assert event.data == {
        "referral": referral.pk,
        "action": "sent",
        "service": world.service.pk,
        "status": "sent",
        "to": "مؤسسة فاتن للإقراض",
        "kind": "partner",
    }
    assert event.text == "تحتاج قرضاً صغيراً" and event.actor == world.actors.officer
    created = AuditEntry.objects.filter(action="create", target_type=ContentType.objects.get_for_model(Referral))
    assert [(e.target_id, e.organisation) for e in created] == [(str(referral.pk), world.actors.organisation)]


def test_the_partners_staff_hear_of_it_in_the_app_and_by_email_and_nobody_else(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(world)
    told = Notification.objects.filter(kind="referral_received")
    assert {n.user for n in told} == {world.partner_staff}  # a viewer does not answer referrals
    assert told.get().title == f"#{referral.pk} · Small loans"  # never the client's name or the case's code
    assert told.get().url == f"/referrals/{referral.pk}/"
    assert [m.to for m in mail.outbox] == [[world.partner_staff.email]]


def test_a_partner_without_accounts_gets_the_signed_link_by_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(world, kind="partner", offer=world.quiet_offer)
    assert Notification.objects.filter(kind="referral_received").count() == 0
    (message,) = mail.outbox
    assert message.to == ["suad@tadamon.example"]  # the offer's contact
    assert "/r/" in message.body and "هبة" not in message.body
    token = message.body.split("/r/")[1].split("/")[0]
    from shubbak.referrals import links

    assert links.referral_from_token(token) == referral


def test_without_an_offer_the_link_goes_to_the_organisations_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(world, kind="partner", to_organisation=world.quiet_partner)
    assert [m.to for m in mail.outbox] == [["info@tadamon.example"]]


def test_an_expert_must_be_vetted_and_of_the_network(world, django_capture_on_commit_callbacks):
    Expert.objects.filter(pk=world.expert.pk).update(vetting=Expert.Vetting.PENDING)
    world.expert.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        send(world, kind="expert", expert=world.expert)
    assert error.value.message_dict == {"expert": ["Choose a vetted expert of this network's roster."]}
    Expert.objects.filter(pk=world.expert.pk).update(vetting=Expert.Vetting.VETTED)
    world.expert.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(world, kind="expert", expert=world.expert)
    assert (referral.to_organisation, referral.expert, referral.receiver_name) == (None, world.expert, "سناء الخطيب")
    assert CaseService.objects.get().delivery == "expert"
    assert [m.to for m in mail.outbox] == [["sanaa@experts.example"]]  # no account: the link


def test_a_desk_referral_needs_another_organisation_with_an_open_desk(world):
    with pytest.raises(ValidationError) as error:
        send(world, kind="desk", to_organisation=world.other_partner)
    assert error.value.message_dict == {"to_organisation": ["This organisation has no open desk to take the client."]}
    DeskFactory(organisation=world.other_partner)
    assert send(world, kind="desk", to_organisation=world.other_partner).kind == "desk"


def test_the_receiver_must_be_another_active_organisation_of_the_network(world):
    with pytest.raises(ValidationError) as error:
        send(world, kind="partner", to_organisation=world.actors.organisation)
    assert "to_organisation" in error.value.message_dict
    with pytest.raises(ValidationError):
        send(world, kind="partner", to_organisation=world.actors.other_organisation)
    with pytest.raises(ValidationError) as error:
        send(world, kind="partner", to_organisation=OrganisationFactory(network=world.partner.network, is_active=False))
    assert error.value.message_dict == {"to_organisation": ["Choose an active organisation of this network."]}


def test_an_offer_of_another_service_or_partner_is_refused(world):
    world.offer.is_active = False
    world.offer.save()
    with pytest.raises(ValidationError) as error:
        send(world)
    assert error.value.message_dict == {"offer": ["This offer is not an active offer of the requested service."]}
    with pytest.raises(ValidationError) as error:
        send(world, kind="partner", offer=world.quiet_offer, to_organisation=world.partner)
    assert error.value.message_dict == {"offer": ["This offer belongs to another partner."]}


def test_only_case_workers_of_the_case_organisation_send(world):
    for user in (world.actors.viewer, world.actors.outsider, world.partner_staff):
        with pytest.raises(PermissionDenied):
            send(world, actor=user)


def test_one_open_referral_per_service_and_none_on_a_closed_case(world):
    first = send(world)
    with pytest.raises(ValidationError) as error:
        send(world, kind="partner", to_organisation=world.other_partner)
    assert error.value.messages == ["This service already has an open referral: wait for its answer or cancel it first."]
    services.referral_decline(actor=world.partner_staff, referral=first, reason="خارج منطقتنا")
    second = send(world, kind="partner", to_organisation=world.other_partner)
    assert second.status == Status.SENT
    services.referral_cancel(actor=world.actors.officer, referral=second)
    helpdesk_services.case_resolve(actor=world.actors.officer, case=world.case, outcome={"outcome": "withdrew"})
    with pytest.raises(ValidationError) as error:
        send(world)
    assert error.value.messages == ["This case is closed: reopen it before referring the client."]


# --- transitions ----------------------------------------------------------------------------------------------


def test_accept_start_complete_keep_their_dates_and_the_service_is_delivered(world, django_capture_on_commit_callbacks):
    referral = send(world)
    services.referral_accept(actor=world.partner_staff, referral=referral)
    services.referral_start(actor=world.partner_staff, referral=referral)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_complete(actor=world.partner_staff, referral=referral, outcome_note="قرض 2000 دولار")
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED and referral.outcome_note == "قرض 2000 دولار"
    assert referral.sent_at <= referral.accepted_at <= referral.started_at <= referral.finished_at
    assert CaseService.objects.get().status == CaseService.Status.DELIVERED
    actions = [e.data["action"] for e in CaseEvent.objects.filter(kind="service").order_by("id")]
    assert actions == ["sent", "accept", "start", "complete"]
    updates = Notification.objects.filter(kind="referral_updated")
    assert {n.user for n in updates} == {world.actors.officer}  # the case's officer
    assert updates.count() == 3
    audit = AuditEntry.objects.filter(action="update", target_type=ContentType.objects.get_for_model(Referral), target_id=str(referral.pk))
    assert audit.count() == 3


def test_declining_needs_a_reason_and_gives_the_service_back_to_the_desk(world):
    referral = send(world)
    with pytest.raises(ValidationError) as error:
        services.referral_decline(actor=world.partner_staff, referral=referral, reason="  ")
    assert error.value.message_dict == {"text": ["Say why the referral is declined: the desk will look for another way."]}
    services.referral_decline(actor=world.partner_staff, referral=referral, reason="لا نخدم هذه المنطقة")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.DECLINED, "لا نخدم هذه المنطقة")
    assert referral.declined_at is not None and referral.finished_at is None
    assert CaseService.objects.get().status == CaseService.Status.REQUESTED


@pytest.mark.parametrize("action", ["no_show", "cancel"])
def test_no_show_and_cancel_give_the_service_back(world, action):
    referral = send(world)
    if action == "no_show":
        services.referral_accept(actor=world.partner_staff, referral=referral)
        services.referral_no_show(actor=world.partner_staff, referral=referral)
    else:
        services.referral_cancel(actor=world.actors.officer, referral=referral, reason="وجدت تمويلاً آخر")
    referral.refresh_from_db()
    assert referral.status == {"no_show": "no_show", "cancel": "cancelled"}[action] and referral.finished_at is not None
    assert CaseService.objects.get().status == CaseService.Status.REQUESTED


def test_completing_needs_the_outcome(world):
    referral = send(world)
    services.referral_accept(actor=world.partner_staff, referral=referral)
    with pytest.raises(ValidationError) as error:
        services.referral_complete(actor=world.partner_staff, referral=referral, outcome_note="")
    assert error.value.message_dict == {"text": ["Say what was done for the client."]}


@pytest.mark.parametrize(
    ("moves", "action"),
    [
        ([], "start"),
        ([], "complete"),
        ([], "no_show"),
        (["accept"], "accept"),
        (["decline"], "accept"),
        (["accept", "start"], "decline"),
        (["accept", "complete"], "cancel"),
        (["cancel"], "accept"),
    ],
)
def test_forbidden_transitions_say_so_clearly(world, moves, action):
    referral = send(world)
    for move in moves:
        who = world.actors.officer if move == "cancel" else world.partner_staff
        services.referral_transition(actor=who, referral=referral, action=move, text="سبب")
    referral.refresh_from_db()
    who = world.actors.officer if action == "cancel" else world.partner_staff
    with pytest.raises(ValidationError) as error:
        services.referral_transition(actor=who, referral=referral, action=action, text="سبب")
    assert error.value.code == "invalid_transition"
    assert error.value.messages == [f"A referral that is «{referral.get_status_display()}» cannot be moved this way."]


def test_each_side_moves_only_its_own_way(world):
    referral = send(world)
    for user in (world.actors.officer, world.actors.coordinator, world.other_staff, world.partner_viewer, world.actors.outsider):
        with pytest.raises(PermissionDenied):
            services.referral_accept(actor=user, referral=referral)
    for user in (world.partner_staff, world.actors.viewer, world.other_staff):
        with pytest.raises(PermissionDenied):
            services.referral_cancel(actor=user, referral=referral)
    with pytest.raises(ValidationError):
        services.referral_transition(actor=world.partner_staff, referral=referral, action="delete")
    services.referral_accept(actor=world.actors.manager, referral=referral)  # network managers act for anyone
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_a_link_holder_only_answers_as_the_receiver(world):
    referral = send(world)
    with pytest.raises(PermissionDenied):
        services.referral_transition(actor=None, referral=referral, action="cancel", via_link=True)
    services.referral_accept(actor=None, referral=referral, via_link=True)
    event = CaseEvent.objects.filter(kind="service").order_by("-id").first()
    assert (event.actor, event.data["via"], event.data["action"]) == (None, "link", "accept")


def test_an_expert_accepting_with_her_scope_opens_her_assignment(world):
    expert_user = world.partner_staff  # any account will do: it becomes the expert's own
    Expert.objects.filter(pk=world.expert.pk).update(user=expert_user)
    world.expert.refresh_from_db()
    referral = send(world, kind="expert", expert=world.expert)
    assert services.can_receive(expert_user, referral) and not services.can_receive(world.other_staff, referral)
    services.referral_accept(actor=expert_user, referral=referral, assignment={"scope": "خطة عمل للمطبخ", "expected_days": 3})
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert (referral.assignment.scope, referral.assignment.expected_days) == ("خطة عمل للمطبخ", 3)


# --- reminders ------------------------------------------------------------------------------------------------


def _working_day(after: datetime.datetime, organisation) -> datetime.datetime:
    """Noon (local time) of the first working day after `after`."""
    calendar = helpdesk_services.calendar_for(organisation)
    day = timezone.localdate(after) + datetime.timedelta(days=1)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_unanswered_referrals_are_reminded_once_a_working_day_and_the_sender_is_told(world, django_capture_on_commit_callbacks):
    referral = send(world)
    quiet = services.referral_send(
        actor=world.actors.officer,
        case_service=helpdesk_services.case_create(
            actor=world.actors.officer, organisation=world.actors.organisation, data={"subject": "ثانية"}, services=[world.service]
        ).services.get(),
        kind="partner",
        offer=world.quiet_offer,
        shared_fields=["age"],
        note="",
    )
    assert services.referrals_remind(now=referral.respond_by - datetime.timedelta(minutes=1)) == 0
    later = _working_day(referral.respond_by, world.partner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referrals_remind(now=later) == 2
        assert services.referrals_remind(now=later + datetime.timedelta(hours=6)) == 0  # once a day
    waiting = Notification.objects.filter(kind="referral_waiting")
    assert sorted((n.user.full_name, n.title) for n in waiting) == sorted(
        [
            (world.partner_staff.full_name, f"#{referral.pk} · Small loans"),
            (world.actors.officer.full_name, f"#{referral.pk} · Small loans"),
            (world.actors.officer.full_name, f"#{quiet.pk} · Small loans"),
        ]
    )
    emails = [world.partner_staff.email, world.actors.officer.email, world.actors.officer.email, "suad@tadamon.example"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(emails)
    (link_mail,) = [m for m in mail.outbox if m.to == ["suad@tadamon.example"]]
    assert str(quiet.pk) in link_mail.subject and "/r/" in link_mail.body
    next_day = _working_day(later, world.partner)
    services.referral_accept(actor=world.partner_staff, referral=referral)
    assert services.referrals_remind(now=next_day) == 1  # the answered one no longer
    referral.refresh_from_db()
    assert referral.reminded_at == later


def test_no_reminder_on_a_day_of_rest(world):
    referral = send(world)
    calendar = helpdesk_services.calendar_for(world.partner)
    moment = referral.respond_by + datetime.timedelta(hours=1)
    while calendar.is_working_day(timezone.localdate(moment)):
        moment += datetime.timedelta(days=1)
    assert services.referrals_remind(now=moment) == 0
    assert Referral.objects.get().reminded_at is None


# --- the running counts of the funnel report ------------------------------------------------------------------


def _tallies() -> dict:
    fields = ("from_organisation", "receiver", "kind", "to_organisation", "expert", "sent", "accepted", "declined", "completed")
    fields += ("no_show", "cancelled", "accept_times")
    return {(t["from_organisation"], t["receiver"]): t for t in ReferralTally.objects.values(*fields)}


def test_the_running_counts_follow_every_move_and_match_a_recount(world):
    first = send(world)
    services.referral_decline(actor=world.partner_staff, referral=first, reason="لا")
    second = send(world, kind="expert", expert=world.expert)
    services.referral_cancel(actor=world.actors.officer, referral=second)
    third = send(world, kind="partner", to_organisation=world.other_partner)
    services.referral_accept(actor=world.other_staff, referral=third)
    services.referral_no_show(actor=world.other_staff, referral=third)
    fourth = send(world)
    services.referral_accept(actor=world.partner_staff, referral=fourth)
    services.referral_complete(actor=world.partner_staff, referral=fourth, outcome_note="تم")
    running = _tallies()
    org = world.actors.organisation.pk
    faten = running[(org, f"o:{world.partner.pk}")]
    assert (faten["sent"], faten["accepted"], faten["completed"], faten["declined"], sum(faten["accept_times"])) == (2, 1, 1, 1, 1)
    assert running[(org, f"e:{world.expert.pk}")]["cancelled"] == 1
    assert running[(org, f"o:{world.other_partner.pk}")]["no_show"] == 1
    assert services.referral_tallies_rebuild() == 3
    assert _tallies() == running


def test_the_median_is_read_from_the_histogram_within_a_tenth():
    for hours in (0.1, 1, 5, 20, 47, 24 * 9):
        counts = [0] * len(services.ACCEPT_BOUNDS)
        counts[services.accept_bucket(hours * 3600)] += 1
        assert abs(services.histogram_median(counts) / 3600 - hours) <= hours * 0.1 + 0.1, hours
    counts = [0] * len(services.ACCEPT_BOUNDS)
    for hours in (1, 2, 3, 30, 40):
        counts[services.accept_bucket(hours * 3600)] += 1
    assert abs(services.histogram_median(counts) / 3600 - 3) < 0.4
    assert services.histogram_median([0] * len(services.ACCEPT_BOUNDS)) is None
