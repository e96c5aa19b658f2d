"""Pages of the service catalogue (browsed by every member, edited by network managers) and the working calendars."""

import datetime
from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shubbak.arabic import normalise
from shubbak.forms import add_service_errors
from shubbak.organisations import selectors as organisation_selectors
from shubbak.organisations.models import Network
from shubbak.organisations.permissions import access_for, require
from shubbak.templatetags.shubbak import hijri

from . import calendars, selectors, services
from .admin_forms import CalendarForm, CatalogueSearchForm, CategoryForm, HolidayForm, ServiceForm
from .models import Holiday, Service, ServiceCategory, WorkingCalendar


def _search_text(service: Service) -> str:
    parts = (
        service.name_ar,
        service.name_en,
        service.code,
        service.description_ar,
        service.description_en,
        service.required_documents,
        service.category.name_ar,
        service.category.name_en,
    )
    return normalise(" ".join(parts))


def _matches(service: Service, words: list[str]) -> bool:
    """Every word of the query appears in the service's texts, in any spelling (a catalogue holds tens of services)."""
    text = _search_text(service)
    return all(word in text for word in words)


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue of the user's networks by category, searchable in any spelling; managers add and edit."""
    access = access_for(request.user)
    networks = list(selectors.catalogue_networks(user=request.user))
    form = CatalogueSearchForm(request.GET or None, networks=networks)
    filters = form.cleaned_data if form.is_valid() else {}
    words = normalise(filters.get("q", "")).split()
    chosen = filters.get("network")
    if chosen is not None:
        networks = [n for n in networks if n.pk == chosen.pk]
    sections = {n.pk: {"network": n, "can_manage": access.is_network_manager(n.pk), "categories": {}} for n in networks}
    for category in selectors.categories(user=request.user).filter(network__in=networks):
        sections[category.network_id]["categories"][category.pk] = {"category": category, "services": []}
    shown = 0
    for service in selectors.catalogue(user=request.user).filter(network__in=networks):
        section = sections[service.network_id]
        if not section["can_manage"] and not service.is_active:
            continue  # retired services are kept for old cases; only the managers need to see them
        if words and not _matches(service, words):
            continue
        section["categories"][service.category_id]["services"].append(service)
        shown += 1
    for section in sections.values():
        keep = [c for c in section["categories"].values() if c["services"] or (section["can_manage"] and not words)]
        section["categories"] = keep
    context = {
        "form": form,
        "sections": list(sections.values()),
        "shown": shown,
        "searching": bool(words),
        "can_manage": any(s["can_manage"] for s in sections.values()),
        "several_networks": len(networks) > 1,
    }
    template = "helpdesk/catalogue_results.html" if request.htmx else "helpdesk/catalogue.html"
    return render(request, template, context)


def _managed_network(request: HttpRequest) -> Network:
    """The network a new service or category goes to: the one asked for (by slug), else the first the user manages.

    A network the user is not part of is a 404, as if it did not exist; one she is part of but does not manage, a 403.
    """
    slug = request.POST.get("network") or request.GET.get("network")
    if slug:
        network = get_object_or_404(selectors.catalogue_networks(user=request.user), slug=slug)
    else:
        network = organisation_selectors.network_list(user=request.user).order_by("name_ar").first()
    if network is None or not access_for(request.user).is_network_manager(network.pk):
        raise PermissionDenied
    return network


def _back_to_catalogue(anchor: str) -> str:
    return f"{reverse('service_catalogue')}#{anchor}"


