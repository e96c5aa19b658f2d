"""Public form benchmark: the HTML request form posted by 8 concurrent clients for 20 s to gunicorn with 2 workers.

    .venv/bin/python bench/public_form.py [--clients 8] [--seconds 20] [--workers 2] [--cases 1000000] [--fresh] [--warmup 3]
                                          [--conn-max-age 60]

The database is the SQLite file /tmp/shubbak-public-bench.sqlite3 unless DATABASE_URL is set. On SQLite the workers
keep their connection --conn-max-age seconds (60, as the settings do; a new SQLite connection costs a post some 3 ms
of CPU: --conn-max-age 0 measures that). On the first run it is migrated and filled by `manage.py generate_data
--cases N --organisations 50 --seed 1` (the generated organisations get desks, staff and the default service
catalogue); later runs reuse it (each run adds its posts as new cases of --organisation), and --fresh builds it again
(SQLite only).
PostgreSQL:

    createdb -h 127.0.0.1 -U postgres -E UTF8 -l C.UTF-8 -T template0 shubbak_public_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shubbak_public_bench .venv/bin/python bench/public_form.py
    dropdb -h 127.0.0.1 -U postgres shubbak_public_bench

gunicorn runs `shubbak.wsgi` with DEBUG off and PUBLIC_REQUEST_RATE lifted (every client posts from 127.0.0.1, far
above the per-address limit a real form keeps). Each client GETs the form once (the CSRF cookie and token), then posts
it again and again with a new submission id each time: a new person most of the time, and for --existing of the posts
a person already in the organisation's registry (her phone and her three names, or her ID number), which the duplicate
check must link instead of registering again; a third of the posts give an e-mail (the receipt is queued as a job). Every
post is the whole intake: duplicate check, person (and enterprise, owner), consents, case, requested services, timeline,
audit entries, the coordinators' notifications, the signed cookie for the page after sending. The first --warmup
seconds are not counted (each worker loads what its first requests need). Afterwards the cases are counted in the
database, and the links to existing people checked. The workers' CPU time per post (from /proc) says what two
otherwise idle cores could serve. Each worker's resident memory (VmRSS, and its peak VmHWM) is read from /proc.
"""

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "/tmp/shubbak-public-bench.sqlite3"
TARGET_RATE = 150  # requests per second sustained (issue 4)
TARGET_RSS_MB = 250  # per gunicorn worker
FIRST = ["سماح", "هبة", "أحمد", "محمد", "فاطمة", "يوسف", "رنا", "خالد", "مريم", "إبراهيم", "نور", "عمر", "ليلى", "سامر"]
FATHER = ["خليل", "محمود", "عبد الله", "حسن", "إسماعيل", "سليمان", "جمال", "نبيل", "عادل", "رياض"]
FAMILY = ["الجعبري", "التميمي", "النتشة", "القواسمي", "أبو سنينة", "الشريف", "عودة", "حمدان", "الخطيب", "قاسم", "البرغوثي"]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of posting before the measured run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases the generated database holds")
    parser.add_argument("--organisation", default="bench-001", help="the organisation whose form is posted (slug)")
    parser.add_argument("--existing", type=float, default=0.25, help="share of posts for people already registered")
    parser.add_argument("--fresh", action="store_true", help="build the SQLite database again")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--conn-max-age", type=int, default=60, help="SQLite: seconds a worker keeps its connection")
    return parser.parse_args()


