import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shubbak.audit.models import AuditEntry
from shubbak.imports import engine, selectors, services
from shubbak.imports.fields import guess_mapping
from shubbak.imports.models import ColumnMapping, ImportJob
from shubbak.registry import services as registry
from shubbak.registry.models import AddressHistory, Enterprise, Person, StatusChange

from .conftest import PEOPLE_HEADERS, counts, csv_bytes, person_row, run_import, upload, valid_ps_id, xlsx_bytes

# Every import here runs twice: reading the file in this process, and in a reader process (see test_pipeline.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "reading")]


def test_an_import_creates_normalised_audited_people(actors):
    rows = [PEOPLE_HEADERS, person_row(1), person_row(2, first="محمد", gender="ذكر", phone="٠٥٩٩ ٠٠٠ ٠٠٢")]
    job = run_import(actors, rows)
    assert counts(job) == ("done", 2, 2, 0, 0, 0)
    fatima, mohammad = Person.objects.filter(organisation=actors.organisation).order_by("external_id")
    assert (fatima.full_name, fatima.gender, fatima.birth_date) == ("فاطمة عبد الله التميمي", "female", datetime.date(2001, 3, 14))
    assert (fatima.national_id, fatima.id_type, fatima.phone, fatima.governorate) == (valid_ps_id(1), "ps_id", "+970599000001", "PS-NBS")
    assert mohammad.phone == "+970599000002"  # Arabic-Indic digits and spaces
    assert "فاطمه" in fatima.search_text and "0599000001" in fatima.search_text
    entry = AuditEntry.objects.get(target_type__model="person", target_id=str(fatima.pk))
    assert (entry.action, entry.actor, entry.organisation, entry.source) == ("create", actors.admin, actors.organisation, "command")
    assert entry.changes["import_job"] == [None, job.pk]
    assert entry.changes["first_name"] == [None, "فاطمة"] and entry.changes["id"] == [None, fatima.pk]
    assert entry.target_label == "فاطمة عبد الله التميمي"


def test_importing_the_same_file_twice_creates_nothing_the_second_time(actors):
    rows = [PEOPLE_HEADERS] + [person_row(n) for n in range(1, 6)]
    first = run_import(actors, rows)
    audit_entries = AuditEntry.objects.filter(target_type__model="person").count()
    second = run_import(actors, rows)
    assert counts(first) == ("done", 5, 5, 0, 0, 0)
    assert counts(second) == ("done", 5, 0, 0, 5, 0)
    assert Person.objects.filter(organisation=actors.organisation).count() == 5
    assert AuditEntry.objects.filter(target_type__model="person").count() == audit_entries


def test_without_external_ids_people_are_matched_by_id_number_then_phone_and_name(actors):
    headers = PEOPLE_HEADERS[1:]
    run_import(actors, [headers, person_row(1)[1:], person_row(2, nid="")[1:]])
    again = [headers, person_row(1, governorate="جنين")[1:], person_row(2, nid="", first="فاطمه", governorate="الخليل")[1:]]
    job = run_import(actors, again)
    assert counts(job) == ("done", 2, 0, 2, 0, 0)
    assert sorted(Person.objects.values_list("governorate", flat=True)) == ["PS-HBN", "PS-JEN"]


def test_relatives_sharing_a_phone_stay_two_people(actors):
    headers = PEOPLE_HEADERS[1:]
    run_import(actors, [headers, person_row(1, nid="")[1:]])
    job = run_import(actors, [headers, person_row(2, nid="", first="يوسف", gender="ذكر", phone="0599000001")[1:]])
    assert counts(job) == ("done", 1, 1, 0, 0, 0)
    assert Person.objects.filter(phone="+970599000001").count() == 2


def test_rows_of_the_same_person_in_one_file_update_rather_than_create_twice(actors):
    rows = [PEOPLE_HEADERS, person_row(1), person_row(2), person_row(1, governorate="جنين"), person_row(1, governorate="جنين")]
    job = run_import(actors, rows)
    assert counts(job) == ("done", 4, 2, 1, 1, 0)
    person = Person.objects.get(external_id="P-1")
    assert person.governorate == "PS-JEN"
    assert AuditEntry.objects.filter(target_type__model="person", target_id=str(person.pk)).count() == 1  # created with its last values


