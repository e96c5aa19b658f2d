"""Referral funnel benchmark: the coordinator's report per partner over a network with 1,000,000 referrals.

    .venv/bin/python bench/referrals.py [--referrals 1000000] [--runs 50] [--partners 200] [--experts 300] [--cases 200000]
                                        [--seed 1] [--keep] [--explain]

Uses DATABASE_URL (migrated first); without it, a new SQLite file under /tmp, never `shubbak.sqlite3` (deleted at the
end unless --keep). It reuses the helpdesk cases of the network with the most cases when `manage.py generate_data
--cases N` made them; otherwise it makes a network «bench-referrals» with ten chambers and `--cases` minimal cases (one
requested service each). It adds `--partners` partner organisations and `--experts` vetted experts to that network,
then bulk-inserts referrals until the network holds `--referrals` of them (a second run reuses them): spread over three
years, 80 % to partners (a few partners get most of them), 10 % to experts, 10 % to other chambers' desks; those
older than 60 days finished (completed, declined, no-show, cancelled) or still in progress, those of the last 60 days
more often in progress and 4 % of them unanswered past their date, those of the last 3 days mostly unanswered;
accepted a lognormal time after being sent (median about 20 hours). Generated rows bypass the services and the audit log on purpose.

Generated rows bypass the running counts too, so it then rebuilds them (`services.referral_tallies_rebuild`, timed)
and times, in process with DEBUG off, `selectors.partner_report` (what the page reads: the running counts, and the
referrals waiting too long) for the network manager (the whole network) and for one chamber's coordinator, `--runs`
times each after a warm-up, and prints the median, p95 and maximum in ms, with the number of SQL queries (the user's
access, computed again each run as on every request, is one of them). It also times the pages' other reads at this
size: the first page of the sender's list and of the partner portal (25 rows, and the capped total) and the reminder
job's search for unanswered referrals.
"""

import argparse
import datetime
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shubbak.settings")
os.environ.setdefault("DEBUG", "false")  # as in production: no query log kept in memory

