"""Pages of imports: upload, choose columns, preview, follow the progress, download the errors. Thin views."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shubbak.exports import dated_filename, xlsx_response
from shubbak.forms import add_service_errors
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import require
from shubbak.organisations.selectors import organisation_get

from . import readers, selectors, services
from .fields import TARGETS, guess_mapping
from .forms import MappingForm, UploadForm
from .models import ImportJob

PAGE_SIZE = 25


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation if the user may import into it: 404 for outsiders, 403 for members without the role."""
    organisation = organisation_get(user=request.user, slug=slug)
    require(request.user, organisation, "import_registry")
    return organisation


def _job(request: HttpRequest, slug: str, pk: int) -> ImportJob:
    organisation = _organisation(request, slug)
    return selectors.import_job_get(user=request.user, organisation=organisation, pk=pk)


@login_required
def import_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's past and running imports."""
    organisation = _organisation(request, slug)
    page = Paginator(selectors.import_job_list(organisation=organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/import_list.html", {"organisation": organisation, "page": page})


@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: upload an XLSX or CSV file."""
    organisation = _organisation(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind") or "people"})
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_upload(
                actor=request.user, organisation=organisation, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if job.encoding:
                messages.info(request, _("The file was read as {encoding}.").format(encoding=readers.describe_encoding(job.encoding)))
            return redirect("import_mapping", slug=organisation.slug, pk=job.pk)
    context = {"organisation": organisation, "form": form, "max_mb": services.max_upload_bytes() // 1048576, "step": 1}
    return render(request, "imports/import_upload.html", context)


@login_required
def import_mapping(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Step 2: which column holds which field (guessed from the headers, or as chosen last time)."""
    job = _job(request, slug, pk)
    if job.status not in {ImportJob.Status.UPLOADED, ImportJob.Status.MAPPED}:
        return redirect("import_detail", slug=slug, pk=job.pk)
    remembered = selectors.remembered_mapping(organisation=job.organisation, kind=job.kind)
    initial = job.mapping or guess_mapping(job.kind, job.headers, remembered)
    form = MappingForm(request.POST or None, job=job, initial_mapping=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_map(actor=request.user, job=job, mapping=form.mapping())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("import_preview", slug=slug, pk=job.pk)
    context = {
        "organisation": job.organisation,
        "job": job,
        "form": form,
        "encoding": readers.describe_encoding(job.encoding) if job.encoding else "",
        "remembered": bool(remembered),
        "step": 2,
    }
    return render(request, "imports/import_mapping.html", context)


@login_required
def import_preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Step 3: what the first rows would do; POST starts the import."""
    job = _job(request, slug, pk)
    if job.status == ImportJob.Status.UPLOADED:
        return redirect("import_mapping", slug=slug, pk=job.pk)
    if job.status != ImportJob.Status.MAPPED:
        return redirect("import_detail", slug=slug, pk=job.pk)
    if request.method == "POST":
        try:
            services.import_start(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("import_detail", slug=slug, pk=job.pk)
    target = TARGETS[job.kind]
    results = selectors.import_preview(job=job)
    context = {
        "organisation": job.organisation,
        "job": job,
        "results": results,
        "counts": Counter(r.action for r in results),
        "mapped": [(target.label(name), job.headers[column]) for name, column in sorted(job.mapping.items(), key=lambda i: i[1])],
        "step": 3,
    }
    return render(request, "imports/import_preview.html", context)


@login_required
def import_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Step 4: progress (HTMX polls the partial every second while the job runs), then the summary."""
    job = _job(request, slug, pk)
    context = {"organisation": job.organisation, "job": job, "step": 4}
    template = "imports/_progress.html" if request.htmx else "imports/import_detail.html"
    return render(request, template, context)


@login_required
def import_errors(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The rows an import skipped, with the column, the value and why, as an XLSX file."""
    job = _job(request, slug, pk)
    if not job.error_report_path:
        raise Http404
    columns = [("row", _("Row")), ("column", _("Column")), ("value", _("Value")), ("message", _("Problem"))]
    base = _("import-errors-{number}").format(number=job.pk)
    return xlsx_response(filename=dated_filename(base, "xlsx"), columns=columns, rows=selectors.error_rows(job))
