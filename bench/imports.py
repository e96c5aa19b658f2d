"""Import benchmark: a 100,000-row people sheet imported with duplicate checking on, timed and measured in process.

    .venv/bin/python bench/imports.py [--rows 100000] [--existing 50000] [--formats xlsx,csv] [--runs 1] [--seed 1] [--keep]
                                      [--in-process]

Uses DATABASE_URL (migrated first); without it, a new SQLite file in a temporary directory under /tmp, never
`shubbak.sqlite3`. For each format it creates a fresh organisation with an admin and `--existing` people
(generated as `manage.py generate_data` makes them), writes the sheet, then imports it twice, each time in a new
child process that does only the import (`import_upload`, `import_map`, `import_file`, as the job runs them,
DEBUG off): the first import, then the same file again, which must create nothing. It prints rows per second
(of `import_file` alone), what the rows did, and peak memory: the child's (VmHWM: the whole process, Django
included), its reader process's (the import reads the file in a process of its own, forked from the child, while
the child writes; see shubbak/imports/pipeline.py) and their sum. The reader's peak counts the pages it shares with
the child (Django, at least 75 MB) again, so the sum overstates what both use together. `--in-process` reads the file
in the child instead, as small files are.

The sheet is what an organisation brings from its own lists: four-part Arabic names in the spellings people
use, genders and choices written as Arabic words or codes, birth dates as date cells or typed text, Palestinian
IDs as numbers or text, phones as 059…, +970…, 00970…, with spaces, in Arabic-Indic digits or as a number Excel
stripped the 0 from, governorates by Arabic or English name or by code, and an external id. A tenth of the rows
are people the organisation already has (half of them with something changed), a few rows repeat an earlier
one, and about 1 % are wrong (a phone too short, an ID whose check digit fails, an impossible date).

The XLSX is written as Excel writes one: text in a shared-strings table, a <dimension>, row spans, no cell for an
empty value, dates as day numbers with a date style (openpyxl 3.1 does not: its normal Workbook writes every text as
an inline string and a cell for every empty value; `--xlsx-writer openpyxl` uses it instead). The CSV holds the same
rows as text, in UTF-8 with a BOM.
"""

