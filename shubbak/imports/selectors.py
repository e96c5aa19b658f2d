"""Reads of imports: an organisation's jobs, one job, the remembered mapping, and the preview of a file."""

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from shubbak.organisations.models import Organisation

from . import engine, readers
from .models import ColumnMapping, ImportJob

PREVIEW_ROWS = 20


def import_job_list(*, organisation: Organisation) -> QuerySet[ImportJob]:
    """The organisation's imports, newest first (the caller has checked access)."""
    return ImportJob.objects.filter(organisation=organisation).select_related("created_by").order_by("-id")


def import_job_get(*, user, organisation: Organisation, pk: int) -> ImportJob:
    """One import of the organisation that the user may run imports for; Http404 otherwise."""
    try:
        return (
            ImportJob.objects.for_user(user, "import_registry")
            .select_related("organisation__network", "created_by")
            .get(organisation=organisation, pk=pk)
        )
    except ImportJob.DoesNotExist:
        raise Http404 from None


def remembered_mapping(*, organisation: Organisation, kind: str) -> dict[str, str]:
    """Field → column header the organisation chose last time for this kind of import."""
    found = ColumnMapping.objects.filter(organisation=organisation, kind=kind).first()
    return found.mapping if found else {}


def stored_path(relative: str) -> Path:
    """An import's file under MEDIA_ROOT (refusing any path that would leave it)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root / "imports"):
        raise Http404
    return path


def import_context(job: ImportJob) -> engine.Context:
    return engine.Context.build(
        organisation=job.organisation, kind=job.kind, mapping=job.mapping, headers=job.headers, actor=job.created_by, job_id=job.pk
    )


def import_preview(*, job: ImportJob, rows: int = PREVIEW_ROWS) -> list[engine.RowResult]:
    """What the first rows would do (create, update, nothing, error) with the job's mapping; nothing is written."""
    with readers.data_rows(
        stored_path(job.file_path), file_format=job.file_format, encoding=job.encoding, delimiter=job.delimiter
    ) as records:
        chunk = list(islice(records, rows))
    return engine.plan_chunk(import_context(job), chunk).results


def error_rows(job: ImportJob) -> Iterator[list]:
    """(row, column, value, message) of every row the import skipped, read from its stored report."""
    if not job.error_report_path:
        return
    with open(stored_path(job.error_report_path), encoding="utf-8") as report:
        for line in report:
            yield json.loads(line)
