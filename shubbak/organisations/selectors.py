"""Reads of organisations and what hangs off them, always through the user's access."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .models import Contact, Desk, Membership, Network, Organisation
from .permissions import access_for


def organisation_list(*, user, filters: dict | None = None) -> QuerySet[Organisation]:
    """Organisations the user may see, with their network, parent and counts, filtered."""
    filters = filters or {}
    qs = (
        Organisation.objects.filter(id__in=access_for(user).organisation_ids("view"))
        .select_related("network", "parent")
        .annotate(
            desk_count=Count("desks", filter=Q(desks__is_active=True), distinct=True),
            member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        )
        .order_by("network__name_ar", "name_ar")
    )
    if filters.get("network"):
        qs = qs.filter(network__slug=filters["network"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("country"):
        qs = qs.filter(country=filters["country"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(name_ar__icontains=q) | Q(name_en__icontains=q) | Q(slug__icontains=q))
    return qs


def organisation_get(*, user, slug: str) -> Organisation:
    """One organisation the user may see; Http404 otherwise, exactly as for a missing one."""
    try:
        return Organisation.objects.select_related("network", "parent").get(slug=slug, id__in=access_for(user).organisation_ids("view"))
    except Organisation.DoesNotExist:
        raise Http404 from None


def network_list(*, user) -> QuerySet[Network]:
    """Networks the user manages."""
    return Network.objects.filter(id__in=access_for(user).managed_networks)


def desk_get(*, user, organisation: Organisation, pk: int) -> Desk:
    """One desk of an organisation the user may see."""
    try:
        return Desk.objects.for_user(user).select_related("organisation").get(organisation=organisation, pk=pk)
    except Desk.DoesNotExist:
        raise Http404 from None


def contact_get(*, user, organisation: Organisation, pk: int) -> Contact:
    """One contact of an organisation the user may see."""
    try:
        return Contact.objects.for_user(user).select_related("organisation").get(organisation=organisation, pk=pk)
    except Contact.DoesNotExist:
        raise Http404 from None


def membership_get(*, user, organisation: Organisation, pk: int) -> Membership:
    """One membership of an organisation the user may see."""
    try:
        return Membership.objects.for_user(user).select_related("organisation", "user", "desk").get(organisation=organisation, pk=pk)
    except Membership.DoesNotExist:
        raise Http404 from None


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    """Staff of one organisation (the caller has checked access)."""
    return organisation.memberships.select_related("user", "desk").order_by("-is_active", "user__full_name")


def network_overview(*, user, network: Network) -> QuerySet[Organisation]:
    """Every organisation of a managed network with desk and staff counts, for the manager's home."""
    if network.pk not in access_for(user).managed_networks:
        raise Http404
    return (
        network.organisations.filter(is_active=True)
        .select_related("parent")
        .annotate(
            desk_count=Count("desks", filter=Q(desks__is_active=True), distinct=True),
            member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        )
        .order_by("kind", "name_ar")
    )
