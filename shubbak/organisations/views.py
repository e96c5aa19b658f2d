"""Pages of organisations, desks, contacts and staff. Thin: parse, fetch with access, one service, render."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shubbak.forms import add_service_errors

from . import selectors, services
from .forms import ContactForm, DeskForm, MembershipCreateForm, MembershipForm, OrganisationFilterForm, OrganisationForm
from .models import Organisation
from .permissions import access_for, require

PAGE_SIZE = 25


def _organisation(request: HttpRequest, slug: str, action: str = "view") -> Organisation:
    """The organisation if the user may do `action`: 404 for outsiders, 403 for members without the role."""
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    require(request.user, organisation, action)
    return organisation


def _manages(request: HttpRequest, organisation: Organisation) -> bool:
    return access_for(request.user).is_network_manager(organisation.network_id)


def _form_page(request, *, form, write, success: str, redirect_to: str, template: str, context: dict) -> HttpResponse:
    """Validate the form, run one service; on a ValidationError keep the input and show why."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    return render(request, template, {"form": form, **context})


def organisation_url(organisation: Organisation) -> str:
    return reverse("organisation_detail", kwargs={"slug": organisation.slug})


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Every organisation the user may see, filterable; HTMX gets just the results."""
    networks = selectors.network_list(user=request.user)
    form = OrganisationFilterForm(request.GET or None, networks=networks)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.organisation_list(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_create": bool(access_for(request.user).managed_networks), "networks": networks}
    template = "organisations/_organisation_results.html" if request.htmx else "organisations/organisation_list.html"
    return render(request, template, context)


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation with its desks, contacts, children and staff."""
    organisation = _organisation(request, slug)
    access = access_for(request.user)
    context = {
        "organisation": organisation,
        "desks": organisation.desks.all(),
        "contacts": organisation.contacts.all(),
        "children": organisation.children.filter(id__in=access.organisation_ids()),
        "members": selectors.membership_list(organisation=organisation),
        "can": {
            action: access.can(organisation, action)
            for action in ("change_organisation", "manage_desks", "manage_contacts", "manage_members", "view_audit", "import_registry")
        },
    }
    return render(request, "organisations/organisation_detail.html", context)


@login_required
def organisation_create(request: HttpRequest, network: str) -> HttpResponse:
    """Add an organisation to a network the user manages."""
    network_obj = selectors.network_list(user=request.user).filter(slug=network).first()
    if network_obj is None:
        raise Http404
    form = OrganisationForm(request.POST or None, network=network_obj)
    slug = form.data.get("slug", "")
    return _form_page(
        request,
        form=form,
        write=lambda data: services.organisation_create(actor=request.user, network=network_obj, slug=data["slug"], data=data),
        success=_("The organisation was added."),
        redirect_to=reverse("organisation_detail", kwargs={"slug": slug}) if slug else "/",
        template="organisations/organisation_form.html",
        context={"network": network_obj},
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change an organisation's details."""
    organisation = _organisation(request, slug, "change_organisation")
    return _form_page(
        request,
        form=OrganisationForm(request.POST or None, instance=copy(organisation)),
        write=lambda data: services.organisation_update(actor=request.user, organisation=organisation, data=data),
        success=_("The organisation was saved."),
        redirect_to=organisation_url(organisation),
        template="organisations/organisation_form.html",
        context={"organisation": organisation},
    )


@login_required
def desk_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Open a new desk, or change one."""
    organisation = _organisation(request, slug, "manage_desks")
    desk = selectors.desk_get(user=request.user, organisation=organisation, pk=pk) if pk else None
    if desk:
        write = lambda data: services.desk_update(actor=request.user, desk=desk, data=data)  # noqa: E731
    else:
        write = lambda data: services.desk_create(actor=request.user, organisation=organisation, data=data)  # noqa: E731
    return _form_page(
        request,
        form=DeskForm(request.POST or None, instance=copy(desk), organisation=organisation),
        write=write,
        success=_("The desk was saved."),
        redirect_to=organisation_url(organisation),
        template="organisations/desk_form.html",
        context={"organisation": organisation, "desk": desk},
    )


@login_required
def contact_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a contact person, or change one."""
    organisation = _organisation(request, slug, "manage_contacts")
    contact = selectors.contact_get(user=request.user, organisation=organisation, pk=pk) if pk else None
    if contact:
        write = lambda data: services.contact_update(actor=request.user, contact=contact, data=data)  # noqa: E731
    else:
        write = lambda data: services.contact_create(actor=request.user, organisation=organisation, data=data)  # noqa: E731
    return _form_page(
        request,
        form=ContactForm(request.POST or None, instance=copy(contact)),
        write=write,
        success=_("The contact was saved."),
        redirect_to=organisation_url(organisation),
        template="organisations/contact_form.html",
        context={"organisation": organisation, "contact": contact},
    )


@login_required
@require_POST
def contact_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a contact person."""
    organisation = _organisation(request, slug, "manage_contacts")
    contact = selectors.contact_get(user=request.user, organisation=organisation, pk=pk)
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, _("The contact was removed."))
    return redirect(organisation_url(organisation))


@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a person to the organisation's staff; a new account gets a welcome e-mail."""
    organisation = _organisation(request, slug, "manage_members")
    return _form_page(
        request,
        form=MembershipCreateForm(request.POST or None, organisation=organisation, can_name_managers=_manages(request, organisation)),
        write=lambda data: services.membership_create(actor=request.user, organisation=organisation, **data),
        success=_("The staff member was added."),
        redirect_to=organisation_url(organisation),
        template="organisations/member_form.html",
        context={"organisation": organisation},
    )


@login_required
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a staff member's role, desk or title, or end their membership."""
    organisation = _organisation(request, slug, "manage_members")
    membership = selectors.membership_get(user=request.user, organisation=organisation, pk=pk)
    return _form_page(
        request,
        form=MembershipForm(request.POST or None, instance=copy(membership), can_name_managers=_manages(request, organisation)),
        write=lambda data: services.membership_update(actor=request.user, membership=membership, data=data),
        success=_("The membership was saved."),
        redirect_to=organisation_url(organisation),
        template="organisations/member_form.html",
        context={"organisation": organisation, "membership": membership},
    )


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Make another of the user's organisations the current one."""
    organisation = selectors.organisation_get(user=request.user, slug=request.POST.get("organisation", ""))
    request.session["current_organisation"] = organisation.pk
    return redirect("home")
