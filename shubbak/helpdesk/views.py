"""Staff pages of the helpdesk: the queue, a case taken at the desk, the case page with its work, the desk dashboard.

Every page reads through `selectors` and writes through one `services` function. A case of another organisation is
a 404 (like a missing one); a write the user's role does not allow is a 403.
"""

import datetime
from copy import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shubbak.context_processors import current_membership
from shubbak.forms import add_service_errors
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for, require
from shubbak.pagination import CappedPaginator, capped_count
from shubbak.referrals import selectors as referral_selectors
from shubbak.registry import selectors as registry

from . import selectors, services
from .admin_views import calendar_edit, catalogue, category_edit, holiday_remove, service_edit  # noqa: F401  (urls.py names them here)
from .forms import (
    CASE_WORKER_ROLES,
    AssignForm,
    AttachmentForm,
    CaseEditForm,
    CaseForm,
    FollowUpDoneForm,
    LinkForm,
    OutcomeForm,
    QueueFilterForm,
    ReassignForm,
    SessionForm,
    TextForm,
    case_workers,
)
from .models import Case, CaseEvent, CaseService, FollowUp, Service, Session

PAGE_SIZE = 25
TIMELINE_PAGE = 50
COUNT_CAP = 99  # the queue's tab counts stop here ("99+"): a count is only a hint, and must stay cheap at a million cases
HOME_ROWS = 8
Status = Case.Status
Kind = CaseEvent.Kind


def _organisations(request: HttpRequest, action: str) -> list[Organisation]:
    """Organisations where the user may do `action`, the current one first."""
    access = access_for(request.user)
    ids = access.organisation_ids(action)
    current = current_membership(request, access)
    return sorted(Organisation.objects.filter(pk__in=ids), key=lambda o: (current is None or o.pk != current.organisation_id, o.name_ar))


def _case(request: HttpRequest, pk: int, action: str | None = None) -> Case:
    """The case if the user may see it (else 404) and, with `action`, may do it (else 403)."""
    case = selectors.case_get(user=request.user, pk=pk)
    if action:
        require(request.user, case.organisation, action)
    return case


def _back(request: HttpRequest, default: str) -> str:
    """Where a form posted from several pages returns to: its `next` when it is ours, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- the queue -------------------------------------------------------------------------------------------------


@dataclass
class Due:
    """How a case stands against its resolution date, in words (never colour alone)."""

    state: str  # "overdue", "soon", "paused", "" (on time, or no clock)
    label: str


def _due(case: Case, now) -> Due:
    if not case.is_open or case.resolution_due is None:
        return Due("", "")
    if case.status == Status.WAITING:
        return Due("paused", _("Clock paused"))
    if case.resolution_due <= now:
        return Due("overdue", _("Overdue"))
    if case.resolution_due <= now + selectors.DUE_SOON:
        return Due("soon", _("Due soon"))
    return Due("", "")


def _with_services(queryset):
    return queryset.prefetch_related(Prefetch("services", queryset=CaseService.objects.select_related("service")))


def _capped_count(queryset) -> str:
    count = capped_count(queryset, COUNT_CAP)
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


def _tab_counts(user, filters: dict) -> dict[str, str]:
    """New, mine and overdue: three LIMITed counts on indexed columns (the other views have none, on purpose)."""
    scope = {"organisation": filters["organisation"]} if filters.get("organisation") else {}
    return {view: _capped_count(selectors.case_list(user=user, view=view, filters=scope)) for view in ("new", "mine", "overdue")}


VIEW_LABELS = {  # lazy: translated when the page is drawn
    "open": gettext_lazy("Open"),
    "new": gettext_lazy("New"),
    "mine": gettext_lazy("Mine"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "waiting": gettext_lazy("Waiting"),
    "resolved": gettext_lazy("Resolved"),
    "closed": gettext_lazy("Closed"),
    "all": gettext_lazy("All"),
}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The desk's queue: views (new, mine, overdue …), filters, 25 rows a page; HTMX gets the results only."""
    access = access_for(request.user)
    organisations = _organisations(request, "view_cases")
    if not organisations:
        raise PermissionDenied
    view = request.GET.get("view") or "open"
    if view not in selectors.VIEWS:
        view = "open"
    now = timezone.now()
    if request.htmx and request.GET.get("block") == "home":  # the "my queue" block of the home page
        rows = list(_with_services(selectors.case_list(user=request.user, view="mine", now=now))[:HOME_ROWS])
        for case in rows:
            case.due = _due(case, now)
        return render(request, "helpdesk/_my_queue.html", {"rows": rows})
    coordinated = [o for o in organisations if access.can(o, "coordinate_cases")]
    officers = case_workers([o.pk for o in organisations])
    form = QueueFilterForm(
        request.GET or None,
        organisations=organisations,
        officers=officers,
        services=Service.objects.filter(network__in={o.network_id for o in organisations}, is_active=True),
    )
    filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")} if form.is_valid() else {}
    filters.pop("view", None)
    cases = _with_services(selectors.case_list(user=request.user, view=view, filters=filters, now=now))
    page = CappedPaginator(cases, PAGE_SIZE, ids_first=view in selectors.BY_DUE_DATE).get_page(request.GET.get("page"))
    for case in page:
        case.due = _due(case, now)
    context = {
        "form": form,
        "page": page,
        "view": view,
        "can_reassign": bool(coordinated),
        "reassign_form": ReassignForm(officers=officers if len(coordinated) == len(organisations) else case_workers(coordinated))
        if coordinated
        else None,
        "can_create": bool(access.organisation_ids("work_cases")),
        "show_org": len(organisations) > 1,
    }
    counts = _tab_counts(request.user, filters)
    query = request.GET.copy()
    for name in ("page", "view", "block"):
        query.pop(name, None)
    tabs = []
    for name in selectors.VIEWS:
        query["view"] = name
        tabs.append({"name": name, "label": VIEW_LABELS[name], "count": counts.get(name), "url": "?" + query.urlencode()})
    context["tabs"] = tabs
    if request.htmx:  # the results, and the tabs (out of band) so that they keep the new filters
        return render(request, "helpdesk/_queue_results.html", context | {"tabs_oob": True})
    context["follow_ups"] = list(selectors.follow_ups_due(user=request.user)[:10])
    return render(request, "helpdesk/queue.html", context)


