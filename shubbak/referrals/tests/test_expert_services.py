"""The roster's rules: who keeps it, who browses it, what is normalised, vetting, CVs, accounts."""

# ruff: noqa: F401, F811 (fixtures are imported from expert_fixtures and named in the tests' arguments)

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from shubbak.audit.models import AuditEntry
from shubbak.organisations.models import Membership
from shubbak.referrals import expert_selectors as selectors
from shubbak.referrals import experts as services
from shubbak.referrals.models import Expert
from shubbak.testing.factories import MembershipFactory, OrganisationFactory, ServiceFactory, UserFactory

from .expert_fixtures import PDF, business_plan, docx_bytes, expert_data, feasibility, salma, salma_user  # pytest fixtures, used by name

pytestmark = pytest.mark.django_db


def test_saving_normalises_what_people_type_and_records_it(actors, salma, business_plan, english):
    assert (salma.phone, salma.email, salma.languages, salma.governorates) == (
        "+970599555123",
        "salma.khatib@experts.test",
        "ar,en",
        ["PS-NBS", "PS-JEN"],
    )
    assert (salma.network, salma.organisation, salma.vetting) == (actors.organisation.network, actors.organisation, "vetted")
    assert list(salma.specialisations.all()) == [business_plan]
    created = AuditEntry.objects.get(action="create", target_id=str(salma.pk), target_type__model="expert")
    assert (created.actor, created.organisation, created.changes["specialisations"]) == (
        actors.admin,
        actors.organisation,
        [[], ["إعداد خطة عمل"]],
    )
    assert created.changes["phone"] == [None, "+970599555123"]


def test_a_change_is_audited_with_before_and_after_and_nothing_when_nothing_changed(actors, salma, feasibility):
    services.expert_save(actor=actors.coordinator, expert=salma, data={"daily_rate": "180", "specialisations": [feasibility]})
    change = AuditEntry.objects.filter(action="update", target_type__model="expert").latest("id")
    assert change.changes == {"daily_rate": ["150.00", "180"], "specialisations": [["إعداد خطة عمل"], ["دراسة جدوى اقتصادية"]]}
    count = AuditEntry.objects.count()
    services.expert_save(actor=actors.coordinator, expert=salma, data={"full_name": "سلمى  يوسف الخطيب"})  # same once tidied
    assert AuditEntry.objects.count() == count


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "hello", "«hello» is not a phone number we can read."),
        ("governorates", ["SY-DI"], "Choose governorates of the country of the organisation that keeps the roster."),
        ("languages", ["ar", "xx"], "Unknown language: xx."),
        ("daily_rate", "-5", "The daily rate cannot be negative."),
        ("full_name", "  ", "This field cannot be blank."),
    ],
)
def test_bad_input_is_refused_with_a_message_on_its_field(actors, expert_data, field, value, message, english):
    with pytest.raises(ValidationError) as error:
        services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data | {field: value})
    assert message in error.value.message_dict[field][0]
    assert Expert.objects.count() == 0


def test_specialisations_come_from_the_networks_own_catalogue(actors, expert_data, english):
    elsewhere = ServiceFactory()
    with pytest.raises(ValidationError) as error:
        services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data | {"specialisations": [elsewhere]})
    assert error.value.message_dict == {"specialisations": ["Choose services of this network's catalogue."]}


def test_only_the_keepers_of_the_roster_add_and_change_experts(actors, expert_data, salma):
    for user in (actors.officer, actors.viewer, actors.outsider):
        with pytest.raises(PermissionDenied):
            services.expert_save(actor=user, organisation=actors.organisation, data=expert_data)
        with pytest.raises(PermissionDenied):
            services.expert_save(actor=user, expert=salma, data={"daily_rate": 1})
    services.expert_save(actor=actors.manager, expert=salma, data={"availability": "busy"})  # network managers keep every roster
    salma.refresh_from_db()
    assert salma.availability == "busy"


def test_a_coordinator_of_another_organisation_of_the_network_browses_but_does_not_edit(actors, salma):
    hebron = OrganisationFactory(network=actors.organisation.network, slug="hebron", governorate="PS-HBN")
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=hebron, role=Membership.Role.COORDINATOR)
    assert list(selectors.expert_list(user=coordinator)) == [salma]
    with pytest.raises(PermissionDenied):
        services.expert_save(actor=coordinator, expert=salma, data={"daily_rate": 1})


def test_the_roster_is_the_networks_staffs_not_other_networks_nor_experts(actors, salma, salma_user):
    partner = OrganisationFactory(network=actors.organisation.network, kind="lender")
    partner_staff = UserFactory()
    MembershipFactory(user=partner_staff, organisation=partner, role=Membership.Role.PARTNER_STAFF)
    for user in (actors.viewer, actors.officer, actors.manager, partner_staff):
        assert list(selectors.expert_list(user=user)) == [salma]
    for user in (actors.outsider, salma_user):
        assert list(selectors.expert_list(user=user)) == []
        with pytest.raises(Http404):
            selectors.expert_get(user=user, pk=salma.pk)