def test_duplicates_across_chunks_update_the_record_the_first_chunk_created(actors, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    rows = [PEOPLE_HEADERS, person_row(1), person_row(2), person_row(1, governorate="جنين")]
    job = run_import(actors, rows)
    assert counts(job) == ("done", 3, 2, 1, 0, 0)
    assert Person.objects.get(external_id="P-1").governorate == "PS-JEN"


def test_a_bad_row_is_skipped_and_reported_and_the_others_are_saved(actors, client):
    rows = [
        PEOPLE_HEADERS,
        person_row(1),
        person_row(2, gender="غير معروف"),
        person_row(3, nid="123456789", phone="12"),
        person_row(4, birth="31/02/2001"),
        person_row(5),
    ]
    job = run_import(actors, rows)
    assert counts(job) == ("done", 5, 2, 0, 0, 3)
    assert sorted(Person.objects.values_list("external_id", flat=True)) == ["P-1", "P-5"]
    assert [(e["row"], e["column"], e["value"]) for e in job.errors] == [
        (3, "الجنس", "غير معروف"),
        (4, "رقم الهوية", "123456789"),
        (4, "الجوال", "12"),
        (5, "تاريخ الميلاد", "31/02/2001"),
    ]
    assert job.errors[0]["message"] == "«غير معروف» ليست من الخيارات المتاحة: أنثى، ذكر."  # in the language of the one who ran it
    assert next(selectors.error_rows(job)) == [3, "الجنس", "غير معروف", "«غير معروف» ليست من الخيارات المتاحة: أنثى، ذكر."]


def test_an_update_changes_only_the_cells_that_are_filled_and_keeps_the_old_address(actors):
    run_import(actors, [PEOPLE_HEADERS, person_row(1)])
    person = Person.objects.get()
    registry.person_update(actor=actors.admin, person=person, data={"email": "fatima@example.org"})
    job = run_import(actors, [PEOPLE_HEADERS, person_row(1, birth="", governorate="جنين")])
    assert counts(job) == ("done", 1, 0, 1, 0, 0)
    person.refresh_from_db()
    assert (person.governorate, person.birth_date, person.email) == ("PS-JEN", datetime.date(2001, 3, 14), "fatima@example.org")
    assert list(AddressHistory.objects.filter(person=person).values_list("governorate", flat=True)) == ["PS-NBS"]
    entry = AuditEntry.objects.filter(target_type__model="person", action="update").latest("id")
    assert entry.changes == {"governorate": ["PS-NBS", "PS-JEN"], "import_job": [None, job.pk]}


def test_a_failing_row_changes_nothing_already_stored(actors):
    run_import(actors, [PEOPLE_HEADERS, person_row(1)])
    before = Person.objects.get()
    entries = AuditEntry.objects.count()
    future = (datetime.date.today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    job = run_import(actors, [PEOPLE_HEADERS, person_row(1, birth=future, governorate="جنين")])
    assert counts(job) == ("done", 1, 0, 0, 0, 1)
    assert job.errors[0]["message"] == "تاريخ الميلاد في المستقبل."
    after = Person.objects.get()
    assert (after.governorate, after.birth_date, after.updated_at) == (before.governorate, before.birth_date, before.updated_at)
    assert AuditEntry.objects.count() == entries + 2  # the job's upload and mapping, nothing about the person


def test_messages_follow_the_language_of_the_one_who_ran_the_import(actors):
    actors.admin.language = "en"
    actors.admin.save(update_fields=["language"])
    job = run_import(actors, [PEOPLE_HEADERS, person_row(1, gender="?")])
    assert job.errors[0]["message"] == "«?» is not one of the choices: Female، Male."


def test_a_crash_marks_the_job_failed_and_keeps_the_chunks_already_saved(actors, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    real_write = engine.write_plan
    calls = []

    def write_then_fail(context, plan):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_write(context, plan)

    monkeypatch.setattr(engine, "write_plan", write_then_fail)
    job = run_import(actors, [PEOPLE_HEADERS] + [person_row(n) for n in range(1, 6)])
    assert (job.status, job.processed_rows, job.created_count) == ("failed", 2, 2)
    assert job.message == (
        "توقّف الاستيراد قرب الصف 4 بسبب خطأ غير متوقع. حُفظت الصفوف السابقة له وعددها 2؛ وإعادة استيراد الملف نفسه لن تُنشئها مرتين."
    )
    assert sorted(Person.objects.values_list("external_id", flat=True)) == ["P-1", "P-2"]
    monkeypatch.setattr(engine, "write_plan", real_write)
    again = run_import(actors, [PEOPLE_HEADERS] + [person_row(n) for n in range(1, 6)])
    assert counts(again) == ("done", 5, 3, 0, 2, 0)


def test_enterprises_are_matched_by_registration_number_and_status_changes_are_kept(actors):
    headers = ["اسم المنشأة", "الشكل القانوني", "الحالة", "رقم التسجيل", "المحافظة", "رجال دوام كامل", "الهاتف"]
    rows = [
        headers,
        ["مخبز الأمل", "Sole proprietorship", "informal", "", "Nablus", "٣", "09 238 0335"],
        ["مشغل النور", "sole", "Registered", "REG-77", "نابلس", 12, ""],
        ["منشأة بلا رقم", "company", "registered", "", "نابلس", "", ""],
    ]
    job = run_import(actors, rows, kind="enterprises")
    assert counts(job) == ("done", 3, 2, 0, 0, 1)
    assert job.errors[0]["message"] == "المنشأة المسجلة تحتاج إلى رقم تسجيلها."
    bakery = Enterprise.objects.get(name_ar="مخبز الأمل")
    assert (bakery.men_full_time, bakery.size_class, bakery.phone, bakery.governorate) == (3, "micro", "+97092380335", "PS-NBS")
    workshop = Enterprise.objects.get(registration_number="REG-77")
    assert workshop.size_class == "medium"
    again = run_import(actors, [headers, ["مشغل النور للخياطة", "sole", "suspended", "REG-77", "نابلس", 12, ""]], kind="enterprises")
    assert counts(again) == ("done", 1, 0, 1, 0, 0)
    workshop.refresh_from_db()
    assert (workshop.name_ar, workshop.status) == ("مشغل النور للخياطة", "suspended")
    assert list(StatusChange.objects.filter(enterprise=workshop).order_by("id").values_list("from_status", "to_status")) == [
        ("", "registered"),
        ("registered", "suspended"),
    ]


def test_the_mapping_is_checked_and_remembered(actors):
    content = upload("a.xlsx", xlsx_bytes([PEOPLE_HEADERS, person_row(1)]))
    job = services.import_upload(actor=actors.admin, organisation=actors.organisation, kind="people", upload=content)
    with pytest.raises(ValidationError) as missing:
        services.import_map(actor=actors.admin, job=job, mapping={"first_name": 1, "family_name": 1})
    assert missing.value.message_dict == {
        "family_name": ["The column «الاسم الأول» is already chosen for another field."],
        "gender": ["Choose the column that holds this field: every record needs it."],
    }
    services.import_map(actor=actors.admin, job=job, mapping={"first_name": 1, "family_name": 3, "gender": 4, "phone": "7"})
    assert ColumnMapping.objects.get(organisation=actors.organisation, kind="people").mapping == {
        "first_name": "الاسم الأول",
        "family_name": "اسم العائلة",
        "gender": "الجنس",
        "phone": "الجوال",
    }
    reordered = [["الجوال", "الجنس", "X", "اسم العائلة", "الاسم الأول"], ["0599000001", "أنثى", "", "التميمي", "فاطمة"]]
    remembered = selectors.remembered_mapping(organisation=actors.organisation, kind="people")
    assert guess_mapping("people", reordered[0], remembered) == {"phone": 0, "gender": 1, "family_name": 3, "first_name": 4}


def test_only_staff_who_may_import_can_upload(actors):
    content = upload("a.xlsx", xlsx_bytes([PEOPLE_HEADERS, person_row(1)]))
    for user in (actors.officer, actors.viewer, actors.outsider):
        with pytest.raises(PermissionDenied):
            services.import_upload(actor=user, organisation=actors.organisation, kind="people", upload=content)
    for user in (actors.coordinator, actors.manager):
        assert services.import_upload(actor=user, organisation=actors.organisation, kind="people", upload=content).status == "uploaded"


def test_the_upload_size_is_checked_before_the_file_is_read(actors, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = upload("big.csv", b"x" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as refused:
        services.import_upload(actor=actors.admin, organisation=actors.organisation, kind="people", upload=big)
    assert refused.value.message_dict == {"file": ["The file is 1.0 MB; the largest we accept is 1.0 MB. Split it into smaller files."]}
    assert ImportJob.objects.count() == 0
    assert not list((settings.MEDIA_ROOT).glob("**/*.csv")) if settings.MEDIA_ROOT.exists() else True


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.xls", b"\xd0\xcf\x11\xe0", "Old Excel files (.xls) cannot be read. Open it in Excel and save it as .xlsx."),
        ("people.pdf", b"%PDF-1.4", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
        ("people.xlsx", b"", "The file is empty."),
        (
            "people.xlsx",
            b"name,phone\nfatima,0599\n",
            "This is not an Excel workbook (.xlsx). If it is an old .xls file, open it in Excel and save it as .xlsx or CSV UTF-8.",
        ),
        ("people.csv", "الاسم\n".encode(), "The file has a header row but no records below it."),
        ("people.csv", b"\n\n", "The file has no rows. Put the column names in the first row and one record per row below it."),
        (
            "people.csv",
            "الاسم,الجوال\nفاطمة,0599\n".encode("utf-16"),
            "This CSV file is in UTF-16 («Unicode text»). In Excel, save it as «CSV UTF-8 (comma delimited)» and upload it again.",
        ),
        (
            "people.csv",
            bytes(range(256)) * 4,
            "This file is not text we can read (neither UTF-8 nor Windows-1256). Save it from Excel as «CSV UTF-8» and upload it again.",
        ),
    ],
)
def test_unreadable_uploads_are_refused_with_a_reason(actors, name, content, message):
    with pytest.raises(ValidationError) as refused:
        services.import_upload(actor=actors.admin, organisation=actors.organisation, kind="people", upload=upload(name, content))
    assert refused.value.message_dict == {"file": [message]}
    assert ImportJob.objects.count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(actors, tmp_path):
    import zipfile

    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ValidationError) as refused:
        services.import_upload(
            actor=actors.admin, organisation=actors.organisation, kind="people", upload=upload("p.xlsx", path.read_bytes())
        )
    assert refused.value.message_dict == {"file": ["This workbook is damaged or is not an Excel workbook; we could not read it."]}


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("cp1256", "cp1256")],
)
def test_csv_in_utf8_with_or_without_bom_and_in_windows_1256(actors, encoding, expected):
    content = csv_bytes([PEOPLE_HEADERS, person_row(1), person_row(2, first="مريم")], encoding=encoding)
    job = run_import(actors, None, name="people.csv", content=content)
    assert (job.encoding, job.file_format, job.headers) == (expected, "csv", PEOPLE_HEADERS)
    assert counts(job) == ("done", 2, 2, 0, 0, 0)
    assert sorted(Person.objects.values_list("first_name", flat=True)) == ["فاطمة", "مريم"]


def test_a_semicolon_separated_csv_is_read(actors):
    job = run_import(actors, None, name="people.csv", content=csv_bytes([PEOPLE_HEADERS, person_row(1)], delimiter=";"))
    assert (job.delimiter, job.created_count) == (";", 1)


def test_formulas_are_read_as_their_saved_value_never_evaluated(actors):
    rows = [PEOPLE_HEADERS, person_row(1, first='=HYPERLINK("http://evil.example","x")', family="=1+1")]
    job = run_import(actors, rows)  # openpyxl saves formulas without a value: nothing is read, the row lacks its names
    assert counts(job) == ("done", 1, 0, 0, 0, 1)
    csv_job = run_import(actors, None, name="p.csv", content=csv_bytes([PEOPLE_HEADERS, person_row(2, family="=1+1")]))
    assert Person.objects.get(external_id="P-2").family_name == "=1+1"  # text in a CSV stays text
    assert csv_job.created_count == 1