@login_required
@require_POST
def cases_reassign(request: HttpRequest) -> HttpResponse:
    """A coordinator gives the selected cases of the queue to one officer."""
    back = _back(request, reverse("case_queue"))
    posted = [int(v) for v in request.POST.getlist("cases") if v.isdigit()][:200]
    cases = list(Case.objects.for_user(request.user, "view_cases").filter(pk__in=posted).select_related("organisation"))
    if posted and not cases:
        raise Http404
    by_organisation: dict[int, list[Case]] = {}
    for case in cases:
        by_organisation.setdefault(case.organisation_id, []).append(case)
    for cases_of_one in by_organisation.values():
        require(request.user, cases_of_one[0].organisation, "coordinate_cases")
    officers = case_workers(list(by_organisation))
    form = ReassignForm(request.POST, officers=officers)
    if not form.is_valid():
        messages.error(request, _("Select the cases and the officer to give them to."))
        return redirect(back)
    assignee = next(u for u in officers if u.pk == form.cleaned_data["assignee"])
    moved = 0
    try:
        for cases_of_one in by_organisation.values():
            moved += services.cases_reassign(
                actor=request.user, organisation=cases_of_one[0].organisation, cases=cases_of_one, assignee=assignee
            )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, ngettext("%(count)d case was given to %(name)s.", "%(count)d cases were given to %(name)s.", moved) % {
                "count": moved, "name": assignee.full_name
            }
        )  # fmt: skip
    return redirect(back)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what the client told us on a follow-up call."""
    follow_up = FollowUp.objects.for_user(request.user, "view_cases").select_related("organisation", "case").filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    require(request.user, follow_up.organisation, "work_cases")
    form = FollowUpDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what you learnt from the client."))
    else:
        try:
            services.follow_up_done(actor=request.user, follow_up=follow_up, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The follow-up was recorded."))
    return redirect(_back(request, reverse("case_detail", args=[follow_up.case_id])))


# --- intake at the desk --------------------------------------------------------------------------------------


def _candidates(request: HttpRequest, organisation: Organisation | None, query: str) -> dict:
    """People and enterprises of the organisation matching what was typed (8 of each)."""
    if not query or organisation is None:
        return {"people": [], "enterprises": [], "query": query}
    scope = {"organisation": organisation}
    return {
        "people": list(registry.person_list(user=request.user, query=query, filters=scope)[:8]),
        "enterprises": list(registry.enterprise_list(user=request.user, query=query, filters=scope)[:8]),
        "query": query,
    }


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """A request taken at the desk, on the phone or on a field visit; HTMX asks here for registry matches (?q=)."""
    organisations = _organisations(request, "work_cases")
    if not organisations:
        raise PermissionDenied
    if request.htmx and "q" in request.GET:
        chosen = next((o for o in organisations if str(o.pk) == request.GET.get("organisation")), organisations[0])
        context = _candidates(request, chosen, request.GET["q"].strip())
        return render(request, "helpdesk/_registry_candidates.html", context | {"choose": True})
    networks = {o.network_id for o in organisations}
    form = CaseForm(
        request.POST or None,
        instance=Case(),
        user=request.user,
        organisations=organisations,
        services=Service.objects.filter(network__in=networks, is_active=True)
        .select_related("category")
        .order_by("category__position", "category_id", "position", "name_ar"),
        initial={"channel": Case.Channel.WALK_IN},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        chosen_services = list(data.pop("services"))
        try:
            case = services.case_create(actor=request.user, organisation=organisation, data=data, services=chosen_services)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request was recorded. Its tracking code is %(code)s.") % {"code": case.tracking_code})
            return redirect("case_detail", pk=case.pk)
    # after an error, the registry records chosen before are offered again, still chosen
    cleaned = getattr(form, "cleaned_data", {})
    person, enterprise = cleaned.get("person"), cleaned.get("enterprise")
    kept = {
        "people": [person] if person else [],
        "enterprises": [enterprise] if enterprise else [],
        "person": person.pk if person else None,
        "enterprise": enterprise.pk if enterprise else None,
    }
    return render(request, "helpdesk/case_form.html", {"form": form, "kept": kept})


# --- the case page ---------------------------------------------------------------------------------------------


def _span(seconds: int) -> str:
    """Working time in words: «2 working days and 3 hours»."""
    days, hours = seconds // 86400, (seconds % 86400) // 3600
    if days and hours:
        return (
            ngettext("%(days)d working day", "%(days)d working days", days) % {"days": days}
            + " "
            + ngettext("and %(hours)d hour", "and %(hours)d hours", hours) % {"hours": hours}
        )
    if days:
        return ngettext("%(days)d working day", "%(days)d working days", days) % {"days": days}
    if hours:
        return ngettext("%(hours)d working hour", "%(hours)d working hours", hours) % {"hours": hours}
    return _("less than an hour")


def _duration(minutes: int) -> str:
    """«3 h 20 min»."""
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


@dataclass
class Clock:
    """One service-level clock of a case, as the officer reads it."""

    label: str
    due: datetime.datetime | None
    state: str  # met, late, running, soon, overdue, paused, none
    text: str


def _clock(label: str, due, done, case: Case, calendar, now) -> Clock:
    if due is None:
        return Clock(label, None, "none", _("No target"))
    if done is not None:
        if done <= due:
            return Clock(label, due, "met", _("Met on time"))
        return Clock(label, due, "late", _("Met %(late)s late") % {"late": _span(calendar.working_seconds(due, done))})
    if not case.is_open:
        return Clock(label, due, "none", _("Stopped"))
    if case.status == Status.WAITING and case.paused_at:
        left = calendar.working_seconds(case.paused_at, due)
        return Clock(label, due, "paused", _("Clock paused while waiting for the client: %(left)s left") % {"left": _span(left)})
    if due <= now:
        return Clock(label, due, "overdue", _("Overdue by %(late)s") % {"late": _span(calendar.working_seconds(due, now))})
    left = calendar.working_seconds(now, due)
    return Clock(label, due, "soon" if due <= now + selectors.DUE_SOON else "running", _("%(left)s left") % {"left": _span(left)})


def _clocks(case: Case) -> list[Clock]:
    calendar = services.calendar_for(case.organisation)
    now = timezone.now()
    return [
        _clock(_("First response"), case.first_response_due, case.first_response_at, case, calendar, now),
        _clock(_("Resolution"), case.resolution_due, case.resolved_at, case, calendar, now),
    ]


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _describe(event: CaseEvent, service_names: dict[int, str]) -> str:
    """One line saying what a timeline entry was (its text, if any, is shown under it)."""
    if (line := referral_selectors.describe_event(event)) is not None:  # a referral sent, answered or closed
        return line
    data = event.data or {}
    if event.kind == Kind.CREATED:
        return _("Request received (%(channel)s)") % {"channel": _label(Case.Channel, data.get("channel"))}
    if event.kind == Kind.STATUS:
        return _("Moved from «%(before)s» to «%(after)s»") % {
            "before": _label(Case.Status, data.get("before")),
            "after": _label(Case.Status, data.get("after")),
        }
    if event.kind == Kind.ASSIGNED:
        if data.get("previous"):
            return _("Reassigned from %(previous)s to %(name)s") % {"previous": data["previous"], "name": data.get("assignee", "")}
        return _("Assigned to %(name)s") % {"name": data.get("assignee", "")}
    if event.kind == Kind.PRIORITY:
        return _("Priority changed from «%(before)s» to «%(after)s»") % {
            "before": _label(Case.Priority, data.get("before")),
            "after": _label(Case.Priority, data.get("after")),
        }
    if event.kind == Kind.SERVICE:
        parts = []
        if data.get("added"):
            parts.append(_("added: %(names)s") % {"names": "، ".join(service_names.get(pk, "?") for pk in data["added"])})
        if data.get("removed"):
            parts.append(_("removed: %(names)s") % {"names": "، ".join(service_names.get(pk, "?") for pk in data["removed"])})
        return _("Services changed") + (" — " + "؛ ".join(parts) if parts else "")
    if event.kind == Kind.SESSION:
        return _("Advisory session, %(minutes)s minutes (%(mode)s)") % {
            "minutes": data.get("minutes", "?"),
            "mode": _label(Session.Mode, data.get("mode")),
        }
    if event.kind == Kind.OUTCOME:
        return _("Outcome: %(outcome)s") % {"outcome": _label(Case.Outcome, data.get("outcome"))}
    if event.kind == Kind.RATED:
        return _("The client rated the service %(rating)s out of 5") % {"rating": data.get("rating", "?")}
    return event.get_kind_display()


def _timeline(case: Case, service_names: dict[int, str], offset: int = 0) -> tuple[list[CaseEvent], int | None]:
    """A page of the timeline, each entry described; and the offset of the next page, if there is one."""
    entries = selectors.timeline(case, limit=TIMELINE_PAGE + 1, offset=offset)
    more = len(entries) > TIMELINE_PAGE
    entries = entries[:TIMELINE_PAGE]
    for event in entries:
        event.summary = _describe(event, service_names)
    return entries, (offset + TIMELINE_PAGE if more else None)


def _detail(request: HttpRequest, case: Case, open_form: str = "", **bound) -> HttpResponse:
    """The case page; `bound` holds a form that failed, shown again with what was typed and its errors."""
    access = access_for(request.user)
    can_work = access.can(case.organisation, "work_cases")
    can_coordinate = access.can(case.organisation, "coordinate_cases")
    service_names = {s.pk: s.name for s in Service.objects.filter(network_id=case.organisation.network_id)}
    requested = list(case.services.select_related("service"))
    sessions = list(case.sessions.select_related("staff", "service"))
    entries, more = _timeline(case, service_names)
    attachments = {a.pk: a for a in case.attachments.select_related("uploaded_by")}
    allowed = services.allowed_actions(case) if can_work else []
    context = {
        "case": case,
        "clocks": _clocks(case),
        "requested": requested,
        "sessions": sessions,
        "total_time": _duration(sum(s.minutes for s in sessions)),
        "entries": entries,
        "more": more,
        "attachments": list(attachments.values()),
        "attachment_ids": set(attachments),
        "follow_ups": list(case.follow_ups.select_related("assigned_to")),
        "can_work": can_work,
        "can_coordinate": can_coordinate,
        "can_take": any(
            m.organisation_id == case.organisation_id and m.role in CASE_WORKER_ROLES and m.is_active for m in access.memberships
        ),
        "allowed": allowed,
        "today": timezone.localdate(),
        "open_form": open_form,
    }
    if can_work:
        context.update(
            assign_form=AssignForm(officers=case_workers([case.organisation_id])) if can_coordinate else None,
            note_form=TextForm(label=_("Internal note"), auto_id="note-%s"),
            message_form=TextForm(label=_("Message to the client"), auto_id="message-%s"),
            session_form=SessionForm(instance=Session(), services=[cs.service for cs in requested]),
            attachment_form=AttachmentForm(),
            outcome_form=OutcomeForm(instance=Case(outcome=""), auto_id="outcome-%s"),
            close_form=TextForm(label=_("Note (optional)"), required=False, auto_id="close-%s"),
            reopen_form=TextForm(label=_("Why is it reopened?"), auto_id="reopen-%s"),
        )
        context.update(bound)
    return render(request, "helpdesk/case_detail.html", context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about a case: its clocks, client, services, the work done and the forms to do more."""
    return _detail(request, _case(request, pk))