@login_required
def service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a service to a network's catalogue, or change one: network managers only."""
    if pk is None:
        network = _managed_network(request)
        record, instance = None, Service(network=network)
    else:
        record = selectors.service_get(user=request.user, pk=pk)  # another network's service: 404
        network = record.network
        if not access_for(request.user).is_network_manager(network.pk):
            raise PermissionDenied
        instance = copy(record)
    form = ServiceForm(request.POST or None, instance=instance, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.service_save(actor=request.user, service=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back_to_catalogue(f"service-{saved.pk}"))
    context = {"form": form, "record": record, "network": network, "has_categories": form.fields["category"].queryset.exists()}
    return render(request, "helpdesk/service_form.html", context)


@login_required
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a category to a network's catalogue, or rename one: network managers only."""
    if pk is None:
        network = _managed_network(request)
        record, instance = None, ServiceCategory(network=network)
    else:
        record = selectors.category_get(user=request.user, pk=pk)
        network = record.network
        if not access_for(request.user).is_network_manager(network.pk):
            raise PermissionDenied
        instance = copy(record)
    form = CategoryForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.category_save(actor=request.user, category=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back_to_catalogue(f"category-{saved.pk}"))
    return render(request, "helpdesk/category_form.html", {"form": form, "record": record, "network": network})


def _fixed_holidays(country: str, years: list[int]) -> list[tuple[datetime.date, str]]:
    return sorted(calendars.fixed_holidays(country, years).items())


@login_required
def calendar_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's working calendar: rest days, the country's fixed holidays, its own added holidays."""
    organisation = organisation_selectors.organisation_get(user=request.user, slug=slug)  # outsiders: 404
    can_manage = access_for(request.user).can(organisation, "manage_calendar")
    row = WorkingCalendar.objects.filter(organisation=organisation).first() or WorkingCalendar(organisation=organisation)
    sent = request.POST.get("form") if request.method == "POST" else None
    if sent is not None and not can_manage:
        raise PermissionDenied
    calendar_form = CalendarForm(
        request.POST if sent == "calendar" else None, initial={"weekend": row.weekend, "national_holidays": row.national_holidays}
    )
    holiday_form = HolidayForm(request.POST if sent == "holiday" else None)
    if sent == "calendar" and calendar_form.is_valid():
        data = calendar_form.cleaned_data
        try:
            services.calendar_update(
                actor=request.user, organisation=organisation, weekend=data["weekend"], national_holidays=data["national_holidays"]
            )
        except ValidationError as exc:
            add_service_errors(calendar_form, exc)
        else:
            messages.success(request, _("The working calendar is saved."))
            return redirect("calendar_edit", slug=organisation.slug)
    if sent == "holiday" and holiday_form.is_valid():
        data = holiday_form.cleaned_data
        try:
            services.holiday_add(actor=request.user, organisation=organisation, date=data["date"], name=data["name"])
        except ValidationError as exc:
            add_service_errors(holiday_form, exc)
        else:
            messages.success(request, _("The holiday is added."))
            return redirect("calendar_edit", slug=organisation.slug)
    today = timezone.localdate()
    years = [today.year, today.year + 1]
    added = Holiday.objects.filter(organisation=organisation, date__gte=datetime.date(today.year, 1, 1))
    clock = services.calendar_for(organisation)
    context = {
        "organisation": organisation,
        "calendar": row,
        "can_manage": can_manage,
        "calendar_form": calendar_form,
        "holiday_form": holiday_form,
        "fixed_holidays": _fixed_holidays(organisation.country, years),
        "holidays": [(holiday, hijri(holiday.date)) for holiday in added],
        "years": years,
        "example_due": clock.add_working_days(timezone.now(), services.DEFAULT_FIRST_RESPONSE_DAYS),
        "example_days": services.DEFAULT_FIRST_RESPONSE_DAYS,
    }
    return render(request, "helpdesk/calendar.html", context)


@login_required
@require_POST
def holiday_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove one of the organisation's added holidays."""
    organisation = organisation_selectors.organisation_get(user=request.user, slug=slug)
    require(request.user, organisation, "manage_calendar")
    holiday = get_object_or_404(Holiday, organisation=organisation, pk=pk)
    services.holiday_remove(actor=request.user, holiday=holiday)
    messages.success(request, _("The holiday is removed."))
    return redirect("calendar_edit", slug=organisation.slug)
