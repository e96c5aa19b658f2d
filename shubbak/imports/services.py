"""Writes of imports: store an upload, choose its columns, start it, and run it (the job calls `import_file`)."""

import json
import logging
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shubbak.audit.services import audited_create, audited_update
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for

from . import engine, pipeline, readers
from .fields import TARGETS
from .models import ColumnMapping, ImportJob, Kind
from .selectors import import_context, stored_path

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CHUNK_ROWS = 2000  # rows per transaction: big enough for bulk writes and few commits, small enough to keep memory flat
READ_APART_MIN_ROWS = 2 * CHUNK_ROWS  # (estimated) rows from which the file is read in a reader process
ERRORS_KEPT = 100  # the first errors, shown on the page; all of them are in the report
FORMATS = {".xlsx": ImportJob.Format.XLSX, ".csv": ImportJob.Format.CSV}


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def _require(actor, organisation: Organisation) -> None:
    if actor is not None and not access_for(actor).can(organisation, "import_registry"):
        raise PermissionDenied


def _store(upload: UploadedFile, organisation: Organisation, extension: str) -> str:
    relative = Path("imports") / str(organisation.pk) / f"{uuid.uuid4().hex}{extension}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        for piece in upload.chunks():
            out.write(piece)
    return str(relative)


@transaction.atomic
def import_upload(*, actor, organisation: Organisation, kind: str, upload: UploadedFile) -> ImportJob:
    """Keep an uploaded XLSX or CSV (checked: size first, then type, encoding and header) as a new import."""
    _require(actor, organisation)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what the file contains.")})
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            {"file": _("The file is {size} MB; the largest we accept is {limit} MB. Split it into smaller files.").format(
                size=round(upload.size / 1048576, 1), limit=round(limit / 1048576, 1),
            )}
        )  # fmt: skip
    extension = Path(upload.name or "").suffix.lower()
    if extension == ".xls":
        raise ValidationError({"file": _("Old Excel files (.xls) cannot be read. Open it in Excel and save it as .xlsx.")})
    if extension not in FORMATS:
        raise ValidationError({"file": _("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")})
    relative = _store(upload, organisation, extension)
    try:
        found = readers.inspect(stored_path(relative), FORMATS[extension])
    except ValidationError as exc:
        stored_path(relative).unlink(missing_ok=True)
        raise ValidationError({"file": exc.messages}) from None
    job = ImportJob(
        organisation=organisation,
        created_by=actor,
        kind=kind,
        original_name=Path(upload.name).name[:255],
        file_path=relative,
        file_format=found.file_format,
        encoding=found.encoding,
        delimiter=found.delimiter,
        headers=found.headers,
        total_rows=found.total_rows,
    )
    return audited_create(actor=actor, instance=job, organisation=organisation)


@transaction.atomic
def import_map(*, actor, job: ImportJob, mapping: dict[str, int | str | None]) -> ImportJob:
    """Say which column holds which field; the choice is remembered for the organisation's next import."""
    _require(actor, job.organisation)
    if job.status not in {ImportJob.Status.UPLOADED, ImportJob.Status.MAPPED}:
        raise ValidationError(_("This import has started; its columns can no longer change."))
    target = TARGETS[job.kind]
    chosen: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for name, column in mapping.items():
        if name not in target.fields or column in (None, ""):
            continue
        column = int(column)
        if not 0 <= column < len(job.headers):
            errors[name] = [_("Choose one of the file's columns.")]
        elif column in chosen.values():
            errors[name] = [_("The column «{column}» is already chosen for another field.").format(column=job.headers[column])]
        else:
            chosen[name] = column
    for name in sorted(target.required - set(chosen) - set(errors)):
        errors[name] = [_("Choose the column that holds this field: every record needs it.")]
    if errors:
        raise ValidationError(errors)
    audited_update(actor=actor, instance=job, data={"mapping": chosen, "status": ImportJob.Status.MAPPED}, organisation=job.organisation)
    remembered = {name: job.headers[column] for name, column in chosen.items()}
    existing = ColumnMapping.objects.filter(organisation=job.organisation, kind=job.kind).first()
    if existing:
        audited_update(actor=actor, instance=existing, data={"mapping": remembered}, organisation=job.organisation)
    else:
        existing = ColumnMapping(organisation=job.organisation, kind=job.kind, mapping=remembered)
        audited_create(actor=actor, instance=existing, organisation=job.organisation)
    return job


@transaction.atomic
def import_start(*, actor, job: ImportJob) -> ImportJob:
    """Queue a mapped import; a worker (or this process, after commit) runs it."""
    from .tasks import run_import

    _require(actor, job.organisation)
    if job.status != ImportJob.Status.MAPPED:
        raise ValidationError(_("Only an import whose columns are chosen, and that has not started, can be started."))
    audited_update(actor=actor, instance=job, data={"status": ImportJob.Status.QUEUED}, organisation=job.organisation)
    transaction.on_commit(lambda: run_import(job.pk))
    return job


