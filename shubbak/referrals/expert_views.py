"""Pages of the expert roster, of expert assignments (the coordinator's side) and of the expert's own portal.

Every page reads through `expert_selectors` and writes through one `experts` service. An expert of another network,
an assignment of another organisation, another expert's assignment on the portal: 404, like a missing one. A write
the user's role does not allow: 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shubbak.context_processors import current_membership
from shubbak.forms import add_service_errors
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for
from shubbak.pagination import CappedPaginator

from . import expert_selectors as selectors
from . import experts as services
from .expert_forms import AssignmentForm, CloseForm, CVForm, ExpertFilterForm, ExpertForm, TimesheetForm, VettingForm
from .models import Assignment, Expert

PAGE_SIZE = 25


def _keeping_organisations(request: HttpRequest) -> list[Organisation]:
    """Organisations whose roster the user keeps, the current one first."""
    access = access_for(request.user)
    ids = access.organisation_ids("manage_experts")
    current = current_membership(request, access)
    return sorted(Organisation.objects.filter(pk__in=ids), key=lambda o: (current is None or o.pk != current.organisation_id, o.name_ar))


def _expert(request: HttpRequest, pk: int, manage: bool = False) -> Expert:
    """The expert if the user may browse her roster (else 404) and, with `manage`, keeps it (else 403)."""
    expert = selectors.expert_get(user=request.user, pk=pk)
    if manage and not services.can_manage(request.user, expert.organisation_id):
        raise PermissionDenied
    return expert


def _assignment(request: HttpRequest, pk: int, manage: bool = False) -> Assignment:
    """The assignment if the user sees its organisation's cases (else 404) and, with `manage`, approves them (else 403)."""
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    if manage and not services.can_manage(request.user, assignment.organisation_id):
        raise PermissionDenied
    return assignment


