import csv
import logging
import os
import pickle
import signal
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy

from shubbak.audit.models import AuditEntry
from shubbak.imports import engine, pipeline, selectors, services
from shubbak.imports.fields import guess_mapping
from shubbak.imports.models import ImportJob

from .conftest import PEOPLE_HEADERS, counts, csv_bytes, person_row, run_import, upload, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ENTERPRISE_HEADERS = ["اسم المنشأة", "الشكل القانوني", "الحالة", "رقم التسجيل", "المحافظة", "الهاتف", "عضو في الغرفة", "الغرفة"]
STOPPED = "توقّف الاستيراد قرب الصف {row} بسبب خطأ غير متوقع."  # in the language of the one who ran it


@pytest.fixture
def apart(settings, monkeypatch):
    """Every file read in a reader process, in chunks of two rows."""
    settings.IMPORT_READER_PROCESS = True
    monkeypatch.setattr(services, "_read_apart", lambda job: settings.IMPORT_READER_PROCESS)
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)


def outcome(job: ImportJob) -> tuple:
    """What an import did, as the page and the report show it and the audit log keeps it, without its own ids."""
    own = {"id", "import_job", "organisation_id", "created_at", "updated_at"}  # the records' own ids and times
    audited = sorted(
        (entry.action, entry.target_label, sorted((k, v) for k, v in entry.changes.items() if k not in own))
        for entry in AuditEntry.objects.filter(changes__import_job=[None, job.pk])
    )
    return counts(job), job.message, job.errors, list(selectors.error_rows(job)), audited


@pytest.mark.parametrize(
    ("setting", "cores", "rows", "apart"),
    [(True, 2, None, True), (True, 2, 4000, True), (True, 2, 3999, False), (True, 1, 100_000, False), (False, 2, 100_000, False)],
)
def test_a_file_of_a_few_chunks_is_read_apart_given_a_second_core(settings, monkeypatch, setting, cores, rows, apart):
    settings.IMPORT_READER_PROCESS = setting
    monkeypatch.setattr(pipeline, "cores", lambda: cores)
    assert services._read_apart(ImportJob(total_rows=rows)) is apart  # rows unknown (None): maybe many


def test_the_reader_process_gives_what_reading_in_process_gives(actors, apart, settings):
    chamber = actors.organisation.name_ar
    files = [
        ("people", [PEOPLE_HEADERS, person_row(1), person_row(2, gender="?"), person_row(3, nid="123456789", phone="12"), person_row(4)]),
        ("people", [PEOPLE_HEADERS, person_row(5), person_row(1, governorate="جنين"), person_row(4), person_row(6, birth="31/02/2001")]),
        ("people", [PEOPLE_HEADERS, person_row(1, governorate="جنين"), person_row(4, first="مريم"), person_row(7), person_row(7)]),
        (
            "enterprises",
            [
                ENTERPRISE_HEADERS,
                ["مخبز الأمل", "sole", "informal", "", "Nablus", "09 238 0335", "", ""],
                ["مشغل النور", "sole", "registered", "REG-77", "نابلس", "", "نعم", chamber],
                ["منشأة بلا رقم", "company", "registered", "", "نابلس", "", "", ""],
                ["مشغل النور للخياطة", "sole", "suspended", "REG-77", "نابلس", "", "نعم", "غرفة لا نعرفها"],
                ["مشغل النور للخياطة", "sole", "suspended", "REG-77", "نابلس", "", "نعم", chamber],
            ],
        ),
    ]
    outcomes = {}
    for apart_, actor, organisation in ((False, actors.admin, actors.organisation), (True, actors.outsider, actors.other_organisation)):
        settings.IMPORT_READER_PROCESS = apart_
        outcomes[apart_] = [outcome(run_import(actors, rows, kind=kind, actor=actor, organisation=organisation)) for kind, rows in files]
    assert outcomes[True] == outcomes[False]
    assert [o[0] for o in outcomes[True]] == [
        ("done", 4, 2, 0, 0, 2),
        ("done", 4, 1, 1, 1, 1),
        ("done", 4, 1, 1, 2, 0),
        ("done", 5, 2, 1, 0, 2),  # the unknown chamber's row fails; the last one updates what the second created
    ]
    assert [len(o[2]) for o in outcomes[True]] == [3, 1, 0, 2]


def test_rows_are_read_in_another_process(actors, apart, monkeypatch):
    job = upload_only(actors, [PEOPLE_HEADERS, person_row(1), person_row(2), person_row(3)])
    real_read_rows = engine.read_rows

    def read_and_sign(ctx, chunk):
        rows = real_read_rows(ctx, chunk)
        for row in rows:
            row.result.reason = str(os.getpid())
        return rows

    monkeypatch.setattr(engine, "read_rows", read_and_sign)
    with pipeline.read_chunks(selectors.import_context(job), **source(job), chunk_rows=2, apart=True) as chunks:
        received = list(chunks)
    assert [[r.result.number for r in rows] for rows in received] == [[2, 3], [4]]
    readers = {r.result.reason for rows in received for r in rows}
    assert len(readers) == 1 and readers != {str(os.getpid())}
    fresh = received[0][0].fresh
    assert fresh.organisation is job.organisation  # this process's, not a copy: no query per record


