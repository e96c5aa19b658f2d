import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shubbak.audit.models import AuditEntry
from shubbak.organisations import services
from shubbak.organisations.models import Contact, Membership
from shubbak.testing.factories import ContactFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Role = Membership.Role


def test_organisation_update_records_who_what_and_before_after(actors):
    services.organisation_update(
        actor=actors.admin, organisation=actors.organisation, data={"phone": "+970 9 238 0335", "address": "شارع فيصل"}
    )
    entry = AuditEntry.objects.get(action="update", target_id=str(actors.organisation.pk))
    assert entry.actor == actors.admin
    assert entry.actor_label == actors.admin.email
    assert entry.organisation == actors.organisation
    assert entry.changes == {"address": ["", "شارع فيصل"], "phone": ["", "+970 9 238 0335"]}
    assert entry.source == "command"


def test_an_update_that_changes_nothing_writes_no_audit_entry(actors):
    services.organisation_update(actor=actors.admin, organisation=actors.organisation, data={"name_ar": actors.organisation.name_ar})
    assert AuditEntry.objects.filter(action="update").count() == 0


def test_a_governorate_outside_the_country_is_refused_and_nothing_is_saved(actors):
    with pytest.raises(ValidationError) as error:
        services.organisation_update(actor=actors.admin, organisation=actors.organisation, data={"governorate": "SY-HL"})
    assert error.value.message_dict == {"governorate": ["This governorate is not in the chosen country."]}
    actors.organisation.refresh_from_db()
    assert actors.organisation.governorate == "PS-NBS"
    assert AuditEntry.objects.filter(action="update").count() == 0


def test_a_parent_from_another_network_is_refused(actors):
    with pytest.raises(ValidationError) as error:
        services.organisation_update(actor=actors.manager, organisation=actors.organisation, data={"parent": actors.other_organisation})
    assert error.value.message_dict == {"parent": ["The parent organisation must belong to the same network."]}


def test_a_loop_in_the_hierarchy_is_refused(actors):
    hq = actors.organisation.parent
    with pytest.raises(ValidationError) as error:
        services.organisation_update(actor=actors.manager, organisation=hq, data={"parent": actors.organisation})
    assert error.value.message_dict == {"parent": ["This parent would make a loop in the hierarchy."]}


def test_only_network_managers_add_organisations(actors):
    data = {"name_ar": "غرفة تجارة وصناعة طولكرم", "kind": "chamber", "country": "PS", "governorate": "PS-TKM"}
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=actors.admin, network=actors.organisation.network, slug="tulkarm", data=data)
    created = services.organisation_create(actor=actors.manager, network=actors.organisation.network, slug="tulkarm", data=data)
    assert created.governorate_name == "Tulkarm"  # English is active in this module
    assert AuditEntry.objects.get(action="create", target_id=str(created.pk)).organisation == created


def test_an_organisation_admin_cannot_deactivate_their_own_organisation(actors):
    services.organisation_update(actor=actors.admin, organisation=actors.organisation, data={"is_active": False})
    actors.organisation.refresh_from_db()
    assert actors.organisation.is_active is True


def test_a_viewer_cannot_write_through_a_service(actors):
    with pytest.raises(PermissionDenied):
        services.desk_create(actor=actors.viewer, organisation=actors.organisation, data={"name_ar": "مكتب"})


def test_a_desk_governorate_must_be_in_the_organisation_country(actors):
    with pytest.raises(ValidationError) as error:
        services.desk_create(
            actor=actors.coordinator, organisation=actors.organisation, data={"name_ar": "مكتب دمشق", "governorate": "SY-DI"}
        )
    assert error.value.message_dict == {"governorate": ["This governorate is not in the organisation's country."]}