def environment(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        PUBLIC_REQUEST_RATE="1000000/h",  # every client is 127.0.0.1: the per-address limit is lifted for the run
        JOBS_FILE="/tmp/shubbak-public-bench-jobs.sqlite3",  # the e-mail receipts queue here, not in the project's queue
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(args, env) -> None:
    """Migrate and generate the data unless the database already holds the organisation with its catalogue."""
    if args.fresh and env["DATABASE_URL"].startswith("sqlite:"):
        for suffix in ("", "-wal", "-shm", ".intake-lock"):
            Path(DEFAULT_DATABASE + suffix).unlink(missing_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    check = (
        "from shubbak.helpdesk.models import Case, Service; from shubbak.organisations.models import Organisation as O; "
        f"o = O.objects.filter(slug={args.organisation!r}).first(); "
        "print(1 if o and Service.objects.filter(network=o.network_id, is_public=True).exists() and Case.objects.exists() else 0)"
    )
    ready = subprocess.run([*manage, "shell", "-c", check], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    if ready.stdout.strip().splitlines()[-1:] != ["1"]:  # (the shell may first say what it imported)
        print(f"Generating the data: generate_data --cases {args.cases} --organisations 50 --seed 1 …", flush=True)
        started = time.monotonic()
        command = [*manage, "generate_data", "--cases", str(args.cases), "--organisations", "50", "--seed", "1"]
        subprocess.run(command, env=env, check=True, cwd=ROOT)
        print(f"… generated in {time.monotonic() - started:.0f} s", flush=True)


def setup_django(env) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "JOBS_FILE")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shubbak.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def plan(args):
    """The organisation, its public services and desks, and people of its registry to post again."""
    from shubbak.helpdesk import selectors
    from shubbak.helpdesk.models import Case
    from shubbak.organisations.models import Desk, Organisation
    from shubbak.registry.models import Person

    organisation = Organisation.objects.get(slug=args.organisation)
    services = list(selectors.services_for(network_id=organisation.network_id, public_only=True).values_list("pk", flat=True))
    desks = list(Desk.objects.filter(organisation=organisation, is_active=True).values_list("pk", flat=True))
    known = list(
        Person.objects.filter(organisation=organisation, merged_into__isnull=True)
        .exclude(phone="")
        .exclude(father_name="")
        .order_by("?")
        .values("pk", "first_name", "father_name", "family_name", "gender", "phone", "id_type", "national_id", "governorate")[:2000]
    )
    before = {
        "cases": Case.objects.filter(organisation=organisation).count(),
        "people": Person.objects.filter(organisation=organisation).count(),
    }
    return organisation, services, desks, known, before


class Client(threading.Thread):
    """One browser: GETs the form once for the CSRF cookie and token, then posts it until the deadline."""

    def __init__(self, number, args, organisation, services, desks, known, start_at, deadline, governorates):
        super().__init__(daemon=True)
        self.number, self.args, self.slug = number, args, organisation.slug
        self.country = organisation.country
        self.services, self.desks, self.known, self.governorates = services, desks, known, governorates
        self.start_at, self.deadline = start_at, deadline
        self.rng = random.Random(args.seed * 100 + number)  # the same mix of answers each run
        self.fresh = random.SystemRandom()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.keys: list[str] = []
        self.warmup_keys: list[str] = []
        self.linked: list[tuple[str, int]] = []  # (submission key, pk of the known person posted)
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.sequence = 0

    def request(self, method: str, path: str, body: bytes | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=30)
        headers = {"Accept-Language": "ar", "Host": f"127.0.0.1:{self.args.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.args.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.body = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        connection.close()
        return response

    def answers(self) -> tuple[dict, int | None]:
        rng = self.rng
        self.sequence += 1
        known = rng.choice(self.known) if self.known and rng.random() < self.args.existing else None
        if known:
            person = {
                "first_name": known["first_name"],
                "father_name": known["father_name"],
                "family_name": known["family_name"],
                "gender": known["gender"],
                "phone": known["phone"],
                "governorate": known["governorate"] or rng.choice(self.governorates),
            }
            if known["national_id"] and rng.random() < 0.5:
                person.update(id_type=known["id_type"], national_id=known["national_id"])
        else:
            gender = rng.choice(["female", "male"])
            person = {
                "first_name": rng.choice(FIRST),
                "father_name": rng.choice(FATHER),
                "family_name": rng.choice(FAMILY),
                "gender": gender,
                "phone": f"056{self.fresh.randrange(10**7):07d}",  # a new number (a fresh random one each run)
                "governorate": rng.choice(self.governorates),
            }
        data = {
            "services": rng.sample(self.services, k=min(len(self.services), rng.choice([1, 1, 2, 3]))),
            **person,
            "email": f"client{self.number}-{self.sequence}@example.org" if rng.random() < 0.33 else "",
            "subject": rng.choice(["تسجيل مشغل خياطة", "أحتاج خطة عمل", "تمويل لتوسيع المخبز", "تسجيل علامة تجارية"]),
            "description": "أعمل من البيت مع ثلاث نساء من الحي، وأريد أن أبيع في السوق.\n<script>alert(1)</script>",
            "heard_from": rng.choice(["social", "friend", "chamber", "event"]),
            "campaign": "",
            "consent_data": "on",
            "submission": uuid.uuid4().hex,
            "website": "",
            "csrfmiddlewaretoken": self.token,
        }
        if rng.random() < 0.4:
            data.update(
                enterprise_name=f"مشغل {person['first_name']} {self.number}-{self.sequence}",
                enterprise_status="informal",
                legal_form="home_based",
            )
        if len(self.desks) > 1:
            data["desk"] = rng.choice(self.desks)
        return data, (known["pk"] if known else None)

    def run(self):
        path = f"/request/{self.slug}/"
        page = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or not match:
            self.errors[f"GET {page.status}"] = 1
            return
        self.token = match.group(1).decode()
        while time.monotonic() < self.start_at - self.args.warmup:
            time.sleep(0.001)
        while time.monotonic() < self.deadline:
            data, known_pk = self.answers()
            body = urlencode(data, doseq=True).encode()
            started = time.monotonic()
            try:
                response = self.request("POST", path, body)
            except OSError as exc:
                self.errors[type(exc).__name__] = self.errors.get(type(exc).__name__, 0) + 1
                continue
            elapsed = time.monotonic() - started
            if started < self.start_at:  # warming up: the workers load what their first requests need
                self.warmup_keys.append(data["submission"])
                continue
            if response.status == 302 and response.getheader("Location", "").endswith(f"/request/{self.slug}/sent/"):
                self.latencies.append(elapsed)
                self.keys.append(data["submission"])
                if known_pk:
                    self.linked.append((data["submission"], known_pk))
            else:
                label = str(response.status)
                self.errors[label] = self.errors.get(label, 0) + 1
                if self.errors[label] == 1:
                    print(f"  client {self.number}: {response.status} {response.body[:300]!r}", flush=True)


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            name, amount = line.split(":")
            values[name] = int(amount.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_backends() -> list[int]:
    """PostgreSQL: the server processes serving the workers' connections (the workers keep theirs, CONN_MAX_AGE)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    connection.close()
    return [pid for pid in pids if Path(f"/proc/{pid}/stat").exists()]  # (a server on this machine)


class MemorySampler(threading.Thread):
    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master, self.stop = master, threading.Event()
        self.peak: dict[int, tuple[int, int]] = {}

    def run(self):
        while not self.stop.is_set():
            for pid in worker_pids(self.master):
                try:
                    rss, hwm = memory(pid)
                except OSError:
                    continue
                old = self.peak.get(pid, (0, 0))
                self.peak[pid] = (max(old[0], rss), max(old[1], hwm))
            self.stop.wait(0.25)


def start_gunicorn(args, env) -> subprocess.Popen:
    log = open("/tmp/shubbak-public-bench-gunicorn.log", "w")  # noqa: SIM115 (kept open for the server's life)
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "shubbak.wsgi",
        "-w",
        str(args.workers),
        "-b",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        time.sleep(0.1)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
            connection.request("GET", f"/request/{args.organisation}/")
            status = connection.getresponse().status
            connection.close()
            if status == 200 and len(worker_pids(server.pid)) == args.workers:
                return server
        except OSError:
            continue
    server.terminate()
    raise SystemExit("gunicorn did not answer; see /tmp/shubbak-public-bench-gunicorn.log")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def verify(organisation, clients, before) -> dict:
    from shubbak.helpdesk.models import Case
    from shubbak.registry.models import Person

    keys = [key for c in clients for key in c.keys]
    found = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(Case.objects.filter(organisation=organisation, idempotency_key__in=chunk).values_list("idempotency_key", "person_id"))
    linked = [(key, pk) for c in clients for key, pk in c.linked]
    return {
        "posted": len(keys),
        "stored": len(found),
        "cases_added": Case.objects.filter(organisation=organisation).count() - before["cases"],
        "warmup_posts": sum(len(c.warmup_keys) for c in clients),
        "people_added": Person.objects.filter(organisation=organisation).count() - before["people"],
        "existing_posts": len(linked),
        "existing_linked": sum(1 for key, pk in linked if found.get(key) == pk),
    }


def main():
    args = arguments()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE}"
    if database_url.startswith("sqlite:") and "conn_max_age" not in database_url:
        database_url += ("&" if "?" in database_url else "?") + f"conn_max_age={args.conn_max_age}"
    env = environment(database_url)
    prepare(args, env)
    setup_django(env)
    from django.db import connection

    from shubbak import places

    organisation, services, desks, known, before = plan(args)
    governorates = [code for code, _name in places.governorate_choices(organisation.country)]
    connection.close()
    print(
        f"Database: {connection.vendor} ({database_url.split('@')[-1]}); organisation {organisation.slug} ({organisation.country}), "
        f"{before['cases']:,} cases and {before['people']:,} people in it, {len(services)} public services, {len(desks)} desk(s)"
    )
    print(
        f"gunicorn shubbak.wsgi -w {args.workers}, DEBUG off, PUBLIC_REQUEST_RATE=1000000/h for this run (all clients share 127.0.0.1); "
        f"{args.clients} clients for {args.seconds:.0f} s, {args.existing:.0%} of the posts for people already registered"
    )
    server = start_gunicorn(args, env)
    sampler = MemorySampler(server.pid)
    sampler.start()
    load_before = os.getloadavg()[0]
    try:
        start_at = time.monotonic() + 1.0 + args.warmup  # every client has its form and token by then, and has warmed up
        deadline = start_at + args.seconds
        clients = [Client(n, args, organisation, services, desks, known, start_at, deadline, governorates) for n in range(args.clients)]
        for client in clients:
            client.start()
        while time.monotonic() < start_at:
            time.sleep(0.001)
        workers = worker_pids(server.pid)
        cpu_before = {pid: cpu_seconds(pid) for pid in workers}
        backends = database_backends()
        backend_cpu_before = {pid: cpu_seconds(pid) for pid in backends}
        client_cpu_before = time.process_time()
        for client in clients:
            client.join()
        cpu_used = sum(cpu_seconds(pid) - cpu_before[pid] for pid in workers)
        backend_cpu = sum(cpu_seconds(pid) - backend_cpu_before[pid] for pid in backends if Path(f"/proc/{pid}/stat").exists())
        client_cpu = time.process_time() - client_cpu_before
        elapsed = max(deadline, time.monotonic()) - start_at
    finally:
        sampler.stop.set()
        sampler.join()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    load_after = os.getloadavg()[0]

    latencies = [x for c in clients for x in c.latencies]
    errors: dict[str, int] = {}
    for c in clients:
        for label, count in c.errors.items():
            errors[label] = errors.get(label, 0) + count
    rate = len(latencies) / elapsed
    print(f"\nPosts answered 302 (case stored): {len(latencies):,} in {elapsed:.1f} s = {rate:.1f} requests/s (target ≥ {TARGET_RATE})")
    if latencies:
        print(
            f"Latency: p50 {1000 * statistics.median(latencies):.1f} ms, p95 {1000 * percentile(latencies, 0.95):.1f} ms, "
            f"p99 {1000 * percentile(latencies, 0.99):.1f} ms, max {1000 * max(latencies):.1f} ms"
        )
    print(f"Errors: {sum(errors.values())} {errors if errors else ''}")
    for pid, (rss, hwm) in sorted(sampler.peak.items()):
        print(f"Worker {pid}: VmRSS peak {rss / 1024:.0f} MB, VmHWM {hwm / 1024:.0f} MB (target < {TARGET_RSS_MB} MB)")
    print(f"Load average (1 min) before {load_before:.1f}, after {load_after:.1f} (2 cores, shared with the clients)")
    if latencies:
        per_post = 1000 * cpu_used / len(latencies)
        per_client_post = 1000 * client_cpu / len(latencies)
        per_backend_post = 1000 * backend_cpu / len(latencies)
        in_postgres = f", {per_backend_post:.1f} ms in PostgreSQL ({len(backends)} backends)" if backends else ""
        print(
            f"CPU per post: {per_post:.1f} ms in the workers (user + system, from /proc){in_postgres}, {per_client_post:.1f} ms in the "
            f"clients: two otherwise idle cores would serve about {2000 / (per_post + per_backend_post + per_client_post):.0f} posts/s"
            + (" (less PostgreSQL's own background work, not counted here)" if backends else "")
        )
    checked = verify(organisation, clients, before)
    print(
        f"In the database: {checked['stored']:,} of {checked['posted']:,} submissions stored as cases "
        f"({checked['cases_added']:,} cases added in all, {checked['warmup_posts']:,} of them while warming up); "
        f"{checked['people_added']:,} people registered; "
        f"{checked['existing_linked']:,} of {checked['existing_posts']:,} posts for registered people linked to them"
    )
    ok = (
        rate >= TARGET_RATE
        and not errors
        and checked["stored"] == checked["posted"]
        and all(hwm / 1024 < TARGET_RSS_MB for _rss, hwm in sampler.peak.values())
    )
    print("Target met." if ok else "Target NOT met.")


if __name__ == "__main__":
    main()
