import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from shubbak.imports import services
from shubbak.imports.fields import guess_mapping
from shubbak.imports.models import ImportJob

PEOPLE_HEADERS = ["الرقم المرجعي", "الاسم الأول", "اسم الأب", "اسم العائلة", "الجنس", "تاريخ الميلاد", "رقم الهوية", "الجوال", "المحافظة"]


@pytest.fixture(autouse=True)
def _imports_in_a_temporary_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(params=["in process", "in a reader process"])
def reading(request, settings, monkeypatch) -> str:
    """The file read in the job's process, or in a reader process however small it is (see pipeline.py)."""
    settings.IMPORT_READER_PROCESS = request.param == "in a reader process"
    monkeypatch.setattr(services, "_read_apart", lambda job: settings.IMPORT_READER_PROCESS)
    return request.param


def run_import(actors, rows, *, kind="people", name="people.xlsx", content=None, mapping=None, actor=None, organisation=None) -> ImportJob:
    """Upload, map and run an import as the job does (by the organisation's admin unless told), the job as it ends."""
    job = services.import_upload(
        actor=actor or actors.admin,
        organisation=organisation or actors.organisation,
        kind=kind,
        upload=upload(name, content or xlsx_bytes(rows)),
    )
    services.import_map(actor=actor or actors.admin, job=job, mapping=mapping or guess_mapping(kind, job.headers))
    job.refresh_from_db()
    services.import_file(job)
    job.refresh_from_db()
    return job


def counts(job) -> tuple:
    return job.status, job.processed_rows, job.created_count, job.updated_count, job.unchanged_count, job.failed_count


def xlsx_bytes(rows: list[list], title: str = "Sheet") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def person_row(n: int, **changes) -> list:
    """A valid row under PEOPLE_HEADERS: external id, names, gender, birth date, Palestinian ID, mobile, governorate."""
    row = {
        "external": f"P-{n}",
        "first": "فاطمة",
        "father": "عبد الله",
        "family": "التميمي",
        "gender": "أنثى",
        "birth": "14/03/2001",
        "nid": valid_ps_id(n),
        "phone": f"0599{n:06d}",
        "governorate": "نابلس",
    } | changes
    return list(row.values())


def valid_ps_id(n: int) -> str:
    base = f"{10_000_000 + n:08d}"
    for check in range(10):
        digits = base + str(check)
        total = sum((int(ch) * (1 + i % 2)) - 9 * (int(ch) * (1 + i % 2) > 9) for i, ch in enumerate(digits))
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")