@pytest.mark.parametrize(
    "query",
    ["سلمي الخطيب", "سلمى", "الخطيب", "خطه عمل", "business plan", "0599555123", "٠٥٩٩٥٥٥١٢٣", "00970599555123", "الانجليزية", "جنين"],
)
def test_search_in_any_spelling(actors, salma, query):
    assert list(selectors.expert_list(user=actors.officer, query=query)) == [salma], query


def test_search_needs_every_word(actors, salma):
    assert list(selectors.expert_list(user=actors.officer, query="سلمى قاسم")) == []


def test_filters(actors, salma, business_plan, feasibility, expert_data):
    other = services.expert_save(
        actor=actors.admin,
        organisation=actors.organisation,
        data=expert_data
        | {"full_name": "أحمد خليل", "gender": "male", "phone": "", "email": "", "specialisations": [feasibility], "languages": ["ar"]}
        | {"governorates": ["PS-HBN"], "availability": "busy"},
    )

    def names(**filters):
        return [e.full_name for e in selectors.expert_list(user=actors.officer, filters=filters)]

    assert names() == ["أحمد خليل", "سلمى يوسف الخطيب"]
    assert names(service=business_plan) == ["سلمى يوسف الخطيب"]
    assert names(service=feasibility.pk) == ["أحمد خليل"]
    assert names(governorate="PS-JEN") == ["سلمى يوسف الخطيب"]
    assert names(governorate="PS-HBN") == ["أحمد خليل"]
    assert names(availability="busy") == ["أحمد خليل"]
    assert names(vetting="pending") == ["أحمد خليل"]
    assert names(language="en") == ["سلمى يوسف الخطيب"]
    assert names(language="ar") == ["أحمد خليل", "سلمى يوسف الخطيب"]
    assert names(gender="male") == [other.full_name]


def test_the_roster_shows_each_experts_assignments_and_average_rating(actors, salma):
    from shubbak.referrals.models import Assignment

    from .expert_fixtures import make_referral

    for rating in (5, 4, None):
        referral = make_referral(actors, salma, salma.specialisations.get())
        Assignment.objects.create(
            referral=referral, expert=salma, organisation=actors.organisation, scope="x", expected_days=1, rating=rating
        )
    listed = selectors.expert_list(user=actors.officer).get()
    assert (listed.assignment_count, listed.average_rating) == (3, 4.5)


# --- vetting ---------------------------------------------------------------------------------------------------


def test_vetting_records_who_decided_when_and_why(actors, expert_data):
    expert = services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data)
    assert expert.vetting == "pending"
    vetted = services.expert_vet(actor=actors.coordinator, expert=expert, vetting="vetted", note="مقابلة وشهادتان")
    assert (vetted.vetting, vetted.vetted_by, vetted.vetting_note, vetted.vetted_at is not None) == (
        "vetted",
        actors.coordinator,
        "مقابلة وشهادتان",
        True,
    )
    entry = AuditEntry.objects.filter(target_type__model="expert", action="update").latest("id")
    assert entry.changes["vetting"] == ["pending", "vetted"]


def test_rejecting_or_suspending_needs_a_reason(actors, salma, english):
    for decision in ("rejected", "suspended"):
        with pytest.raises(ValidationError) as error:
            services.expert_vet(actor=actors.admin, expert=salma, vetting=decision, note=" ")
        assert error.value.message_dict == {"note": ["Say why: the expert's record keeps the reason."]}
    services.expert_vet(actor=actors.admin, expert=salma, vetting="suspended", note="لم تسلّم آخر تقرير")
    salma.refresh_from_db()
    assert salma.vetting == "suspended"


def test_vetting_rights(actors, salma, salma_user, english):
    with pytest.raises(PermissionDenied):
        services.expert_vet(actor=actors.officer, expert=salma, vetting="rejected", note="x")
    with pytest.raises(PermissionDenied):
        services.expert_vet(actor=salma_user, expert=salma, vetting="vetted")
    with pytest.raises(ValidationError):
        services.expert_vet(actor=actors.admin, expert=salma, vetting="excellent")


def test_nobody_vets_herself(actors, salma, english):
    salma.user = actors.coordinator
    salma.save(update_fields=["user"])
    with pytest.raises(ValidationError) as error:
        services.expert_vet(actor=actors.coordinator, expert=salma, vetting="vetted")
    assert error.value.messages == ["You cannot decide your own vetting."]