TEMPORARY = None
if not os.environ.get("DATABASE_URL"):
    TEMPORARY = Path(tempfile.mkdtemp(prefix="shubbak-referrals-bench-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{TEMPORARY}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from shubbak.accounts.models import User  # noqa: E402
from shubbak.helpdesk.models import Case, CaseService, Service, ServiceCategory  # noqa: E402
from shubbak.organisations.models import Membership, Network, Organisation  # noqa: E402
from shubbak.pagination import CappedPaginator  # noqa: E402
from shubbak.referrals import selectors, services  # noqa: E402
from shubbak.referrals.models import Expert, Referral, ReferralTally  # noqa: E402
from shubbak.registry.management.commands.generate_data import RowWriter  # noqa: E402

BATCH = 20_000
YEARS = 3
Status = Referral.Status
OLD = [  # older than 60 days: an unanswered one was cancelled after the reminders
    (Status.COMPLETED, 50),
    (Status.DECLINED, 18),
    (Status.NO_SHOW, 9),
    (Status.CANCELLED, 15),
    (Status.IN_PROGRESS, 5),
    (Status.ACCEPTED, 3),
]  # fmt: skip
RECENT = [  # 3 to 60 days old: a few still unanswered after the reminders ("waiting too long")
    (Status.SENT, 4),
    (Status.ACCEPTED, 15),
    (Status.IN_PROGRESS, 30),
    (Status.COMPLETED, 25),
    (Status.DECLINED, 14),
    (Status.NO_SHOW, 5),
    (Status.CANCELLED, 7),
]  # fmt: skip
NEW = [  # sent in the last 3 days: mostly not answered yet
    (Status.SENT, 70),
    (Status.ACCEPTED, 20),
    (Status.DECLINED, 7),
    (Status.CANCELLED, 3),
]  # fmt: skip
ACCEPTED_FIRST = {Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW}


def say(text: str) -> None:
    print(text, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def timed(function, runs: int, warmup: int = 3) -> tuple[list[float], int, object]:
    """Milliseconds of each run, the SQL queries of one run, and the last result."""
    for _ in range(warmup):
        result = function()
    with CaptureQueriesContext(connection) as queries:
        function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, len(queries.captured_queries), result


def line(label: str, times: list[float], queries: int, extra: str = "") -> None:
    say(
        f"  {label:<46} median {statistics.median(times):7.1f}  p95 {percentile(times, 95):7.1f}  max {max(times):7.1f} ms"
        f"  ({queries} quer{'y' if queries == 1 else 'ies'}){extra}"
    )


# --- the network and its cases ----------------------------------------------------------------------------------


def network_with_cases() -> tuple[Network, list[Organisation]]:
    """The network with the most helpdesk cases, or a generated one with ten chambers."""
    busiest = Case.objects.order_by().values("organisation__network").annotate(n=Count("id")).order_by("-n").first()
    if busiest:
        network = Network.objects.get(pk=busiest["organisation__network"])
        senders = list(Organisation.objects.filter(network=network, cases__isnull=False).distinct().order_by("id"))
        say(f"Reusing network «{network.slug}»: {busiest['n']:,} cases in {len(senders)} organisations")
        return network, senders
    network, _ = Network.objects.get_or_create(
        slug="bench-referrals", defaults={"name_ar": "شبكة اختبار الإحالات", "name_en": "Referral benchmark network", "kind": "helpdesk"}
    )
    senders = []
    for i in range(1, 11):
        names = {"name_ar": f"غرفة تجارة {i}", "name_en": f"Chamber {i}"}
        defaults = {"network": network, "kind": "chamber", "governorate": "PS-NBS", **names}
        senders.append(Organisation.objects.get_or_create(slug=f"bench-referrals-{i:02d}", defaults=defaults)[0])
    return network, senders


def catalogue(network: Network) -> list[Service]:
    found = list(Service.objects.filter(network=network, is_active=True))
    if found:
        return found
    category = ServiceCategory.objects.create(network=network, name_ar="الوصول إلى التمويل", name_en="Access to finance")
    return [
        Service.objects.create(network=network, category=category, code=f"bench-{i}", name_ar=f"خدمة {i}", name_en=f"Service {i}")
        for i in range(1, 6)
    ]


def case_services(network: Network, senders: list[Organisation], wanted: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """(case id, case service id, organisation id) of the network's requested services; minimal cases made if none."""
    found = list(
        CaseService.objects.filter(case__organisation__network=network).values_list("case_id", "id", "case__organisation_id")[:wanted]
    )
    if found:
        return found
    offered = catalogue(network)
    say(f"Making {wanted:,} minimal cases with one requested service each")
    started = time.monotonic()
    now = timezone.now()
    for start in range(0, wanted, 5000):
        cases = Case.objects.bulk_create(
            [
                Case(
                    organisation=senders[rng.randrange(len(senders))],
                    subject="طلب خدمة",
                    status=Case.Status.IN_PROGRESS,
                    created_at=now - datetime.timedelta(days=rng.random() * 365 * YEARS),
                )
                for _ in range(min(5000, wanted - start))
            ]
        )
        CaseService.objects.bulk_create([CaseService(case=c, service=offered[rng.randrange(len(offered))]) for c in cases])
    say(f"  {wanted:,} cases in {time.monotonic() - started:.1f} s")
    return list(CaseService.objects.filter(case__organisation__network=network).values_list("case_id", "id", "case__organisation_id"))


def partners_and_experts(network: Network, senders: list[Organisation], partners: int, experts: int) -> tuple[list, list]:
    kinds = ["lender", "training_provider", "ngo", "fund", "government"]
    orgs = []
    for i in range(1, partners + 1):
        org, _ = Organisation.objects.get_or_create(
            slug=f"bench-partner-{i:03d}",
            defaults={"network": network, "kind": kinds[i % len(kinds)], "name_ar": f"شريك {i}", "name_en": f"Partner {i}"},
        )
        orgs.append(org)
    keeper = senders[0]
    have = list(Expert.objects.filter(network=network, full_name__startswith="خبير اختبار").order_by("id"))
    Expert.objects.bulk_create(
        [
            Expert(
                network=network,
                organisation=keeper,
                full_name=f"خبير اختبار {i}",
                gender=("male", "female")[i % 2],
                vetting="vetted",
            )
            for i in range(len(have) + 1, experts + 1)
        ]
    )
    return orgs, list(Expert.objects.filter(network=network, full_name__startswith="خبير اختبار").order_by("id"))


# --- the referrals ----------------------------------------------------------------------------------------------


def moment(value: datetime.datetime | None, postgres: bool) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%d %H:%M:%S") + ("+00" if postgres else "")


def pick(weighted, rng: random.Random):
    total = sum(w for _v, w in weighted)
    roll = rng.random() * total
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


def fill(network, senders, wanted: int, cases: list, partners: list, experts: list, rng: random.Random) -> None:
    """Bulk-insert referrals until the network holds `wanted`."""
    have = Referral.objects.filter(from_organisation__network=network).count()
    if have >= wanted:
        say(f"The network already holds {have:,} referrals")
        return False
    count = wanted - have
    postgres = connection.vendor == "postgresql"
    fields = [f for f in Referral._meta.concrete_fields if not f.primary_key]
    made = {
        "case_id", "case_service_id", "from_organisation_id", "kind", "to_organisation_id", "expert_id", "status", "shared_fields",
        "shared", "note", "sent_at", "respond_by", "accepted_at", "declined_at", "started_at", "finished_at", "link_key",
        "link_expires_at",
    }  # fmt: skip
    columns = [f.column for f in fields]
    defaults = {f.column: f.get_db_prep_save(f.get_default(), connection) for f in fields if f.column not in made}
    writer = RowWriter(Referral, columns)
    weights = [1 / (k + 1) ** 0.8 for k in range(len(partners))]  # a few partners receive most referrals
    cumulative = []
    running = 0.0
    for w in weights:
        running += w
        cumulative.append(running)
    desks = [o.pk for o in senders]
    shared_fields = '["gender", "age", "governorate", "request"]'
    shared = '{"gender": "female", "age": 27, "governorate": "PS-NBS", "request": {"service": "", "subject": "طلب", "description": ""}}'
    now = timezone.now().replace(microsecond=0)
    span = YEARS * 365 * 86400
    say(f"Inserting {count:,} referrals ({connection.vendor})")
    started = time.monotonic()
    done = 0
    with transaction.atomic():
        while done < count:
            rows = []
            for _ in range(min(BATCH, count - done)):
                case_id, case_service_id, sender = cases[rng.randrange(len(cases))]
                sent = now - datetime.timedelta(seconds=rng.randrange(span))
                age = (now - sent).days
                status = pick(OLD if age > 60 else RECENT if age >= 3 else NEW, rng)
                roll = rng.random()
                to_org = expert = None
                if roll < 0.8:
                    kind = "partner"
                    to_org = partners[min(len(partners) - 1, _bisect(cumulative, rng.random() * running))].pk
                elif roll < 0.9:
                    kind = "expert"
                    expert = experts[rng.randrange(len(experts))].pk
                else:
                    kind = "desk"
                    to_org = desks[rng.randrange(len(desks))]
                    if to_org == sender:
                        to_org = desks[(desks.index(sender) + 1) % len(desks)]
                accepted = declined = started_at = finished = None
                after_accept = status in ACCEPTED_FIRST or (status in (Status.DECLINED, Status.CANCELLED) and rng.random() < 0.2)
                if after_accept:
                    accepted = min(now, sent + datetime.timedelta(hours=min(24 * 60, 20 * math.exp(rng.gauss(0, 1.1)))))
                if status == Status.DECLINED:
                    declined = min(now, (accepted or sent) + datetime.timedelta(hours=rng.uniform(1, 72)))
                if status in (Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW) and accepted:
                    started_at = min(now, accepted + datetime.timedelta(days=rng.uniform(0, 10)))
                if status in (Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED):
                    finished = min(now, (started_at or accepted or sent) + datetime.timedelta(days=rng.uniform(0, 30)))
                values = {
                    "case_id": case_id, "case_service_id": case_service_id, "from_organisation_id": sender, "kind": kind,
                    "to_organisation_id": to_org, "expert_id": expert, "status": status, "shared_fields": shared_fields,
                    "shared": shared, "note": "", "sent_at": moment(sent, postgres),
                    "respond_by": moment(sent + datetime.timedelta(days=3), postgres), "accepted_at": moment(accepted, postgres),
                    "declined_at": moment(declined, postgres), "started_at": moment(started_at, postgres),
                    "finished_at": moment(finished, postgres), "link_key": f"bench{rng.getrandbits(96):024x}",
                    "link_expires_at": moment(sent + datetime.timedelta(days=30), postgres),
                }  # fmt: skip
                rows.append(tuple(values[c] if c in values else defaults[c] for c in columns))
            writer(rows)
            done += len(rows)
            if done % 200_000 == 0 or done == count:
                say(f"  {done:,}/{count:,} ({time.monotonic() - started:.1f} s)")
    say(f"Inserted in {time.monotonic() - started:.1f} s; updating the planner's statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) referrals_referral")  # the visibility map, for index-only scans
    return True


def _bisect(cumulative: list[float], value: float) -> int:
    import bisect

    return bisect.bisect_left(cumulative, value)


# --- who reads --------------------------------------------------------------------------------------------------


def member(email: str, organisation: Organisation, role: str) -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=None, full_name=email.split("@")[0])
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    return user


def fresh(user: User) -> User:
    """The user as a new request gets her: access computed again (one query, like every page)."""
    user.__dict__.pop("_shubbak_access", None)
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--partners", type=int, default=200)
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--cases", type=int, default=200_000, help="Minimal cases to make when the network has none.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary SQLite file.")
    parser.add_argument("--explain", action="store_true", help="Print the database's plan of the report's query.")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    say(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    network, senders = network_with_cases()
    partners, experts = partners_and_experts(network, senders, args.partners, args.experts)
    cases = case_services(network, senders, args.cases, rng)
    filled = fill(network, senders, args.referrals, cases, partners, experts, rng)
    if filled or not ReferralTally.objects.filter(from_organisation__network=network).exists():
        started = time.monotonic()
        made = services.referral_tallies_rebuild(organisation_ids=[o.pk for o in senders])
        say(f"Running counts of the report rebuilt from the referrals: {made:,} rows in {time.monotonic() - started:.1f} s")

    manager = member("bench-referrals@shubbak.example", senders[0], Membership.Role.NETWORK_MANAGER)
    coordinator = member("bench-referrals-coordinator@shubbak.example", senders[1], Membership.Role.COORDINATOR)
    busiest = partners[0]
    partner_staff = member("bench-referrals-partner@shubbak.example", busiest, Membership.Role.PARTNER_STAFF)
    total = Referral.objects.filter(from_organisation__network=network).count()
    own = Referral.objects.filter(from_organisation=senders[1]).count()
    say(f"\n{total:,} referrals in the network; {own:,} sent by {senders[1].slug}; {busiest.slug} received the most")

    say(f"\nFunnel report per partner ({args.runs} runs after 3 warm-ups; times in ms):")
    times, queries, rows = timed(lambda: selectors.partner_report(user=fresh(manager)), args.runs)
    line("network manager, whole network", times, queries, f", {len(rows)} rows")
    times, queries, rows = timed(lambda: selectors.partner_report(user=fresh(coordinator)), args.runs)
    line(f"coordinator of {senders[1].slug}", times, queries, f", {len(rows)} rows")
    top = max(selectors.partner_report(user=fresh(manager)), key=lambda r: r["sent"])
    say(
        f"  busiest receiver: {top['name']} — sent {top['sent']:,}, accepted {top['accepted']:,}, declined {top['declined']:,}, "
        f"completed {top['completed']:,}, median time to accept {top['median_accept_hours']} h, waiting {top['waiting']:,}"
    )

    say("\nThe pages' other reads at this size:")

    def first_page(queryset):
        page = CappedPaginator(queryset, 25).get_page(1)
        return len(list(page)), page.paginator.count

    times, queries, _ = timed(lambda: first_page(selectors.sent_list(user=fresh(manager))), args.runs)
    line("sent list, first page + capped total (manager)", times, queries)
    times, queries, _ = timed(lambda: first_page(selectors.sent_list(user=fresh(manager), filters={"waiting": True})), args.runs)
    line("sent list, waiting too long (manager)", times, queries)
    times, queries, _ = timed(lambda: first_page(selectors.received_list(user=fresh(partner_staff))), args.runs)
    line(f"partner portal of {busiest.slug}", times, queries)
    now = timezone.now()
    times, queries, _ = timed(
        lambda: list(Referral.objects.filter(services.waiting_q(now)).order_by("respond_by").values_list("id", flat=True)[:1000]),
        args.runs,
    )
    line("reminder job: first 1,000 unanswered", times, queries)

    if args.explain:
        say("\nPlans of the report's queries (network manager):")
        with CaptureQueriesContext(connection) as captured:
            selectors.partner_report(user=fresh(manager))
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
        for query in captured.captured_queries[-2:]:
            say("  " + query["sql"][:160] + " …")
            with connection.cursor() as cursor:
                cursor.execute(explain + query["sql"])
                for row in cursor.fetchall():
                    say("    " + " ".join(str(v) for v in row))

    if TEMPORARY and not args.keep:
        connection.close()
        for path in TEMPORARY.parent.glob("*"):
            path.unlink()
        TEMPORARY.parent.rmdir()


if __name__ == "__main__":
    main()