def import_file(job: ImportJob) -> None:
    """Run an import to its end: the file is streamed in chunks, each chunk its own transaction (a large file is read
    in a reader process meanwhile, see pipeline.py).

    Rows that fail validation are skipped and reported (row, column, value, message); a crash marks the job
    failed and keeps the chunks already written. Running the same file again creates nothing twice.
    """
    language = getattr(job.created_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        _run(job)


def _read_apart(job: ImportJob) -> bool:
    """Whether a reader process reads the file while this one writes (see pipeline.py): for files of a few chunks or
    more, given a second core, unless settings turn it off (IMPORT_READER_PROCESS = False). Otherwise forking costs
    more than it gains: a small file is soon read, and on one core the two processes would take turns."""
    if not getattr(settings, "IMPORT_READER_PROCESS", True) or pipeline.cores() < 2:
        return False
    return job.total_rows is None or job.total_rows >= READ_APART_MIN_ROWS


def _run(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=job.started_at or timezone.now(), message="")
    context = import_context(job)
    counts: Counter = Counter()
    kept: list[dict] = []
    report_relative = str(Path(job.file_path).with_suffix(".errors.jsonl"))
    current_row = 0
    try:
        with (
            _checkpoints_spaced(context.target.model),
            open(stored_path(report_relative), "w", encoding="utf-8") as report,
            pipeline.read_chunks(
                context,
                stored_path(job.file_path),
                file_format=job.file_format,
                encoding=job.encoding,
                delimiter=job.delimiter,
                chunk_rows=CHUNK_ROWS,
                apart=_read_apart(job),
            ) as chunks,
        ):
            while True:
                # Reading and writing a chunk make many objects: the cycle collector rests meanwhile, and they are
                # let go before it resumes (see Plan.clear), so that it does not walk them.
                with readers.no_cycle_collection():
                    rows = next(chunks, None)
                    if rows is None:
                        break
                    current_row = rows[0].result.number
                    with transaction.atomic():
                        plan = engine.plan_rows(context, rows)
                        engine.write_plan(context, plan)
                    new_errors = _record_errors(plan, report, kept, counts)
                    plan.clear()
                progress = {
                    "processed_rows": counts["rows"],
                    "created_count": counts["create"],
                    "updated_count": counts["update"],
                    "unchanged_count": counts["unchanged"],
                    "failed_count": counts["error"],
                }
                if new_errors:
                    progress["errors"] = kept
                ImportJob.objects.filter(pk=job.pk).update(**progress)
    except Exception:
        logger.exception("import %s stopped near row %s", job.pk, current_row)
        _finish(
            job,
            status=ImportJob.Status.FAILED,
            counts=counts,
            kept=kept,
            report=report_relative,
            message=_(
                "The import stopped near row {row} because of an unexpected error. The {saved} rows before it were saved; "
                "running the same file again will not create them twice."
            ).format(row=current_row, saved=counts["rows"]),
        )
        return
    _finish(job, status=ImportJob.Status.DONE, counts=counts, kept=kept, report=report_relative, message="")


@contextmanager
def _checkpoints_spaced(model):
    """On SQLite, copy the write-ahead log back into the database every 64 MB instead of every 4 MB while importing.

    A chunk writes more than 4 MB, so each commit would otherwise end with a checkpoint: two fsyncs, and pages the next
    chunk writes again (commits took 2.0 s of a 100,000-row import, 1.2 s with this). The setting is the connection's
    own, and is put back.
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (pages,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint=16384")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")


def _record_errors(plan: engine.Plan, report, kept: list[dict], counts: Counter) -> bool:
    """Count the chunk's rows, append its errors to the report file and keep the first ones for the page."""
    kept_before = len(kept)
    for result in plan.results:
        counts["rows"] += 1
        counts[result.action] += 1
        for column, value, message in result.errors:
            entry = {"row": result.number, "column": column, "value": value[:500], "message": str(message)}
            report.write(json.dumps([entry["row"], entry["column"], entry["value"], entry["message"]], ensure_ascii=False) + "\n")
            if len(kept) < ERRORS_KEPT:
                kept.append(entry)
    return len(kept) != kept_before


def _finish(job: ImportJob, *, status: str, counts: Counter, kept: list[dict], report: str, message: str) -> None:
    has_errors = counts["error"] > 0
    if not has_errors:
        stored_path(report).unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        finished_at=timezone.now(),
        message=message,
        total_rows=counts["rows"] if status == ImportJob.Status.DONE else job.total_rows,
        processed_rows=counts["rows"],
        created_count=counts["create"],
        updated_count=counts["update"],
        unchanged_count=counts["unchanged"],
        failed_count=counts["error"],
        errors=kept,
        error_report_path=report if has_errors else "",
    )
    job.refresh_from_db()
