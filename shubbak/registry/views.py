"""Pages of the registry: search, lists, record pages, forms with the duplicate check, consents, owners, merge."""

from copy import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shubbak.context_processors import current_membership
from shubbak.exports import enterprises_export, people_export
from shubbak.forms import add_service_errors
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for, require
from shubbak.pagination import CappedPaginator

from . import isic, selectors, services
from .forms import ConsentForm, EnterpriseFilterForm, EnterpriseForm, MergeForm, OwnershipForm, PersonFilterForm, PersonForm
from .models import Consent, Ownership

PAGE_SIZE = 25


def _organisations(request: HttpRequest, action: str) -> list[Organisation]:
    """Organisations where the user may do `action`, the current one first."""
    access = access_for(request.user)
    ids = access.organisation_ids(action)
    current = current_membership(request, access)
    return sorted(Organisation.objects.filter(pk__in=ids), key=lambda o: (current is None or o.pk != current.organisation_id, o.name_ar))


def _export(request: HttpRequest, export, queryset) -> HttpResponse:
    """A whole list of personal data leaves the system: only for roles that manage the registry, and only their records."""
    organisations = access_for(request.user).organisation_ids("manage_registry")
    if not organisations:
        raise PermissionDenied
    return export(queryset.filter(organisation__in=organisations), request.GET["export"])