import argparse
import csv
import datetime
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = [
    "الرقم المرجعي", "الاسم الأول", "اسم الأب", "اسم الجد", "اسم العائلة", "الاسم بالإنجليزية", "الجنس", "تاريخ الميلاد",
    "نوع الهوية", "رقم الهوية", "الجوال", "هاتف آخر", "البريد الإلكتروني", "التعليم", "الحالة العملية", "حالة النزوح",
    "إعاقة", "جريح حرب", "المحافظة", "المدينة", "العنوان",
]  # fmt: skip
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
EXCEL_PARTS = {  # the parts of a one-sheet workbook besides the sheet and its strings, as Excel writes them
    "[Content_Types].xml": XML_HEAD + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": XML_HEAD + (
        f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": XML_HEAD + (
        f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="المستفيدون" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": XML_HEAD + (
        f'<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/styles.xml": XML_HEAD + (  # style 1: Excel's built-in short date (numFmtId 14)
        f'<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}  # fmt: skip
BAD_SHARE = 0.01
EXISTING_SHARE = 0.10
REPEAT_SHARE = 0.005


def _setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shubbak.settings")
    os.environ["DEBUG"] = "false"  # as in production: no query log kept in memory
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("JOBS", "immediate")
    import django

    django.setup()


# --- The sheet ----------------------------------------------------------------------------------------


class Sheet:
    """Rows of a people sheet made from generated people, in the forms people type them."""

    def __init__(self, generator, rng: random.Random):
        from django.utils import translation

        from shubbak import places
        from shubbak.registry.models import Person

        self.g, self.rng = generator, rng
        with translation.override("ar"):
            self.labels = {
                name: {value: str(label) for value, label in Person._meta.get_field(name).choices}
                for name in ("id_type", "education", "employment", "displacement")
            }
        with translation.override("en"):
            self.english_governorate = {code: places.governorate_name(code) for code in places.GOVERNORATES_AR}
        self.arabic_governorate = places.GOVERNORATES_AR

    def row(self, p: dict, external: str) -> list:
        rng = self.rng
        return [
            external,
            p["first_name"],
            p["father_name"],
            p["grandfather_name"],
            p["family_name"],
            p["name_latin"],
            self._gender(p["gender"]),
            self._date(p["birth_date"]),
            self._choice("id_type", p["id_type"]) if p["id_type"] != "ps_id" or rng.random() < 0.2 else "",
            self._national_id(p["national_id"], p["id_type"]),
            self._phone(p["phone"]),
            self._phone(p["phone_alt"]),
            p["email"],
            self._education(p["education"]),
            self._choice("employment", p["employment"]),
            self._choice("displacement", p["displacement"]),
            rng.choice(["نعم", "yes", "1"]) if p["has_disability"] else rng.choice(["", "لا", "", "0"]),
            "نعم" if p["war_injured"] else "",
            self._governorate(p["governorate"]),
            p["locality"],
            p["address"],
        ]

    def _gender(self, gender: str) -> str:
        forms = {"male": ["ذكر", "ذكر", "ذكر", "M", "male"], "female": ["أنثى", "انثى", "أنثى", "F", "female"]}
        return self.rng.choice(forms[gender])

    def _date(self, value):
        if value is None:
            return ""
        kind = self.rng.random()
        if kind < 0.7:
            return datetime.datetime(value.year, value.month, value.day)  # a date cell
        if kind < 0.9:
            return value.strftime("%d/%m/%Y")
        return value.isoformat()

    def _choice(self, name: str, value: str) -> str:
        if not value:
            return ""
        return value if self.rng.random() < 0.15 else self.labels[name][value]

    def _education(self, value: str) -> str:
        words = {"university": ["جامعي", "بكالوريوس"], "institute": ["دبلوم"], "secondary": ["توجيهي", "ثانوي"], "none": ["أمي"]}
        if value in words and self.rng.random() < 0.5:
            return self.rng.choice(words[value])
        return self._choice("education", value)

    def _national_id(self, value: str, id_type: str):
        if not value:
            return ""
        kind = self.rng.random()
        if value.isdigit() and kind < 0.6:
            return int(value)  # typed as a number: Excel keeps it as one (leading zeros would be lost; these have none)
        if kind < 0.65:
            return value.translate(ARABIC_INDIC)
        if kind < 0.7 and id_type == "ps_id":
            return f"{value[:3]} {value[3:6]} {value[6:]}"
        return value

    def _phone(self, e164: str):
        if not e164:
            return ""
        national = e164[4:]  # +970…, +963…, +967…
        kind = self.rng.random()
        if kind < 0.35:
            return "0" + national
        if kind < 0.5:
            return e164
        if kind < 0.6:
            return f"0{national[:2]} {national[2:5]} {national[5:]}"
        if kind < 0.7:
            return ("0" + national).translate(ARABIC_INDIC)
        if kind < 0.8:
            return "00" + e164[1:]
        if kind < 0.9:
            return int(national)  # typed as a number: Excel dropped the leading 0
        return f"{e164[:4]} {national[:2]}-{national[2:5]}-{national[5:]}"

    def _governorate(self, code: str):
        if not code:
            return ""
        kind = self.rng.random()
        if kind < 0.6:
            return self.arabic_governorate[code]
        if kind < 0.7:
            return self.arabic_governorate[code].replace("أ", "ا").replace("إ", "ا")
        if kind < 0.8:
            return code
        if kind < 0.9:
            return code.split("-")[1]
        return self.english_governorate[code]

    def spoil(self, row: list) -> list:
        """The row with one mistake a person makes: a phone too short, an ID whose check digit fails, an impossible date."""
        row = list(row)
        mistake = self.rng.choice(["phone", "phone", "id", "id", "date"])
        if mistake == "phone":
            national = str(self.rng.randrange(10**8, 10**9))
            row[10] = self.rng.choice(["0" + national[:3], "0" + national + "12345", "لا يوجد"])  # too short, too long, not a number
        elif mistake == "id":
            nid = self.g._national_id("ps_id")
            row[8], row[9] = "", nid[:-1] + str((int(nid[-1]) + 1) % 10)
        else:
            row[7] = "31/02/1990"
        return row


def _generator(seed: int):
    """generate_data's person maker, set up as its command does, without its database work."""
    from django.utils import timezone

    from shubbak.registry.management.commands import generate_data as gd

    g = gd.Command()
    g.rng = random.Random(seed)
    g.speller = gd.Speller(g.rng)
    g.male, g.female = gd.NameBook(gd._entries(gd.MALE), 0.9), gd.NameBook(gd._entries(gd.FEMALE), 0.85)
    g.families = {c: gd.NameBook(gd._entries(t), 0.7) for c, t in (("PS", gd.FAMILY_PS), ("SY", gd.FAMILY_SY), ("YE", gd.FAMILY_YE))}
    g.families_latin = {k: v for book in g.families.values() for k, v in book.latin.items()}
    g.used_ids = set()
    g.streets = gd.STREETS.split()
    g.today = timezone.localdate()
    return g


def prepare(args, workdir: Path) -> list[dict]:
    """An organisation per format, each with its admin and existing people, and the sheet to import into it."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from shubbak.accounts.models import User
    from shubbak.organisations.models import Membership, Network, Organisation
    from shubbak.registry.management.commands.generate_data import BulkInsert
    from shubbak.registry.models import Person

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    generator = _generator(args.seed)
    sheet = Sheet(generator, rng)
    tag = f"{int(time.time())}-{os.getpid()}"
    network, _ = Network.objects.get_or_create(
        slug="imports-bench", defaults={"name_ar": "شبكة قياس الاستيراد", "name_en": "Import benchmark", "kind": Network.Kind.HELPDESK}
    )
    template = Organisation(country="PS", governorate="PS-NBS", id=0)
    started = time.monotonic()
    existing = [generator._person(template, 0) for _ in range(args.existing)]
    for n, person in enumerate(existing):
        del person["id"]
        person["external_id"] = f"REF-{n:07d}" if n % 2 == 0 else ""  # half came from an earlier import, half were typed in
    print(f"generated {len(existing):,} existing people in {time.monotonic() - started:.1f} s")

    rows, kinds = [HEADERS], {"new": 0, "existing unchanged": 0, "existing changed": 0, "repeat": 0, "bad": 0}
    picked = rng.sample(range(len(existing)), k=min(len(existing), int(args.rows * EXISTING_SHARE)))
    existing_rows = set(rng.sample(range(args.rows), k=len(picked)))
    picks = iter(picked)
    for n in range(args.rows):
        if n in existing_rows:
            index = next(picks)
            person = dict(existing[index])
            external = person["external_id"] or f"REF-{index:07d}"
            if rng.random() < 0.5:
                person["employment"] = rng.choice(["employed", "self_employed", "job_seeker", "student"])
                person["locality"] = person["locality"] + " الجديدة"
                kinds["existing changed"] += 1
            else:
                kinds["existing unchanged"] += 1
            row = sheet.row(person, external)
        elif n > 100 and rng.random() < REPEAT_SHARE:
            row = list(rows[rng.randrange(1, len(rows))])  # the same person twice in one file
            kinds["repeat"] += 1
        else:
            row = sheet.row(generator._person(template, 0), f"REF-{1_000_000 + n:07d}")
            kinds["new"] += 1
        if rng.random() < BAD_SHARE:
            row = sheet.spoil(row)
            kinds["bad"] += 1
        rows.append(row)
    print("sheet rows: " + ", ".join(f"{k} {v:,}" for k, v in kinds.items()))

    runs = []
    for file_format in args.formats:
        path = workdir / f"people.{file_format}"
        started = time.monotonic()
        if file_format == "csv":
            _write_csv(path, rows)
        else:
            (_write_xlsx_openpyxl if args.xlsx_writer == "openpyxl" else _write_xlsx)(path, rows)
        print(f"{file_format}: {path.stat().st_size / 1048576:.1f} MB file written in {time.monotonic() - started:.1f} s")
        for attempt in range(1, args.runs + 1):
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    network=network,
                    slug=f"imports-bench-{file_format}-{tag}-{attempt}",
                    kind=Organisation.Kind.CHAMBER,
                    country="PS",
                    governorate="PS-NBS",
                    name_ar=f"منظمة قياس الاستيراد {file_format} {attempt}",
                )
                admin = User.objects.create(email=f"imports-bench-{file_format}-{tag}-{attempt}@shubbak.example", full_name="مسؤول القياس")
                Membership.objects.create(user=admin, organisation=organisation, role=Membership.Role.ORG_ADMIN)
                insert = BulkInsert(Person)
                for start in range(0, len(existing), 5000):
                    insert([p | {"organisation_id": organisation.pk} for p in existing[start : start + 5000]])
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"{file_format}: organisation {organisation.slug} with {len(existing):,} people")
            runs.append({"format": file_format, "organisation": organisation.pk, "admin": admin.pk, "path": str(path)})
    return runs


def _write_xlsx(path: Path, rows: list[list]) -> None:
    """An XLSX as Excel saves one: text in a shared-strings table, a <dimension>, row spans, no cell for an empty value,
    whole numbers as numbers and dates as day numbers with a date style."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel

    letters = [get_column_letter(i) for i in range(1, max(len(r) for r in rows) + 1)]
    strings: dict[str, int] = {}
    references = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in EXCEL_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as xml:
            xml.write(f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><dimension ref="A1:{letters[-1]}{len(rows)}"/>'
                      '<sheetViews><sheetView rightToLeft="1" workbookViewId="0"/></sheetViews>'
                      '<sheetFormatPr defaultRowHeight="15"/><sheetData>')  # fmt: skip
            for number, row in enumerate(rows, 1):
                cells = []
                for letter, value in zip(letters, row):
                    if value == "" or value is None:
                        continue
                    if isinstance(value, datetime.datetime):
                        cells.append(f'<c r="{letter}{number}" s="1"><v>{to_excel(value):g}</v></c>')
                    elif isinstance(value, int):
                        cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
                    else:
                        index = strings.setdefault(value, len(strings))
                        references += 1
                        cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
                xml.write(f'<row r="{number}" spans="1:{len(letters)}">{"".join(cells)}</row>')
            xml.write('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
        with archive.open("xl/sharedStrings.xml", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as xml:
            xml.write(f'{XML_HEAD}<sst xmlns="{MAIN_NS}" count="{references}" uniqueCount="{len(strings)}">')
            for text in strings:
                space = ' xml:space="preserve"' if text != text.strip() else ""
                xml.write(f"<si><t{space}>{escape(text)}</t></si>")
            xml.write("</sst>")


def _write_xlsx_openpyxl(path: Path, rows: list[list]) -> None:
    """An XLSX as openpyxl's normal Workbook saves one (3.1: inline strings, a cell for every value, even empty)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell in sheet["H"][1:]:  # birth dates: a date format, not date and time
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd"
    workbook.save(path)


def _write_csv(path: Path, rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        for row in rows:
            writer.writerow([v.date().isoformat() if isinstance(v, datetime.datetime) else v for v in row])


# --- One import, in its own process -------------------------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, not ru_maxrss: that one keeps the parent's peak across exec."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reader_peak_mb() -> float:
    """The peak resident memory of the import's reader process (0 if none ran): of all this process's children that
    ended, the largest. Forked without exec, so it is the reader's own VmHWM."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def import_once(run: dict) -> dict:
    """Upload, map and run one import as the job does; what it did, how fast, and the peak memory of this process and
    of the import's reader process."""
    from django.conf import settings
    from django.core.files.uploadedfile import UploadedFile

    from shubbak.accounts.models import User
    from shubbak.audit.models import AuditEntry
    from shubbak.imports import services
    from shubbak.imports.fields import guess_mapping
    from shubbak.organisations.models import Organisation

    settings.IMPORT_READER_PROCESS = not run.get("in_process")
    base_mb = peak_mb()
    organisation = Organisation.objects.get(pk=run["organisation"])
    admin = User.objects.get(pk=run["admin"])
    path = Path(run["path"])
    started = time.perf_counter()
    with open(path, "rb") as file:
        upload = UploadedFile(file=file, name=path.name, size=path.stat().st_size)  # streamed from disk, as a large upload is
        job = services.import_upload(actor=admin, organisation=organisation, kind="people", upload=upload)
    mapping = guess_mapping("people", job.headers)
    services.import_map(actor=admin, job=job, mapping=mapping)
    upload_seconds = time.perf_counter() - started
    job.refresh_from_db()
    job = type(job).objects.select_related("organisation__network", "created_by").get(pk=job.pk)
    started, cpu, reader_cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    services.import_file(job)
    seconds = time.perf_counter() - started
    cpu, reader_cpu = cpu_seconds(resource.RUSAGE_SELF) - cpu, cpu_seconds(resource.RUSAGE_CHILDREN) - reader_cpu
    job.refresh_from_db()
    audited = AuditEntry.objects.filter(changes__import_job=[None, job.pk]).count() if run.get("check_audit") else None
    return {
        "status": job.status,
        "rows": job.processed_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "failed": job.failed_count,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "reader_cpu_seconds": reader_cpu,
        "upload_seconds": upload_seconds,
        "mapped": len(mapping),
        "audit_entries": audited,
        "base_mb": base_mb,
        "peak_mb": peak_mb(),
        "reader_peak_mb": reader_peak_mb(),
        "message": job.message,
    }


def _child(run: dict, workdir: Path) -> dict:
    command = [sys.executable, __file__, "--child", json.dumps(run), "--workdir", str(workdir)]
    if run.get("profile"):
        command += ["--profile", run["profile"]]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode:
        sys.exit(f"the import process failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=50_000, help="people the organisation already has")
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="first and repeat imports per format, each into a fresh organisation")
    parser.add_argument("--xlsx-writer", choices=["excel", "openpyxl"], default="excel", help="who writes the XLSX")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (files, and the SQLite database)")
    parser.add_argument("--profile", default="", help="write a cProfile (CPU time) of each first import to this path prefix")
    parser.add_argument("--in-process", action="store_true", help="read the file in the importing process, without a reader process")
    parser.add_argument("--workdir", default="", help=argparse.SUPPRESS)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.formats = [f.strip() for f in args.formats.split(",") if f.strip()]

    if args.child:
        _setup_django(Path(args.workdir))
        run = json.loads(args.child)
        if args.profile:
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU time: waiting for the reader (or for the machine) left out
            result = profiler.runcall(import_once, run)
            profiler.dump_stats(args.profile)
        else:
            result = import_once(run)
        print(json.dumps(result))
        return

    workdir = Path(tempfile.mkdtemp(prefix="shubbak-imports-bench-", dir="/tmp"))
    try:
        _setup_django(workdir)
        from django.db import connection

        version = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version
        print(f"database: {connection.vendor} {version}; work directory {workdir}")
        runs = prepare(args, workdir)
        connection.close()
        results = []
        for run in runs:
            for attempt in ("first", "repeat"):
                profile = f"{args.profile}-{run['format']}.prof" if args.profile and attempt == "first" else ""
                result = _child(run | {"check_audit": True, "profile": profile, "in_process": args.in_process}, workdir)
                results.append((run["format"], attempt, result))
                _show(run["format"], attempt, result)
        print("\nformat  import   rows/s    seconds  created  updated  unchanged  failed  peak MB (main + reader = sum)  audit entries")
        for file_format, attempt, r in results:
            print(f"{file_format:6}  {attempt:6}  {r['rows'] / r['seconds']:7,.0f}  {r['seconds']:9.1f}  {r['created']:7,}  "
                  f"{r['updated']:7,}  {r['unchanged']:9,}  {r['failed']:6,}  {_peaks(r):>28}  {r['audit_entries']:13,}")  # fmt: skip
        if args.runs > 1:
            print(f"\nover {args.runs} runs: median rows/s (lowest – highest), highest peak MB (sum)")
            for file_format in args.formats:
                for attempt in ("first", "repeat"):
                    mine = [r for f, a, r in results if (f, a) == (file_format, attempt)]
                    speeds = [r["rows"] / r["seconds"] for r in mine]
                    print(f"{file_format:6}  {attempt:6}  {statistics.median(speeds):7,.0f} ({min(speeds):,.0f} – {max(speeds):,.0f})  "
                          f"{max(r['peak_mb'] + r['reader_peak_mb'] for r in mine):5.0f} MB (main + reader)")  # fmt: skip
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _show(file_format: str, attempt: str, r: dict) -> None:
    print(f"{file_format} {attempt}: {r['status']}, {r['rows']:,} rows in {r['seconds']:.1f} s = {r['rows'] / r['seconds']:,.0f} rows/s "
          f"(upload and mapping {r['upload_seconds']:.1f} s, {r['mapped']} columns mapped; CPU {r['cpu_seconds']:.1f} s, reader "
          f"{r['reader_cpu_seconds']:.1f} s); created {r['created']:,}, updated "
          f"{r['updated']:,}, unchanged {r['unchanged']:,}, failed {r['failed']:,}; audit entries {r['audit_entries']:,}; "
          f"peak memory {r['peak_mb']:.0f} MB (after start-up {r['base_mb']:.0f} MB) + reader {r['reader_peak_mb']:.0f} MB = "
          f"{r['peak_mb'] + r['reader_peak_mb']:.0f} MB {r['message']}")  # fmt: skip


def _peaks(r: dict) -> str:
    return f"{r['peak_mb']:.0f} + {r['reader_peak_mb']:.0f} = {r['peak_mb'] + r['reader_peak_mb']:.0f}"


if __name__ == "__main__":
    main()