@login_required
def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX "show more": the next page of the timeline (?offset=50, 100 …)."""
    case = _case(request, pk)
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    service_names = {s.pk: s.name for s in Service.objects.filter(network_id=case.organisation.network_id)}
    entries, more = _timeline(case, service_names, offset)
    attachment_ids = set(case.attachments.values_list("pk", flat=True))
    return render(request, "helpdesk/_timeline.html", {"case": case, "entries": entries, "more": more, "attachment_ids": attachment_ids})


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the subject, the request text, the priority and the requested services."""
    case = _case(request, pk, "work_cases")
    current = list(case.services.values_list("service_id", flat=True))
    offered = Service.objects.filter(Q(is_active=True) | Q(pk__in=current), network_id=case.organisation.network_id)
    offered = offered.select_related("category").order_by("category__position", "category_id", "position", "name_ar")
    form = CaseEditForm(request.POST or None, instance=copy(case), services=offered, initial={"services": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=request.user,
                case=case,
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                priority=form.cleaned_data["priority"],
                services=list(form.cleaned_data["services"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("case_detail", pk=case.pk)
    return render(request, "helpdesk/case_edit.html", {"case": case, "form": form})


@login_required
def case_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the case to a person and an enterprise of the registry (GET ?q= lists matches; POST links)."""
    case = _case(request, pk, "work_cases")
    if request.method == "POST":
        form = LinkForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors()) or _("Choose a record from the search results."))
            return redirect("case_link", pk=case.pk)
        person = registry.person_get(user=request.user, pk=form.cleaned_data["person"]) if form.cleaned_data["person"] else None
        enterprise = (
            registry.enterprise_get(user=request.user, pk=form.cleaned_data["enterprise"]) if form.cleaned_data["enterprise"] else None
        )
        try:
            services.case_link(actor=request.user, case=case, person=person, enterprise=enterprise)
        except ValidationError as exc:
            _error(request, exc)
            return redirect("case_link", pk=case.pk)
        messages.success(request, _("The case was linked to the registry."))
        return redirect("case_detail", pk=case.pk)
    query = request.GET.get("q", case.contact_name).strip()  # the name the client gave is the first search
    context = {"case": case} | _candidates(request, case.organisation, query)
    if request.htmx:
        return render(request, "helpdesk/_registry_candidates.html", context)
    return render(request, "helpdesk/case_link.html", context)


@login_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the case to an officer (coordinators), or take it yourself (officers)."""
    case = _case(request, pk, "work_cases")
    officers = case_workers([case.organisation_id])
    form = AssignForm(request.POST, officers=officers)
    if not form.is_valid():
        messages.error(request, _("Choose an officer of this organisation who works on cases."))
        return redirect("case_detail", pk=case.pk)
    assignee = next(u for u in officers if u.pk == form.cleaned_data["assignee"])
    try:
        services.case_assign(actor=request.user, case=case, assignee=assignee)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if assignee == request.user:
            messages.success(request, _("The case is yours."))
        else:
            messages.success(request, _("The case was given to %(name)s.") % {"name": assignee.full_name})
    return redirect("case_detail", pk=case.pk)


MOVES = {"triage", "start", "wait", "resume"}


@login_required
@require_POST
def case_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Triage, start work, wait for the client (the clocks stop) or resume."""
    if action not in MOVES:
        raise Http404
    case = _case(request, pk, "work_cases")
    try:
        if action == "triage":
            services.case_triage(actor=request.user, case=case)
        else:
            services.case_transition(actor=request.user, case=case, action=action, text=request.POST.get("text", "").strip()[:4000])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The case is now «%(status)s».") % {"status": _label(Case.Status, services.TRANSITIONS[action][1])})
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Record how the request ended, and its results."""
    case = _case(request, pk, "work_cases")
    form = OutcomeForm(request.POST, instance=Case(outcome=""), auto_id="outcome-%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        text = data.pop("text", "")
        try:
            services.case_resolve(actor=request.user, case=case, outcome=data, text=text)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case is resolved."))
            return redirect("case_detail", pk=case.pk)
    return _detail(request, case, open_form="resolve", outcome_form=form)


def _text_step(request: HttpRequest, pk: int, *, step, form_name: str, label: str, required: bool, done: str) -> HttpResponse:
    """A step that takes a text: close, reopen, a note, a message."""
    case = _case(request, pk, "work_cases")
    form = TextForm(request.POST, label=label, required=required, auto_id=f"{form_name}-%s")
    if form.is_valid():
        try:
            step(case, form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("case_detail", pk=case.pk)
    return _detail(request, case, open_form=form_name, **{f"{form_name}_form": form})


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a resolved case: the client is asked to rate the service, and follow-ups are planned."""
    return _text_step(
        request,
        pk,
        step=lambda case, text: services.case_close(actor=request.user, case=case, text=text),
        form_name="close",
        label=_("Note (optional)"),
        required=False,
        done=_("The case is closed."),
    )


@login_required
@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a resolved or closed case again, with the reason."""
    return _text_step(
        request,
        pk,
        step=lambda case, text: services.case_reopen(actor=request.user, case=case, text=text),
        form_name="reopen",
        label=_("Why is it reopened?"),
        required=True,
        done=_("The case is open again."),
    )


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An internal note: staff only, never shown to the client."""
    return _text_step(
        request,
        pk,
        step=lambda case, text: services.note_add(actor=request.user, case=case, text=text),
        form_name="note",
        label=_("Internal note"),
        required=True,
        done=_("The note was added."),
    )


@login_required
@require_POST
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    """A message the client reads on the status page (and by e-mail when we have her address)."""
    return _text_step(
        request,
        pk,
        step=lambda case, text: services.message_send(actor=request.user, case=case, text=text),
        form_name="message",
        label=_("Message to the client"),
        required=True,
        done=_("The message was sent to the client."),
    )


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an advisory session."""
    case = _case(request, pk, "work_cases")
    requested = [cs.service for cs in case.services.select_related("service")]
    form = SessionForm(request.POST, instance=Session(staff=request.user), services=requested)
    if form.is_valid():
        try:
            services.session_add(actor=request.user, case=case, session=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was recorded."))
            return redirect("case_detail", pk=case.pk)
    return _detail(request, case, open_form="session", session_form=form)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file (its type, size and content are checked)."""
    case = _case(request, pk, "work_cases")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, case=case, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("case_detail", pk=case.pk)
    return _detail(request, case, open_form="attachment", attachment_form=form)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The file, to those who may see the case; never shown inline, never sniffed into another type."""
    case = _case(request, pk)
    attachment = case.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the desk dashboard ----------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts, service-level compliance this month, workload and hours, for those who coordinate a desk.

    Officers and read-only viewers get 403: an officer's own numbers are in her queue ("mine", "overdue").
    """
    access = access_for(request.user)
    organisations = _organisations(request, "coordinate_cases")
    chosen = request.GET.get("organisation", "")
    if chosen and chosen != "all":
        organisation = Organisation.objects.filter(pk=chosen if chosen.isdigit() else 0).first()
        if organisation is None:
            raise Http404
        require(request.user, organisation, "coordinate_cases")
        ids, chosen_organisation = [organisation.pk], organisation
    elif not organisations:
        if access.organisation_ids("view"):
            raise PermissionDenied
        raise Http404
    elif chosen == "all":
        ids, chosen_organisation = [o.pk for o in organisations], None
    else:
        ids, chosen_organisation = [organisations[0].pk], organisations[0]
    now = timezone.now()
    start = selectors.month_start(now)
    numbers = selectors.dashboard(organisation_ids=ids, now=now)
    hours = selectors.hours(organisation_ids=ids, since=start.date())
    english = (get_language() or "ar").startswith("en")
    for row in hours["staff"] + hours["service"]:
        row["time"] = _duration(row["minutes"] or 0)
    for row in hours["service"]:
        row["name"] = (english and row["service__name_en"]) or row["service__name_ar"]
    context = {
        "organisations": organisations,
        "organisation": chosen_organisation,
        "numbers": numbers,
        "statuses": [(status, label, numbers.by_status[status]) for status, label in Status.choices],
        "workload": selectors.workload(organisation_ids=ids, now=now),
        "hours": hours,
        "month": start,
        "queue_org": f"&organisation={chosen_organisation.pk}" if chosen_organisation and len(organisations) > 1 else "",
    }
    return render(request, "helpdesk/dashboard.html", context)
