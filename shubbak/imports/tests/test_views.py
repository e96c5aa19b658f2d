import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shubbak.imports import services
from shubbak.imports.models import ColumnMapping, ImportJob
from shubbak.registry.models import Person
from shubbak.testing.access import check_three_actors

from .conftest import PEOPLE_HEADERS, csv_bytes, person_row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


class Rewinding(io.BytesIO):
    """An upload the test client can send several times (each actor of check_three_actors)."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name = name

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def make_job(actors, rows=None, *, organisation=None, mapped=True, name="people.xlsx") -> ImportJob:
    organisation = organisation or actors.organisation
    actor = actors.admin if organisation == actors.organisation else actors.outsider
    rows = rows or [PEOPLE_HEADERS, person_row(1), person_row(2, gender="غير معروف"), person_row(3)]
    job = services.import_upload(actor=actor, organisation=organisation, kind="people", upload=upload(name, xlsx_bytes(rows)))
    if mapped:
        services.import_map(actor=actor, job=job, mapping={"external_id": 0, "first_name": 1, "family_name": 3, "gender": 4, "phone": 7})
        job.refresh_from_db()
    return job


def test_the_imports_list_three_actors(actors):
    job = make_job(actors)
    make_job(actors, organisation=actors.other_organisation)
    response = check_three_actors(actors=actors, url=reverse("import_list", args=["nablus"]), write=True)
    assert list(response.context["page"]) == [job]
    check_three_actors(actors=actors, url=reverse("import_list", args=["nablus"]), write=True, member=actors.manager)
    check_three_actors(actors=actors, url=reverse("import_list", args=["nablus"]), write=True, member=actors.coordinator)


def test_an_officer_may_not_import(actors, client):
    client.force_login(actors.officer)
    assert client.get(reverse("import_list", args=["nablus"])).status_code == 403
    assert client.get(reverse("import_upload", args=["nablus"])).status_code == 403


def test_the_imports_list_runs_constant_queries(actors, client, django_assert_num_queries):
    make_job(actors)
    client.force_login(actors.admin)
    url = reverse("import_list", args=["nablus"])
    client.get(url)  # warm the session and content types
    with django_assert_num_queries(7) as few:
        client.get(url)
    for n in range(4):
        make_job(actors, name=f"more-{n}.xlsx")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 5


def test_upload_three_actors_and_then_the_columns(actors):
    url = reverse("import_upload", args=["nablus"])
    check_three_actors(actors=actors, url=url, write=True)
    data = {"kind": "people", "file": Rewinding("مستفيدون.xlsx", xlsx_bytes([PEOPLE_HEADERS, person_row(1)]))}
    response = check_three_actors(actors=actors, url=url, method="post", data=data, write=True)
    job = ImportJob.objects.get()
    assert response.url == reverse("import_mapping", args=["nablus", job.pk])
    assert (job.original_name, job.created_by, job.status, job.headers) == ("مستفيدون.xlsx", actors.admin, "uploaded", PEOPLE_HEADERS)
    assert job.file_path.startswith(f"imports/{actors.organisation.pk}/")


def test_upload_refuses_a_file_that_is_too_big_in_arabic(actors, client, settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(actors.admin)
    big = Rewinding("big.csv", b"a,b\n" + b"1,2\n" * 600_000)
    response = client.post(reverse("import_upload", args=["nablus"]), {"kind": "people", "file": big})
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["حجم الملف 2.3 ميغابايت، وأكبر حجم نقبله 2.0 ميغابايت. قسّمه إلى ملفات أصغر."]}
    assert ImportJob.objects.count() == 0


def test_upload_says_which_encoding_was_used(actors, client):
    client.force_login(actors.admin)
    content = csv_bytes([PEOPLE_HEADERS, person_row(1)], encoding="cp1256")
    response = client.post(reverse("import_upload", args=["nablus"]), {"kind": "people", "file": Rewinding("p.csv", content)}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["قُرئ الملف بترميز Windows\u20111256 (إكسل العربي)."]
    assert response.context["encoding"] == "Windows\u20111256 (إكسل العربي)"


def test_the_columns_page_guesses_then_remembers(actors, client):
    job = make_job(actors, mapped=False)
    url = reverse("import_mapping", args=["nablus", job.pk])
    response = check_three_actors(actors=actors, url=url, write=True)
    form = response.context["form"]
    assert {name: form[name].value() for name in ("first_name", "family_name", "gender", "phone", "email")} == {
        "first_name": "1",
        "family_name": "3",
        "gender": "4",
        "phone": "7",
        "email": "",
    }
    data = {"first_name": "1", "family_name": "3", "gender": "4", "phone": "7", "national_id": "6", "governorate": "8"}
    response = check_three_actors(actors=actors, url=url, method="post", data=data, write=True)
    assert response.url == reverse("import_preview", args=["nablus", job.pk])
    job.refresh_from_db()
    assert (job.status, job.mapping["national_id"]) == ("mapped", 6)
    assert ColumnMapping.objects.get(organisation=actors.organisation).mapping["governorate"] == "المحافظة"
    client.force_login(actors.admin)
    next_job = make_job(actors, [["المحافظة", "الجنس", "الاسم الأول", "اسم العائلة"], ["نابلس", "أنثى", "فاطمة", "التميمي"]], mapped=False)
    response = client.get(reverse("import_mapping", args=["nablus", next_job.pk]))
    assert response.context["remembered"] is True
    assert response.context["form"]["governorate"].value() == "0"


def test_the_columns_page_requires_the_needed_fields(actors, client):
    job = make_job(actors, mapped=False)
    client.force_login(actors.admin)
    response = client.post(reverse("import_mapping", args=["nablus", job.pk]), {"first_name": "1", "family_name": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "gender": ["هذا الحقل مطلوب."],
    }
    response = client.post(reverse("import_mapping", args=["nablus", job.pk]), {"first_name": "1", "family_name": "1", "gender": "4"})
    assert response.context["form"].errors == {"family_name": ["العمود «الاسم الأول» مختار لحقل آخر."]}


def test_the_preview_three_actors_with_messages_in_arabic(actors):
    future_row = person_row(3, birth="أمس")
    job = make_job(actors, [PEOPLE_HEADERS, person_row(1), person_row(1, governorate="جنين"), future_row])
    mapping = {"external_id": 0, "first_name": 1, "family_name": 3, "gender": 4, "birth_date": 5}
    services.import_map(actor=actors.admin, job=job, mapping=mapping)
    response = check_three_actors(actors=actors, url=reverse("import_preview", args=["nablus", job.pk]), write=True)
    results = response.context["results"]
    assert [(r.number, r.action) for r in results] == [(2, "create"), (3, "unchanged"), (4, "error")]
    assert results[1].reason == "مثل الصف 2"
    assert results[2].errors == [
        ("تاريخ الميلاد", "أمس", "«أمس» ليس تاريخًا نستطيع قراءته. اكتبه هكذا: \u20662024-03-14\u2069 أو \u206614/03/2024\u2069.")
    ]
    assert "«أمس» ليس تاريخًا نستطيع قراءته" in response.content.decode()
    assert Person.objects.count() == 0


def test_starting_runs_the_import_and_the_page_shows_the_summary(actors, client, django_capture_on_commit_callbacks):
    job = make_job(actors)
    url = reverse("import_preview", args=["nablus", job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = check_three_actors(actors=actors, url=url, method="post", write=True)
    assert response.url == reverse("import_detail", args=["nablus", job.pk])
    job.refresh_from_db()
    assert (job.status, job.created_count, job.failed_count) == ("done", 2, 1)
    assert sorted(Person.objects.values_list("external_id", flat=True)) == ["P-1", "P-3"]
    page = check_three_actors(actors=actors, url=response.url, write=True)
    html = page.content.decode()
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert reverse("import_errors", args=["nablus", job.pk]) in html


def test_the_progress_partial_polls_while_the_import_runs(actors, client):
    job = make_job(actors)
    ImportJob.objects.filter(pk=job.pk).update(status="running", total_rows=4000, processed_rows=1000)
    client.force_login(actors.admin)
    url = reverse("import_detail", args=["nablus", job.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert [t.name for t in response.templates] == ["imports/_progress.html", "imports/_status.html"]
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert '<progress class="import-progress w-100" max="100" value="25"' in html
    ImportJob.objects.filter(pk=job.pk).update(status="done", processed_rows=3)
    assert 'hx-trigger="every 1s"' not in client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_the_error_report_three_actors_is_an_arabic_workbook(actors, django_capture_on_commit_callbacks):
    job = make_job(actors)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_start(actor=actors.admin, job=job)
    response = check_three_actors(actors=actors, url=reverse("import_errors", args=["nablus", job.pk]), write=True)
    assert response["Content-Disposition"].startswith('attachment; filename="export-')
    assert "filename*=UTF-8''%D8%A3%D8%AE%D8%B7%D8%A7%D8%A1-" in response["Content-Disposition"]  # «أخطاء-الاستيراد-…»
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.sheet_view.rightToLeft is True
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("الصف", "العمود", "القيمة", "المشكلة")
    assert rows[1][:3] == (3, "الجنس", "غير معروف")
    assert len(rows) == 2


def test_another_organisations_import_is_not_found(actors, client):
    foreign = make_job(actors, organisation=actors.other_organisation)
    client.force_login(actors.admin)
    for name in ("import_detail", "import_mapping", "import_preview", "import_errors"):
        assert client.get(reverse(name, args=["nablus", foreign.pk])).status_code == 404
        assert client.get(reverse(name, args=["elsewhere", foreign.pk])).status_code == 404