# --- CVs -------------------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_pdf_cv_is_kept_outside_the_web_root_under_a_random_name(actors, salma, media, django_capture_on_commit_callbacks):
    services.expert_cv_upload(actor=actors.admin, expert=salma, upload=SimpleUploadedFile("سيرة سلمى.pdf", PDF))
    salma.refresh_from_db()
    assert salma.cv.name.startswith("experts/") and salma.cv.name.endswith(".pdf")
    assert "سلمى" not in salma.cv.name
    assert (media / salma.cv.name).read_bytes() == PDF
    first = salma.cv.name
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_cv_upload(actor=actors.admin, expert=salma, upload=SimpleUploadedFile("cv.docx", docx_bytes()))
    salma.refresh_from_db()
    assert salma.cv.name.endswith(".docx")
    assert not (media / first).exists()  # the replaced CV is deleted once the change is committed
    entry = AuditEntry.objects.filter(target_type__model="expert", action="update").latest("id")
    assert entry.changes == {"cv": [first, salma.cv.name]}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.exe", b"MZ\x90\x00", "Upload the CV as a PDF or a Word (DOCX) file."),
        ("cv.doc", b"\xd0\xcf\x11\xe0", "Upload the CV as a PDF or a Word (DOCX) file."),
        ("cv", PDF, "Upload the CV as a PDF or a Word (DOCX) file."),
        ("cv.pdf", b"", "The file is empty."),
        ("cv.pdf", b"<html><script>alert(1)</script>", "This file is not what its name says: it is not a real PDF file."),
        ("cv.docx", PDF, "This file is not what its name says: it is not a real DOCX file."),
        ("cv.docx", docx_bytes(word=False), "This file is not what its name says: it is not a real DOCX file."),
        ("cv.docx", b"PK\x03\x04 not a zip at all", "This file is not what its name says: it is not a real DOCX file."),
    ],
)
def test_a_cv_is_checked_by_type_and_content(actors, salma, media, name, content, message, english):
    with pytest.raises(ValidationError) as error:
        services.expert_cv_upload(actor=actors.admin, expert=salma, upload=SimpleUploadedFile(name, content))
    assert error.value.message_dict == {"cv": [message]}
    salma.refresh_from_db()
    assert not salma.cv
    assert list(media.rglob("*.*")) == []


def test_a_cv_over_5_mb_is_refused(actors, salma, media, english):
    upload = SimpleUploadedFile("cv.pdf", PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.expert_cv_upload(actor=actors.admin, expert=salma, upload=upload)
    assert error.value.message_dict == {"cv": ["The file is larger than 5 MB."]}


def test_only_the_keepers_upload_or_remove_a_cv(actors, salma, media, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        services.expert_cv_upload(actor=actors.officer, expert=salma, upload=SimpleUploadedFile("cv.pdf", PDF))
    services.expert_cv_upload(actor=actors.admin, expert=salma, upload=SimpleUploadedFile("cv.pdf", PDF))
    with pytest.raises(PermissionDenied):
        services.expert_cv_remove(actor=actors.viewer, expert=salma)
    salma.refresh_from_db()
    name = salma.cv.name
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_cv_remove(actor=actors.coordinator, expert=salma)
    salma.refresh_from_db()
    assert (salma.cv.name, (media / name).exists()) == ("", False)


# --- accounts --------------------------------------------------------------------------------------------------


def test_inviting_gives_the_expert_an_account_with_an_experts_role(actors, salma, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.expert_invite(actor=actors.admin, expert=salma)
    salma.refresh_from_db()
    assert (salma.user, user.email, user.full_name, user.has_usable_password()) == (
        user,
        "salma.khatib@experts.test",
        "سلمى يوسف الخطيب",
        False,
    )
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (actors.organisation, "expert")
    assert [m.to for m in mail.outbox] == [["salma.khatib@experts.test"]]
    assert AuditEntry.objects.filter(target_type__model="membership", action="create", actor=actors.admin).count() == 1


def test_inviting_links_an_existing_account_and_refuses_twice(actors, salma, english):
    existing = UserFactory(email="salma.khatib@experts.test")
    assert services.expert_invite(actor=actors.coordinator, expert=salma) == existing
    with pytest.raises(ValidationError) as error:
        services.expert_invite(actor=actors.coordinator, expert=salma)
    assert error.value.messages == ["This expert already has an account."]


def test_inviting_needs_an_email_and_the_right(actors, expert_data, english):
    expert = services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data | {"email": ""})
    with pytest.raises(PermissionDenied):
        services.expert_invite(actor=actors.officer, expert=expert)
    with pytest.raises(ValidationError) as error:
        services.expert_invite(actor=actors.admin, expert=expert)
    assert error.value.message_dict == {"email": ["Add the expert's e-mail address first: the invitation is sent there."]}


def test_days_are_written_as_people_write_them():
    assert [services.days_text(Decimal(v)) for v in ("3.0", "2.5", "10", "0.5")] == ["3", "2.5", "10", "0.5"]