def _first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- the roster ------------------------------------------------------------------------------------------------


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    """The roster of the user's network: search in any spelling, filters; HTMX gets just the results."""
    if not selectors.roster_networks(request.user) and selectors.portal_expert(request.user):
        return redirect("expert_portal")  # an expert has her own page, not the roster
    form = ExpertFilterForm(request.GET or None, services=selectors.roster_services(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.expert_list(user=request.user, query=filters.get("q", ""), filters=filters)
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_add": bool(selectors.roster_organisations(request.user))}
    return render(request, "referrals/expert_results.html" if request.htmx else "referrals/expert_list.html", context)


@login_required
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An expert's record: what she knows, where, her rate, vetting, CV, and the assignments the user may open."""
    expert = _expert(request, pk)
    can_manage = services.can_manage(request.user, expert.organisation_id)
    context = {
        "expert": expert,
        "specialisations": expert.specialisations.all(),
        "languages": [services.LANGUAGES.get(code, code) for code in selectors.expert_languages(expert)],
        "assignments": selectors.expert_assignments(user=request.user, expert=expert)[:20],
        "can_manage": can_manage,
        "vetting_form": VettingForm(initial={"vetting": expert.vetting}),
        "cv_form": CVForm(),
    }
    return render(request, "referrals/expert_detail.html", context)


def _expert_form(request: HttpRequest, *, form: ExpertForm, save, expert: Expert | None) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = save(data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("expert_detail", pk=saved.pk)
    return render(request, "referrals/expert_form.html", {"form": form, "expert": expert})


@login_required
def expert_create(request: HttpRequest) -> HttpResponse:
    """Add an expert to a roster the user keeps."""
    organisations = _keeping_organisations(request)
    if not organisations:
        raise PermissionDenied
    form = ExpertForm(request.POST or None, organisations=organisations)

    def save(data):
        organisation = data.pop("organisation", None) or organisations[0]
        return services.expert_save(actor=request.user, organisation=organisation, data=data)

    return _expert_form(request, form=form, save=save, expert=None)


@login_required
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an expert's record (not her vetting, which has its own decision)."""
    expert = _expert(request, pk, manage=True)
    form = ExpertForm(request.POST or None, expert=expert)
    return _expert_form(
        request, form=form, save=lambda data: services.expert_save(actor=request.user, expert=expert, data=data), expert=expert
    )


@login_required
@require_POST
def expert_vet(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the vetting decision."""
    expert = _expert(request, pk, manage=True)
    form = VettingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a vetting decision from the list."))
        return redirect("expert_detail", pk=expert.pk)
    try:
        services.expert_vet(actor=request.user, expert=expert, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("The vetting decision was recorded."))
    return redirect("expert_detail", pk=expert.pk)


@login_required
@require_POST
def expert_cv_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the expert's CV (its type, size and content are checked)."""
    expert = _expert(request, pk, manage=True)
    form = CVForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the CV file to upload."))
        return redirect("expert_detail", pk=expert.pk)
    try:
        services.expert_cv_upload(actor=request.user, expert=expert, upload=form.cleaned_data["cv"])
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("The CV was saved."))
    return redirect("expert_detail", pk=expert.pk)


@login_required
@require_POST
def expert_cv_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove the expert's CV."""
    expert = _expert(request, pk, manage=True)
    services.expert_cv_remove(actor=request.user, expert=expert)
    messages.success(request, _("The CV was removed."))
    return redirect("expert_detail", pk=expert.pk)


@login_required
def expert_cv(request: HttpRequest, pk: int) -> FileResponse:
    """The CV, to the staff of the network who may browse the roster; never shown inline, never sniffed into another type."""
    expert = _expert(request, pk)
    if not expert.cv:
        raise Http404
    extension = "." + expert.cv.name.rsplit(".", 1)[-1].lower()
    content_type = services.CV_TYPES.get(extension, ("application/octet-stream",))[0]
    try:
        handle = expert.cv.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = _("CV - %(name)s") % {"name": expert.full_name} + extension
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def expert_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the expert an account so that she sees her assignments and records her days."""
    expert = _expert(request, pk, manage=True)
    try:
        user = services.expert_invite(actor=request.user, expert=expert)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("The expert can now log in with %(email)s.") % {"email": user.email})
    return redirect("expert_detail", pk=expert.pk)


# --- assignments: the coordinator's side ------------------------------------------------------------------------


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    """Assignments of the user's organisations, open first; the expert referrals still waiting for one."""
    status = request.GET.get("status", "")
    filters = {"status": status if status in Assignment.Status.values else "", "waiting": request.GET.get("waiting") == "1"}
    queryset = selectors.assignment_list(user=request.user, filters=filters)
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": Assignment.Status.choices,
        "to_assign": list(selectors.referrals_to_assign(user=request.user)[:10]),
    }
    return render(request, "referrals/assignment_list.html", context)


@login_required
def assignment_create(request: HttpRequest, referral_pk: int) -> HttpResponse:
    """Engage the expert of an expert referral: scope, expected days, fee, deliverables."""
    referral = selectors.referral_for_assignment(user=request.user, pk=referral_pk)
    if not services.can_manage(request.user, referral.from_organisation_id):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assignment was created."))
            return redirect("assignment_detail", pk=assignment.pk)
    return render(request, "referrals/assignment_form.html", {"form": form, "referral": referral, "assignment": None})


@login_required
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an open assignment's scope, days, fee or deliverables."""
    assignment = _assignment(request, pk, manage=True)
    form = AssignmentForm(request.POST or None, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(actor=request.user, assignment=assignment, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("assignment_detail", pk=assignment.pk)
    context = {"form": form, "referral": assignment.referral, "assignment": assignment}
    return render(request, "referrals/assignment_form.html", context)


def _assignment_page(request: HttpRequest, assignment: Assignment, **forms) -> HttpResponse:
    can_manage = services.can_manage(request.user, assignment.organisation_id)
    context = {
        "assignment": assignment,
        "timesheets": selectors.timesheet_rows(assignment),
        "can_manage": can_manage and not services.is_the_expert(request.user, assignment.expert),
        "timesheet_form": forms.get("timesheet_form") or TimesheetForm(deliverables=_deliverables(assignment)),
        "close_form": forms.get("close_form") or CloseForm(),
        "over_expected": forms.get("over_expected", False),
        "open_form": forms.get("open_form", ""),
    }
    return render(request, "referrals/assignment_detail.html", context)


def _deliverables(assignment: Assignment) -> list[str]:
    return [line.strip() for line in assignment.deliverables.splitlines() if line.strip()]


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assignment: scope, days, fee, deliverables, timesheets with their approval, the rating at the close."""
    return _assignment_page(request, _assignment(request, pk))


def _add_timesheet(request: HttpRequest, assignment: Assignment):
    """Parse and record a timesheet; returns None when saved, else the form (with `over` when the days pass the expected)."""
    form = TimesheetForm(request.POST, deliverables=_deliverables(assignment))
    over = False
    if form.is_valid():
        try:
            services.timesheet_add(actor=request.user, assignment=assignment, **form.cleaned_data)
        except services.DaysOverExpected as exc:
            add_service_errors(form, exc)
            over = True
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The day was recorded."))
            return None, False
    return form, over


@login_required
@require_POST
def assignment_timesheet_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator records a day on behalf of an expert (one without an account)."""
    assignment = _assignment(request, pk, manage=True)
    form, over = _add_timesheet(request, assignment)
    if form is None:
        return redirect("assignment_detail", pk=assignment.pk)
    return _assignment_page(request, assignment, timesheet_form=form, over_expected=over, open_form="timesheet")


@login_required
@require_POST
def timesheets_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve one timesheet (`timesheet` posted) or all those waiting."""
    assignment = _assignment(request, pk, manage=True)
    chosen = None
    if request.POST.get("timesheet"):
        chosen = list(assignment.timesheets.filter(pk=request.POST["timesheet"]))
        if not chosen:
            raise Http404
    try:
        count = services.timesheets_approve(actor=request.user, assignment=assignment, timesheets=chosen)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(
            request, ngettext("%(count)d timesheet was approved.", "%(count)d timesheets were approved.", count) % {"count": count}
        )
    return redirect("assignment_detail", pk=assignment.pk)


@login_required
@require_POST
def assignment_timesheet_remove(request: HttpRequest, pk: int, timesheet_pk: int) -> HttpResponse:
    """Take back a day recorded by mistake, while it is not approved."""
    assignment = _assignment(request, pk, manage=True)
    return _remove(request, assignment, timesheet_pk, "assignment_detail")


def _remove(request: HttpRequest, assignment: Assignment, timesheet_pk: int, back: str) -> HttpResponse:
    timesheet = assignment.timesheets.filter(pk=timesheet_pk).first()
    if timesheet is None:
        raise Http404
    try:
        services.timesheet_remove(actor=request.user, timesheet=timesheet)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("The day was removed."))
    return redirect(back, pk=assignment.pk)


@login_required
@require_POST
def assignment_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the assignment with a rating of the expert's work."""
    assignment = _assignment(request, pk, manage=True)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_close(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assignment was closed."))
            return redirect("assignment_detail", pk=assignment.pk)
    return _assignment_page(request, assignment, close_form=form, open_form="close")


# --- the expert's portal ---------------------------------------------------------------------------------------


def _portal_expert(request: HttpRequest) -> Expert:
    expert = selectors.portal_expert(request.user)
    if expert is None:
        raise Http404
    return expert


@login_required
def expert_portal(request: HttpRequest) -> HttpResponse:
    """The expert's own page: her assignments only, open first, with the days recorded and approved."""
    expert = _portal_expert(request)
    page = CappedPaginator(selectors.portal_assignments(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/expert_portal.html", {"expert": expert, "page": page})


def _portal_page(request: HttpRequest, assignment: Assignment, form: TimesheetForm | None = None, over: bool = False):
    context = {
        "assignment": assignment,
        "shared": selectors.shared_rows(assignment.referral),
        "timesheets": selectors.timesheet_rows(assignment),
        "timesheet_form": form or TimesheetForm(deliverables=_deliverables(assignment)),
        "over_expected": over,
        "open_form": "timesheet" if form is not None else "",
    }
    return render(request, "referrals/expert_portal_assignment.html", context)


@login_required
def portal_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """One of her assignments: scope, deliverables, what the referral shared about the client, her timesheets."""
    return _portal_page(request, selectors.portal_assignment_get(user=request.user, pk=pk))


@login_required
@require_POST
def portal_timesheet_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert records a day she worked."""
    assignment = selectors.portal_assignment_get(user=request.user, pk=pk)
    form, over = _add_timesheet(request, assignment)
    if form is None:
        return redirect("portal_assignment", pk=assignment.pk)
    return _portal_page(request, assignment, form, over)


@login_required
@require_POST
def portal_timesheet_remove(request: HttpRequest, pk: int, timesheet_pk: int) -> HttpResponse:
    """The expert takes back a day recorded by mistake, while it is not approved."""
    assignment = selectors.portal_assignment_get(user=request.user, pk=pk)
    return _remove(request, assignment, timesheet_pk, "portal_assignment")