def _list(request, *, form, queryset, template, partial, extra=None):
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, **(extra or {})}
    return render(request, partial if request.htmx else template, context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """One box over people and enterprises: name in any spelling, phone, ID or registration number."""
    query = request.GET.get("q", "").strip()
    people = list(selectors.person_list(user=request.user, query=query)[:10]) if query else []
    enterprises = list(selectors.enterprise_list(user=request.user, query=query)[:10]) if query else []
    return render(request, "registry/search.html", {"query": query, "people": people, "enterprises": enterprises})


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """People the user may see, with filters; HTMX gets just the results; ?export=xlsx|csv downloads them."""
    form = PersonFilterForm(request.GET or None, organisations=_organisations(request, "view_registry"))
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.person_list(user=request.user, query=filters.get("q", ""), filters=filters)
    if request.GET.get("export") in {"xlsx", "csv"}:
        return _export(request, people_export, queryset)
    can_add = bool(access_for(request.user).organisation_ids("manage_registry"))
    return _list(
        request,
        form=form,
        queryset=queryset,
        template="registry/person_list.html",
        partial="registry/_person_results.html",
        extra={"can_add": can_add},
    )


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """Enterprises the user may see, with filters; HTMX gets just the results; ?export=xlsx|csv downloads them."""
    form = EnterpriseFilterForm(request.GET or None, organisations=_organisations(request, "view_registry"))
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.enterprise_list(user=request.user, query=filters.get("q", ""), filters=filters)
    if request.GET.get("export") in {"xlsx", "csv"}:
        return _export(request, enterprises_export, queryset)
    can_add = bool(access_for(request.user).organisation_ids("manage_registry"))
    return _list(
        request,
        form=form,
        queryset=queryset,
        template="registry/enterprise_list.html",
        partial="registry/_enterprise_results.html",
        extra={"can_add": can_add},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about a person: details, enterprises, consents, previous addresses."""
    person = selectors.person_get(user=request.user, pk=pk)
    access = access_for(request.user)
    context = {
        "person": person,
        "ownerships": person.ownerships.select_related("enterprise"),
        "consents": person.consents.select_related("recorded_by", "withdrawn_by"),
        "addresses": person.addresses.all(),
        "youth": person.is_youth(timezone.localdate()),
        "can_edit": access.can(person.organisation_id, "manage_registry"),
        "can_audit": access.can(person.organisation_id, "view_audit"),
        "consent_form": ConsentForm(),
    }
    return render(request, "registry/person_detail.html", context)


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about an enterprise: details, owners and managers, status history."""
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    access = access_for(request.user)
    context = {
        "enterprise": enterprise,
        "ownerships": enterprise.ownerships.select_related("person"),
        "status_changes": enterprise.status_changes.select_related("changed_by"),
        "can_edit": access.can(enterprise.organisation_id, "manage_registry"),
        "can_audit": access.can(enterprise.organisation_id, "view_audit"),
        "sector_title": isic.title(enterprise.isic_division or enterprise.isic_section),
    }
    return render(request, "registry/enterprise_detail.html", context)


def _record_form(request, *, form, create, update, record, template, kind):
    """Create (with the duplicate check and its confirmation) or update a record through its service."""
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = update(data) if record else create(data)
        except services.DuplicatesFound as found:
            duplicates = found.duplicates
            form.add_error(None, _("This looks like a record that already exists. Check the list below."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            back = request.GET.get("next", "")
            if not record and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
                return redirect(f"{back}?{urlencode({'q': str(saved)})}")  # e.g. back to the case being linked, listing it
            return redirect(f"{kind}_detail", pk=saved.pk)
    if not duplicates:
        form.fields.pop("confirm_new", None)  # only asked next to the likely duplicates
    return render(request, template, {"form": form, "record": record, "duplicates": duplicates})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    """Register a person; likely duplicates are shown with why, and the officer confirms."""
    organisations = _organisations(request, "manage_registry")
    if not organisations:
        raise PermissionDenied
    form = PersonForm(request.POST or None, organisations=organisations)

    def create(data):
        organisation = data.pop("organisation", None) or organisations[0]
        consents = data.pop("consents", [])
        return services.person_create(
            actor=request.user, organisation=organisation, data=data, consents=consents, confirmed=data.pop("confirm_new", False)
        )

    return _record_form(request, form=form, create=create, update=None, record=None, template="registry/person_form.html", kind="person")


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a person's details."""
    person = selectors.person_get(user=request.user, pk=pk)
    require(request.user, person.organisation, "manage_registry")
    form = PersonForm(request.POST or None, instance=copy(person))
    return _record_form(
        request,
        form=form,
        create=None,
        update=lambda data: services.person_update(actor=request.user, person=person, data=data),
        record=person,
        template="registry/person_form.html",
        kind="person",
    )


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    """Register an enterprise; likely duplicates are shown with why, and the officer confirms."""
    organisations = _organisations(request, "manage_registry")
    if not organisations:
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, organisations=organisations)

    def create(data):
        organisation = data.pop("organisation", None) or organisations[0]
        return services.enterprise_create(
            actor=request.user, organisation=organisation, data=data, confirmed=data.pop("confirm_new", False)
        )

    return _record_form(
        request, form=form, create=create, update=None, record=None, template="registry/enterprise_form.html", kind="enterprise"
    )


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an enterprise's details."""
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    require(request.user, enterprise.organisation, "manage_registry")
    form = EnterpriseForm(request.POST or None, instance=copy(enterprise))
    return _record_form(
        request,
        form=form,
        create=None,
        update=lambda data: services.enterprise_update(actor=request.user, enterprise=enterprise, data=data),
        record=enterprise,
        template="registry/enterprise_form.html",
        kind="enterprise",
    )


@login_required
@require_POST
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a consent the person gives."""
    person = selectors.person_get(user=request.user, pk=pk)
    require(request.user, person.organisation, "manage_registry")
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_give(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, _("The consent was recorded."))
    else:
        messages.error(request, _("Choose what the person agrees to."))
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    """The person takes a consent back."""
    person = selectors.person_get(user=request.user, pk=pk)
    require(request.user, person.organisation, "manage_registry")
    try:
        consent = person.consents.get(pk=consent_pk)
    except Consent.DoesNotExist:
        raise Http404 from None
    try:
        services.consent_withdraw(actor=request.user, consent=consent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consent was withdrawn."))
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def owner_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a person to the enterprise as owner, partner or manager."""
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    require(request.user, enterprise.organisation, "manage_registry")
    form = OwnershipForm(request.POST)
    if form.is_valid():
        person = selectors.person_get(user=request.user, pk=form.cleaned_data["person"])
        try:
            services.ownership_add(
                actor=request.user, enterprise=enterprise, person=person, role=form.cleaned_data["role"], share=form.cleaned_data["share"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The person was linked to the enterprise."))
    else:
        messages.error(request, _("Choose a person from the search results and a role."))
    return redirect("enterprise_detail", pk=enterprise.pk)


@login_required
@require_POST
def owner_remove(request: HttpRequest, pk: int, ownership_pk: int) -> HttpResponse:
    """Unlink a person from the enterprise."""
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    require(request.user, enterprise.organisation, "manage_registry")
    try:
        ownership = enterprise.ownerships.get(pk=ownership_pk)
    except Ownership.DoesNotExist:
        raise Http404 from None
    services.ownership_remove(actor=request.user, ownership=ownership)
    messages.success(request, _("The link was removed."))
    return redirect("enterprise_detail", pk=enterprise.pk)


@login_required
def owner_search(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: people matching the typed name, to link to the enterprise."""
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    require(request.user, enterprise.organisation, "manage_registry")
    query = request.GET.get("q", "").strip()
    people = list(selectors.person_list(user=request.user, query=query)[:8]) if query else []
    return render(request, "registry/_owner_candidates.html", {"people": people, "enterprise": enterprise, "query": query})


def _merge(request, *, record, kind: str, list_selector, get_selector):
    """Choose a duplicate of `record` (by search), compare side by side, confirm, merge."""
    require(request.user, record.organisation, "manage_registry")
    query = request.GET.get("q", "").strip()
    other = None
    if other_pk := request.POST.get("other") or request.GET.get("other"):
        other = get_selector(user=request.user, pk=other_pk, action="manage_registry")
    form = MergeForm(request.POST or None, initial={"other": other.pk if other else None})
    if request.method == "POST" and other and form.is_valid():
        try:
            services.record_merge(actor=request.user, survivor=record, duplicate=other)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The records were merged."))
            return redirect(f"{kind}_detail", pk=record.pk)
    candidates = [c for c in list_selector(user=request.user, query=query)[:10] if c.pk != record.pk] if query and not other else []
    fields = [
        f for f in type(record)._meta.concrete_fields if f.editable and f.name not in {"id", "organisation", "merged_into", "search_text"}
    ]
    rows = [(f.verbose_name, _display(record, f), _display(other, f) if other else "") for f in fields]
    context = {"record": record, "other": other, "candidates": candidates, "query": query, "form": form, "rows": rows, "kind": kind}
    return render(request, "registry/merge.html", context)


def _display(record, field) -> str:
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    value = getattr(record, field.name)
    return "" if value in (None, "") else str(value)


@login_required
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Fold a duplicate person into this one."""
    person = selectors.person_get(user=request.user, pk=pk)
    return _merge(request, record=person, kind="person", list_selector=selectors.person_list, get_selector=selectors.person_get)


@login_required
def enterprise_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Fold a duplicate enterprise into this one."""
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    return _merge(
        request, record=enterprise, kind="enterprise", list_selector=selectors.enterprise_list, get_selector=selectors.enterprise_get
    )