def test_a_new_main_contact_replaces_the_previous_one(actors):
    old = ContactFactory(organisation=actors.organisation, is_primary=True)
    new = services.contact_create(actor=actors.coordinator, organisation=actors.organisation, data={"name": "سعاد", "is_primary": True})
    assert list(Contact.objects.filter(organisation=actors.organisation, is_primary=True)) == [new]
    old.refresh_from_db()
    assert AuditEntry.objects.get(action="update", target_id=str(old.pk)).changes == {"is_primary": [True, False]}


def test_deleting_a_contact_keeps_its_last_values_in_the_log(actors):
    contact = ContactFactory(organisation=actors.organisation, name="سعاد كمال")
    services.contact_delete(actor=actors.admin, contact=contact)
    entry = AuditEntry.objects.get(action="delete")
    assert (entry.target_label, entry.changes["name"]) == ("سعاد كمال", ["سعاد كمال", None])


def test_adding_a_new_person_creates_the_account_and_emails_a_password_link(actors, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_create(
            actor=actors.admin, organisation=actors.organisation, email="Huda@Example.org", full_name="هدى المدهون", role=Role.OFFICER
        )
    assert membership.user.email == "huda@example.org"
    assert membership.user.has_usable_password() is False
    assert [m.to for m in mailoutbox] == [["huda@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert actors.organisation.name_ar in mailoutbox[0].subject


def test_adding_an_existing_person_sends_no_email(actors, mailoutbox, django_capture_on_commit_callbacks):
    existing = UserFactory(email="omar@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_create(
            actor=actors.admin, organisation=actors.organisation, email="OMAR@example.org", full_name="x", role=Role.VIEWER
        )
    assert mailoutbox == []
    assert existing.memberships.get().role == Role.VIEWER


def test_a_person_is_a_member_of_an_organisation_once(actors):
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=actors.admin, organisation=actors.organisation, email=actors.officer.email, full_name="x", role=Role.VIEWER
        )
    assert error.value.messages == ["This person is already a member of this organisation."]


def test_only_a_network_manager_names_a_network_manager(actors):
    with pytest.raises(ValidationError):
        services.membership_create(
            actor=actors.admin, organisation=actors.organisation, email="a@b.org", full_name="x", role=Role.NETWORK_MANAGER
        )
    officer = actors.officer.memberships.get()
    with pytest.raises(ValidationError):
        services.membership_update(actor=actors.admin, membership=officer, data={"role": Role.NETWORK_MANAGER})
    services.membership_update(actor=actors.manager, membership=officer, data={"role": Role.NETWORK_MANAGER})
    assert officer.role == Role.NETWORK_MANAGER


def test_an_admin_cannot_end_their_own_membership(actors):
    own = actors.admin.memberships.get()
    with pytest.raises(ValidationError):
        services.membership_update(actor=actors.admin, membership=own, data={"is_active": False})


def test_ending_a_membership_removes_access_at_once(actors):
    from shubbak.organisations.permissions import access_for

    officer_membership = actors.officer.memberships.get()
    access_for(actors.officer)  # cached
    services.membership_update(actor=actors.admin, membership=officer_membership, data={"is_active": False})
    assert access_for(officer_membership.user).organisation_ids() == set()


def test_a_desk_from_another_organisation_cannot_be_assigned(actors):
    from shubbak.testing.factories import DeskFactory

    foreign_desk = DeskFactory(organisation=OrganisationFactory(network=actors.organisation.network))
    with pytest.raises(ValidationError) as error:
        services.membership_update(actor=actors.admin, membership=actors.officer.memberships.get(), data={"desk": foreign_desk})
    assert error.value.message_dict == {"desk": ["The desk must belong to the same organisation."]}


def test_the_welcome_link_lets_the_new_person_choose_a_password(actors, mailoutbox, django_capture_on_commit_callbacks, client):
    import re

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_create(
            actor=actors.admin, organisation=actors.organisation, email="new@example.org", full_name="هدى", role=Role.OFFICER
        )
    path = re.search(r"http://[^/]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0], {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"})
    assert response.status_code == 302
    from shubbak.accounts.models import User

    assert User.objects.get(email="new@example.org").check_password("a-long-new-passphrase") is True
