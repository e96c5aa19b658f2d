"""Helpdesk benchmark: the staff queue, a case page with 50 timeline entries and the desk dashboard at 1,000,000 cases.

    .venv/bin/python bench/helpdesk.py [--requests 200] [--fresh] [--mode auto|pages|selectors|both] [--explain]

The database is the SQLite file /tmp/shubbak-helpdesk-bench.sqlite3 unless DATABASE_URL is set. On the first run it
is migrated and filled by `manage.py generate_data --cases 1000000 --organisations 50 --seed 1` (in a child process,
so that this one's memory is the pages' own); later runs reuse it, and --fresh builds it again (SQLite only).
PostgreSQL:

    createdb -h 127.0.0.1 -U postgres -E UTF8 -l C.UTF-8 -T template0 shubbak_helpdesk_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shubbak_helpdesk_bench .venv/bin/python bench/helpdesk.py

Requests go through Django's test client in this process, logged in as the coordinator of one generated organisation
(bench-001, one of the busiest) or one of its officers, with DEBUG off as in production. Each figure is over
--requests requests with varied parameters (search words, codes, filters) after a warm-up. The SQL queries of each
kind of request are counted on separate runs: the count must not depend on the rows shown. While the staff pages are
not written yet (they answer 404), the same reads are timed through the selectors (`--mode selectors`).
"""

import argparse
import cProfile
import datetime
import math
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "/tmp/shubbak-helpdesk-bench.sqlite3"
TARGETS = {"queue": 100.0, "case": 100.0, "dashboard": 150.0}  # p95, ms (issue 4)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per kind")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases the database should hold")
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--organisation", default="bench-001", help="the desk whose staff are logged in")
    parser.add_argument("--fresh", action="store_true", help="delete the SQLite file and generate it again")
    parser.add_argument("--mode", choices=["auto", "pages", "selectors", "both"], default="auto",
                        help="pages (test client), selectors (the reads behind them), or pages when they exist")  # fmt: skip
    parser.add_argument("--only", default="", help="comma-separated kinds to run (queue, case, dashboard)")
    parser.add_argument("--explain", action="store_true", help="print the query plans of one request of each kind")
    parser.add_argument("--profile", action="store_true", help="profile the timed requests and print where the time goes")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


ARGS = arguments()
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_DATABASE}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shubbak.settings")
os.environ.setdefault("DEBUG", "false")  # as in production: no query log kept in memory
os.environ.setdefault("JOBS", "immediate")
SQLITE_FILE = os.environ["DATABASE_URL"].removeprefix("sqlite:///") if os.environ["DATABASE_URL"].startswith("sqlite:") else ""


def manage(*args: str) -> None:
    """A manage.py command in a child process, its output shown as it comes."""
    print("$ manage.py " + " ".join(args), flush=True)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def prepare_database() -> None:
    if ARGS.fresh:
        if not SQLITE_FILE:
            sys.exit("--fresh only deletes a SQLite file; drop and create the PostgreSQL database yourself.")
        for suffix in ("", "-wal", "-shm"):
            Path(SQLITE_FILE + suffix).unlink(missing_ok=True)
    manage("migrate", "-v0")
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM helpdesk_case")
        (have,) = cursor.fetchone()
    connection.close()
    if have < ARGS.cases:
        manage("generate_data", "--cases", str(ARGS.cases - have), "--organisations", str(ARGS.organisations), "--seed", "1")


prepare_database()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from shubbak.accounts.models import User  # noqa: E402
from shubbak.helpdesk import selectors  # noqa: E402
from shubbak.helpdesk.models import Case, CaseEvent  # noqa: E402
from shubbak.organisations.models import Organisation  # noqa: E402
from shubbak.organisations.permissions import forget_access  # noqa: E402
from shubbak.pagination import CappedPaginator  # noqa: E402
from shubbak.registry.management.commands.generate_data import staff_email  # noqa: E402
from shubbak.registry.models import Person  # noqa: E402

PAGE = 25


# --- what is measured ---------------------------------------------------------------------------------------


class Scenario:
    """One kind of request: its page URLs (one per request, varied) and the same read through the selectors."""

    def __init__(self, kind: str, name: str, user, params: list[dict], page=None, read=None):
        self.kind, self.name, self.user, self.params, self.page, self.read = kind, name, user, params, page, read


def queue_url(params: dict) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items() if k != "view" or v != "open")
    return reverse("case_queue") + (f"?{query}" if query else "")


def queue_read(user, params: dict) -> int:
    """What the queue page reads: the capped total and one page of rows with their related records."""
    filters = {k: v for k, v in params.items() if k not in ("view", "page")}
    forget_access(user)  # a request starts without the user's access cached
    view = params.get("view", "open")
    qs = selectors.case_list(user=user, view=view, filters=filters)
    paginator = CappedPaginator(qs, PAGE, ids_first=view in selectors.BY_DUE_DATE)  # as the queue page does
    page = paginator.get_page(params.get("page", 1))
    rows = list(page.object_list)
    shown = [(c.organisation.name, c.desk and c.desk.name, c.assigned_to and c.assigned_to.full_name, c.client_name) for c in rows]
    return len(shown)