def test_a_file_damaged_half_way_stops_the_import_as_when_read_in_process(actors, apart, settings, caplog):
    rows = [PEOPLE_HEADERS] + [person_row(n) for n in range(1, 6)] + [person_row(6, first="ا" * (1 << 20 | 1))] + [person_row(7)]
    content = csv_bytes(rows)  # a cell longer than the CSV reader takes, found when reading the third chunk
    outcomes = []
    for apart_, actor, organisation in ((False, actors.admin, actors.organisation), (True, actors.outsider, actors.other_organisation)):
        settings.IMPORT_READER_PROCESS = apart_
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="shubbak.imports.services"):
            job = run_import(actors, None, name="people.csv", content=content, actor=actor, organisation=organisation)
        outcomes.append((counts(job), job.message, caplog.records[-1].exc_info[0]))
    assert outcomes[1] == outcomes[0]
    (status, processed, created, *_), message, error = outcomes[1]
    assert (status, processed, created, error) == ("failed", 4, 4, csv.Error)  # the two chunks before it were saved
    assert message.startswith(STOPPED.format(row=4))  # the first row of the last chunk saved, as when read in process


def test_a_killed_reader_fails_the_job_without_waiting(actors, apart, monkeypatch):
    real_read_rows = engine.read_rows

    def die_on_the_second_chunk(ctx, chunk):
        if chunk[0][0] > 3:
            time.sleep(0.5)  # the first chunk is sent meanwhile
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel kills a process out of memory
        return real_read_rows(ctx, chunk)

    monkeypatch.setattr(engine, "read_rows", die_on_the_second_chunk)
    started = time.monotonic()
    job = run_import(actors, [PEOPLE_HEADERS] + [person_row(n) for n in range(1, 6)])
    assert time.monotonic() - started < pipeline.WAIT_SECONDS  # the end of the pipe was read, nothing waited for
    assert (job.status, job.processed_rows, job.created_count) == ("failed", 2, 2)
    assert job.message.startswith(STOPPED.format(row=2))


def test_a_reader_gone_while_its_pipe_stays_open_is_noticed(actors, monkeypatch):
    import multiprocessing

    monkeypatch.setattr(pipeline, "WAIT_SECONDS", 0.05)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)  # the sender stays open here, as in another job's reader
    process = context.Process(target=os._exit, args=(0,))
    process.start()
    with pytest.raises(pipeline.ReaderStopped, match="ended unexpectedly"):
        next(pipeline._received(None, receiver, process))
    process.join()
    sender.close()
    receiver.close()


def test_the_reader_may_not_query_the_database(actors, apart, monkeypatch, caplog):
    def read_and_query(ctx, chunk):
        ImportJob.objects.count()

    monkeypatch.setattr(engine, "read_rows", read_and_query)
    with caplog.at_level(logging.ERROR, logger="shubbak.imports.services"):
        job = run_import(actors, [PEOPLE_HEADERS, person_row(1)])
    assert (job.status, job.processed_rows) == ("failed", 0)
    assert caplog.records[-1].exc_info[0] is pipeline.ReaderStopped
    assert "must not use the database" in str(caplog.records[-1].exc_info[1])
    assert ImportJob.objects.count() == 1  # the job's connection is unharmed


def test_an_error_that_cannot_be_pickled_arrives_as_its_text(actors, apart, monkeypatch):
    class Unpicklable(Exception):  # a local class: pickle cannot find it by name
        pass

    def fail(ctx, chunk):
        raise Unpicklable("cell trouble")

    monkeypatch.setattr(engine, "read_rows", fail)
    job = upload_only(actors, [PEOPLE_HEADERS, person_row(1)])
    with (
        pytest.raises(pipeline.ReaderStopped, match="Unpicklable: cell trouble") as stopped,
        pipeline.read_chunks(selectors.import_context(job), **source(job), chunk_rows=2, apart=True) as chunks,
    ):
        next(chunks)
    assert "Raised in the import's reader process" in stopped.value.__notes__[0]


def test_a_row_s_errors_survive_pickling_and_read_in_the_job_s_language():
    blank = gettext_lazy("This field cannot be blank.")
    row = engine.Row(engine.RowResult(2), ["x"], {}, fresh_errors=ValidationError({"phone": [blank]}))
    received = pickle.loads(pickle.dumps([row], protocol=pickle.HIGHEST_PROTOCOL))[0]
    assert received.fresh_errors.message_dict == {"phone": ["This field cannot be blank."]}
    with translation.override("ar"):
        assert received.fresh_errors.message_dict == {"phone": [str(blank)]} != {"phone": ["This field cannot be blank."]}


def upload_only(actors, rows) -> ImportJob:
    """A mapped import, as the job gets it, not run."""
    content = upload("people.xlsx", xlsx_bytes(rows))
    job = services.import_upload(actor=actors.admin, organisation=actors.organisation, kind="people", upload=content)
    services.import_map(actor=actors.admin, job=job, mapping=guess_mapping("people", job.headers))
    return ImportJob.objects.select_related("organisation__network", "created_by").get(pk=job.pk)


def source(job: ImportJob) -> dict:
    return {
        "path": selectors.stored_path(job.file_path),
        "file_format": job.file_format,
        "encoding": job.encoding,
        "delimiter": job.delimiter,
    }
