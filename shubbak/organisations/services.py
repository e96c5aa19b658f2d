"""Writes to organisations, desks, contacts and memberships: atomic, validated, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shubbak.accounts.models import User
from shubbak.accounts.services import user_create
from shubbak.audit.services import audited_create, audited_delete, audited_update

from .models import Contact, Desk, Membership, Network, Organisation
from .permissions import access_for, forget_access
from .tasks import send_welcome_email

ORGANISATION_FIELDS = {
    "name_ar",
    "name_en",
    "kind",
    "parent",
    "country",
    "governorate",
    "address",
    "phone",
    "email",
    "website",
    "is_active",
}
DESK_FIELDS = {"name_ar", "name_en", "kind", "governorate", "address", "phone", "email", "opening_hours", "is_active"}
CONTACT_FIELDS = {"name", "position", "phone", "email", "is_primary"}


def _only(data: dict, allowed: set[str]) -> dict:
    return {k: v for k, v in data.items() if k in allowed}


def _require(actor, organisation, action):
    """Check the actor's role; actor=None is the system itself (commands, jobs, demo data)."""
    if actor is not None and not access_for(actor).can(organisation, action):
        raise PermissionDenied


@transaction.atomic
def network_create(*, actor, name_ar: str, slug: str, kind: str, name_en: str = "", description: str = "", funder: str = "") -> Network:
    """Create a network (platform operators, from the admin or a command)."""
    network = Network(name_ar=name_ar, name_en=name_en, slug=slug, kind=kind, description=description, funder=funder)
    return audited_create(actor=actor, instance=network, organisation=None)


@transaction.atomic
def organisation_create(*, actor, network: Network, slug: str, data: dict) -> Organisation:
    """Add an organisation to a network the actor manages."""
    if actor is not None and not access_for(actor).is_network_manager(network.pk):
        raise PermissionDenied
    organisation = Organisation(network=network, slug=slug, **_only(data, ORGANISATION_FIELDS))
    audited_create(actor=actor, instance=organisation, organisation=organisation)
    if actor is not None:
        forget_access(actor)  # the new organisation is now within the manager's reach
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict) -> Organisation:
    """Change an organisation's details."""
    _require(actor, organisation, "change_organisation")
    data = _only(data, ORGANISATION_FIELDS)
    if "is_active" in data and not access_for(actor).is_network_manager(organisation.network_id):
        data.pop("is_active")  # only the network decides who is in it
    return audited_update(actor=actor, instance=organisation, data=data, organisation=organisation)


@transaction.atomic
def desk_create(*, actor, organisation: Organisation, data: dict) -> Desk:
    """Open a helpdesk or one-stop shop in an organisation."""
    _require(actor, organisation, "manage_desks")
    return audited_create(actor=actor, instance=Desk(organisation=organisation, **_only(data, DESK_FIELDS)), organisation=organisation)


@transaction.atomic
def desk_update(*, actor, desk: Desk, data: dict) -> Desk:
    """Change a desk's details, or close it (is_active=False)."""
    _require(actor, desk.organisation, "manage_desks")
    return audited_update(actor=actor, instance=desk, data=_only(data, DESK_FIELDS), organisation=desk.organisation)


@transaction.atomic
def contact_create(*, actor, organisation: Organisation, data: dict) -> Contact:
    """Add a contact person; a new main contact replaces the previous one."""
    _require(actor, organisation, "manage_contacts")
    contact = audited_create(
        actor=actor, instance=Contact(organisation=organisation, **_only(data, CONTACT_FIELDS)), organisation=organisation
    )
    if contact.is_primary:
        _demote_other_primary_contacts(actor=actor, contact=contact)
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, data: dict) -> Contact:
    """Change a contact person's details."""
    _require(actor, contact.organisation, "manage_contacts")
    audited_update(actor=actor, instance=contact, data=_only(data, CONTACT_FIELDS), organisation=contact.organisation)
    if contact.is_primary:
        _demote_other_primary_contacts(actor=actor, contact=contact)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: Contact) -> None:
    """Remove a contact person."""
    _require(actor, contact.organisation, "manage_contacts")
    audited_delete(actor=actor, instance=contact, organisation=contact.organisation)


def _demote_other_primary_contacts(*, actor, contact: Contact) -> None:
    for other in Contact.objects.filter(organisation=contact.organisation, is_primary=True).exclude(pk=contact.pk):
        audited_update(actor=actor, instance=other, data={"is_primary": False}, organisation=contact.organisation)


@transaction.atomic
def membership_create(
    *, actor, organisation: Organisation, email: str, full_name: str, role: str, desk: Desk | None = None, title: str = ""
) -> Membership:
    """Give a person a role in an organisation, creating their account (and e-mailing them) if new."""
    _require(actor, organisation, "manage_members")
    if actor is not None and role == Membership.Role.NETWORK_MANAGER and not access_for(actor).is_network_manager(organisation.network_id):
        raise ValidationError({"role": _("Only a network manager can name another network manager.")})
    user = User.objects.filter(email__iexact=email.strip()).first()
    new_account = user is None
    if new_account:
        user = user_create(actor=actor, email=email, full_name=full_name)
    membership = audited_create(
        actor=actor, instance=Membership(user=user, organisation=organisation, role=role, desk=desk, title=title), organisation=organisation
    )
    if new_account:
        transaction.on_commit(lambda: send_welcome_email(user.pk, organisation.pk))
    return membership


@transaction.atomic
def membership_update(*, actor, membership: Membership, data: dict) -> Membership:
    """Change a member's role, desk or title, or deactivate the membership."""
    organisation = membership.organisation
    _require(actor, organisation, "manage_members")
    data = _only(data, {"role", "desk", "title", "is_active"})
    access = access_for(actor)  # membership updates always come from a person
    touches_manager = data.get("role") == Membership.Role.NETWORK_MANAGER or membership.role == Membership.Role.NETWORK_MANAGER
    if touches_manager and data.get("role", membership.role) != membership.role and not access.is_network_manager(organisation.network_id):
        raise ValidationError({"role": _("Only a network manager can name or remove a network manager.")})
    if membership.user_id == actor.pk and (data.get("is_active") is False or data.get("role", membership.role) != membership.role):
        raise ValidationError(_("You cannot change or end your own membership; ask another admin."))
    audited_update(actor=actor, instance=membership, data=data, organisation=organisation)
    forget_access(membership.user)
    return membership