def case_read(user, params: dict) -> int:
    forget_access(user)
    case = selectors.case_get(user=user, pk=params["pk"])
    entries = selectors.timeline(case)
    list(case.services.select_related("service"))
    list(case.sessions.select_related("staff", "service"))
    list(case.attachments.all())
    return len(entries)


def dashboard_read(user, params: dict) -> int:
    forget_access(user)
    organisation_ids = [params["organisation"]]
    selectors.dashboard(organisation_ids=organisation_ids)
    return len(selectors.workload(organisation_ids=organisation_ids))


def scenarios(organisation: Organisation, coordinator, officer, rng: random.Random) -> list[Scenario]:
    n = ARGS.requests + ARGS.warmup
    cases = Case.objects.filter(organisation=organisation)
    statuses = list(Case.Status.values)
    priorities = Case.Priority.values
    people = list(
        Person.objects.filter(organisation=organisation, cases__isnull=False).order_by("?").values_list("first_name", "family_name")[:n]
    )
    top = cases.count()
    codes = [cases.order_by("id")[rng.randrange(top)].tracking_code for _ in range(min(n, 60))]
    codes = [codes[i % len(codes)] for i in range(n)]
    all_pages = min(math.ceil(top / PAGE), 1000 // PAGE)  # the paginator counts up to 1,000 rows
    long_cases = list(
        CaseEvent.objects.filter(case__organisation=organisation)
        .values("case")
        .annotate(n=Count("id"))
        .filter(n__gte=50)
        .order_by("case")
        .values_list("case", flat=True)[:20]
    )
    if not long_cases:
        sys.exit("No case with 50 timeline entries in this organisation: generate more cases.")
    views = ["open", "new", "due_soon", "waiting", "open"]
    q = [
        Scenario("queue", "queue: open cases (default view)", coordinator, [{"view": "open"}] * n),
        Scenario("queue", "queue: new / due soon / waiting ± channel", coordinator,
                 [{"view": views[i % len(views)], **({"channel": "web"} if i % 3 == 0 else {})} for i in range(n)]),
        Scenario("queue", "queue: mine (officer)", officer, [{"view": "mine"}] * n),
        Scenario("queue", "queue: overdue", coordinator, [{"view": "overdue"}] * n),
        Scenario("queue", "queue: all, status + priority", coordinator,
                 [{"view": "all", "status": statuses[i % len(statuses)], "priority": priorities[i % 4]} for i in range(n)]),
        Scenario("queue", "queue: search a client's name", coordinator,
                 [{"view": "all", "q": f"{first} {family}"} for first, family in (people * n)[:n]]),
        Scenario("queue", "queue: search a tracking code", coordinator, [{"view": "all", "q": code} for code in codes]),
        Scenario("queue", "queue: open, page 2", coordinator, [{"view": "open", "page": 2}] * n),
        Scenario("queue", f"queue: all, last page ({all_pages})", coordinator, [{"view": "all", "page": all_pages}] * n),
        Scenario("case", "case page, 50 timeline entries", coordinator, [{"pk": long_cases[i % len(long_cases)]} for i in range(n)]),
        Scenario("case", "case page, 50 entries (officer)", officer, [{"pk": long_cases[i % len(long_cases)]} for i in range(n)]),
        Scenario("dashboard", "desk dashboard", coordinator, [{"organisation": organisation.pk}] * n),
    ]  # fmt: skip
    for s in q:
        if s.kind == "queue":
            s.page, s.read = queue_url, queue_read
        elif s.kind == "case":
            s.page, s.read = (lambda p: reverse("case_detail", args=[p["pk"]])), case_read
        else:
            s.page, s.read = (lambda p: reverse("case_dashboard")), dashboard_read
    only = {k.strip() for k in ARGS.only.split(",") if k.strip()}
    return [s for s in q if not only or s.kind in only]


# --- measuring ----------------------------------------------------------------------------------------------


def percentiles(seconds: list[float]) -> dict[str, float]:
    values = sorted(s * 1000 for s in seconds)

    def rank(q):
        return values[max(0, math.ceil(q * len(values)) - 1)]

    return {"p50": statistics.median(values), "p95": rank(0.95), "p99": rank(0.99), "max": values[-1]}


def rss_mb() -> tuple[float, float]:
    """Resident memory now and at its peak, in MB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class PageRunner:
    def __init__(self):
        self.clients = {}

    def client(self, user) -> Client:
        if user.pk not in self.clients:
            client = Client()
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def __call__(self, scenario: Scenario, params: dict) -> int:
        response = self.client(scenario.user).get(scenario.page(params))
        if response.status_code != 200:
            raise RuntimeError(f"{scenario.page(params)} answered {response.status_code}")
        return len(response.content)


def read_runner(scenario: Scenario, params: dict) -> int:
    return scenario.read(scenario.user, params)


class SqlTimer:
    """The time spent in the database driver during a request (`connection.execute_wrapper`)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure(scenario: Scenario, run) -> dict:
    params = scenario.params
    for p in params[: ARGS.warmup]:
        run(scenario, p)
    times, sql, cpu = [], [], []
    for p in params[ARGS.warmup :]:
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started, cpu_started = time.perf_counter(), time.process_time()
            run(scenario, p)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        sql.append(timer.seconds)
    counts = set()
    for p in params[ARGS.warmup : ARGS.warmup + 12 : 3] + params[-3:]:  # different rows, same number of queries
        with CaptureQueriesContext(connection) as captured:
            run(scenario, p)
        counts.add(len(captured))
    reset_queries()
    in_sql, on_cpu = percentiles(sql), percentiles(cpu)
    return {"times": times, "queries": sorted(counts), **percentiles(times), "sql_p50": in_sql["p50"], "sql_p95": in_sql["p95"],
            "cpu_p50": on_cpu["p50"], "cpu_p95": on_cpu["p95"]}  # fmt: skip


def explain(scenario: Scenario, run) -> None:
    with CaptureQueriesContext(connection) as captured:
        run(scenario, scenario.params[ARGS.warmup])
    print(f"\n-- {scenario.name}: {len(captured)} queries")
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        runs = []
        with connection.cursor() as cursor:
            for _ in range(3):
                started = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                runs.append(time.perf_counter() - started)
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = [" " * (2 * (row[1] > 0)) + row[3] for row in cursor.fetchall()]
            else:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
        print(f"   [{statistics.median(runs) * 1000:.1f} ms] {sql[:400]}{' …' if len(sql) > 400 else ''}")
        for line in plan:
            print(f"      {line}")


def report(rows: list[tuple[str, str, dict]]) -> None:
    print(f"\n{'':46} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'SQL p50':>8} {'SQL p95':>8} {'CPU p50':>8} {'CPU p95':>8}"
          f" {'queries':>8}  target p95")  # fmt: skip
    for mode, name, r in rows:
        target = TARGETS[r["kind"]]
        verdict = "ok" if r["p95"] < target else "MISSED"
        queries = "/".join(str(c) for c in r["queries"])
        print(f"{mode + ' · ' + name:46} {len(r['times']):4} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {r['max']:7.1f}"
              f" {r['sql_p50']:8.1f} {r['sql_p95']:8.1f} {r['cpu_p50']:8.1f} {r['cpu_p95']:8.1f}"
              f" {queries:>8}  < {target:.0f} ms {verdict}")  # fmt: skip
    print("(times in ms, wall clock; SQL: the part spent in the database driver; CPU: this process's own processor time,\n"
          " which on SQLite is close to what the request takes on an idle machine, and leaves out a PostgreSQL server's work;\n"
          " queries: the counts seen over several requests of each kind, one number when constant)")  # fmt: skip


def main():
    rng = random.Random(ARGS.seed)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    organisation = Organisation.objects.get(slug=ARGS.organisation)
    coordinator = User.objects.get(email=staff_email(organisation.slug, "coordinator"))
    officer = User.objects.get(email=staff_email(organisation.slug, "officer", 1))
    vendor = connection.vendor
    version = (
        connection.Database.sqlite_version if vendor == "sqlite" else f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    )
    cases = Case.objects.filter(organisation=organisation)
    print(f"== Helpdesk benchmark, {timezone.now():%Y-%m-%d %H:%M} UTC, {vendor} {version}, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} ==")  # fmt: skip
    print(f"cases: {Case.objects.count():,} in {Case.objects.values('organisation').distinct().count()} organisations; "
          f"{organisation.slug}: {cases.count():,} cases, {cases.open().count():,} open, "
          f"{selectors.case_list(user=coordinator, view='overdue').count():,} overdue; "
          f"{coordinator.email} / {officer.email} ({cases.open().filter(assigned_to=officer).count()} open cases)")  # fmt: skip
    print(f"timeline entries: {CaseEvent.objects.count():,}")
    all_scenarios = scenarios(organisation, coordinator, officer, rng)
    pages = PageRunner()
    mode = ARGS.mode
    if mode == "auto":
        probe = pages.client(coordinator).get(reverse("case_queue"))
        mode = "pages" if probe.status_code == 200 else "selectors"
        print(f"staff queue page answers {probe.status_code}: timing the {mode}")
    modes = ["pages", "selectors"] if mode == "both" else [mode]
    rows = []
    for m in modes:
        run = pages if m == "pages" else read_runner
        for s in all_scenarios:
            if ARGS.explain:
                explain(s, run)
            if ARGS.profile:
                profiler = cProfile.Profile()
                profiler.enable()
            result = measure(s, run)
            if ARGS.profile:
                profiler.disable()
                print(f"\n-- profile of {s.name}")
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(r"shubbak/|sql/compiler|backends/utils|forms/(forms|boundfield|widgets)", 35)
                stats.sort_stats("tottime").print_stats(15)
            result["kind"] = s.kind
            rows.append((m, s.name, result))
            print(f"  {m} · {s.name}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms (SQL p50 {result['sql_p50']:.1f} ms), "
                  f"queries {result['queries']}", flush=True)  # fmt: skip
    report(rows)
    now, peak = rss_mb()
    print(f"resident memory of this process: {now:.0f} MB now, {peak:.0f} MB at its peak")
    print(f"finished {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
