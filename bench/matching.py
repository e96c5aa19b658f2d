"""Matching benchmark: ranked suggestions for a case's requested service in a big network, timed in process.

    .venv/bin/python bench/matching.py [--partners 200] [--experts 2000] [--offers 1000] [--referrals 20000]
                                       [--services 10] [--runs 200] [--seed 1]

Uses DATABASE_URL (migrated first); without it, a new SQLite file under /tmp, never `shubbak.sqlite3`. It builds one
network: a chamber with a desk and a client (a woman with an informal home business), `--partners` partner
organisations (lenders, funds, training centres, NGOs, government offices), `--offers` offers spread over them, each
with a realistic eligibility rule of 2 to 6 conditions (gender, age range, governorates, education, displacement,
disability or war injury, enterprise status, size, sector, employees, years in business, chamber membership; a third
of them with an «any» group), `--experts` experts on the roster (1 to 3 specialisations, 80 % vetted, 70 % available)
and `--referrals` earlier referrals to partners and experts over the last year (every status), so that load and
completion counts have rows to count. Records are written in bulk, without the services or the audit log: this is
synthetic benchmark data; do not point it at a database with real records.

It then times `matching.suggestions(case_service)` as the referral page calls it, DEBUG off: `--runs` calls (after a
few to warm up) for the busiest service (the one with the most offers) and for an ordinary one, and prints p50, p95
and the worst, with the number of offers and experts weighed and the queries per call. The target is under 50 ms.
"""

import argparse
import datetime
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shubbak.settings")
os.environ.setdefault("DEBUG", "false")  # as in production: no query log kept in memory
_TEMP = None
if not os.environ.get("DATABASE_URL"):
    _TEMP = tempfile.mkdtemp(prefix="bench-matching-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_TEMP}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from shubbak import eligibility, places  # noqa: E402
from shubbak.helpdesk.models import Case, CaseService, Service, ServiceCategory  # noqa: E402
from shubbak.organisations.models import Network, Organisation  # noqa: E402
from shubbak.referrals import matching  # noqa: E402
from shubbak.referrals.models import Expert, Offer, Referral  # noqa: E402
from shubbak.registry.models import Enterprise, Person  # noqa: E402

GOVERNORATES = [code for code in places.GOVERNORATES_AR if code.startswith("PS-")]
PARTNER_KINDS = ["lender", "lender", "fund", "training_provider", "training_provider", "ngo", "ngo", "government"]
PARTNER_WORDS = ["مؤسسة", "صندوق", "جمعية", "مركز", "بنك", "وزارة"]
PARTNER_NAMES = ["فاتن", "ريف", "أصالة", "الأمل", "النماء", "التنمية", "الشباب", "المرأة", "الإقراض", "الخير", "العون", "نهد"]
SERVICES = [
    ("small-loans", "قروض صغيرة", "Small loans"),
    ("business-plan", "خطة عمل", "Business plan"),
    ("registration", "تسجيل منشأة", "Business registration"),
    ("trademark", "تسجيل علامة تجارية", "Trademark registration"),
    ("marketing", "تسويق إلكتروني", "Online marketing"),
    ("legal", "استشارة قانونية", "Legal advice"),
    ("training-sales", "تدريب فن البيع", "Sales training"),
    ("bookkeeping", "مسك الدفاتر", "Bookkeeping"),
    ("grants", "منح صغيرة", "Small grants"),
    ("job-matching", "التوظيف", "Job matching"),
    ("export", "التصدير", "Export readiness"),
    ("feasibility", "دراسة جدوى", "Feasibility study"),
]
FINISHED_WEIGHTS = {
    Referral.Status.COMPLETED: 50,
    Referral.Status.DECLINED: 12,
    Referral.Status.NO_SHOW: 6,
    Referral.Status.CANCELLED: 4,
    Referral.Status.SENT: 8,
    Referral.Status.ACCEPTED: 8,
    Referral.Status.IN_PROGRESS: 12,
}


def condition(rng: random.Random) -> dict:
    """One realistic condition, as partners write them."""
    kind = rng.choice(
        ["gender", "age", "age", "governorate", "education", "displacement", "vulnerable", "status", "size", "sector",
         "employees", "years", "chamber"]
    )  # fmt: skip
    if kind == "gender":
        return {"field": "person.gender", "op": "eq", "value": rng.choice(["female", "female", "male"])}
    if kind == "age":
        low = rng.choice([16, 18, 18, 21])
        return {"field": "person.age", "op": "between", "value": [low, rng.choice([29, 30, 35, 40, 45])]}
    if kind == "governorate":
        return {"field": "person.governorate", "op": "in", "value": sorted(rng.sample(GOVERNORATES, rng.randint(1, 5)))}
    if kind == "education":
        return {"field": "person.education", "op": "in", "value": rng.sample(["university", "institute", "secondary", "dropout"], 2)}
    if kind == "displacement":
        return {"field": "person.displacement", "op": "in", "value": ["displaced", "refugee"]}
    if kind == "vulnerable":
        return {"field": rng.choice(["person.has_disability", "person.war_injured"]), "op": "eq", "value": True}
    if kind == "status":
        return {"field": "enterprise.status", "op": "in", "value": rng.choice([["idea", "informal"], ["informal"], ["registered"]])}
    if kind == "size":
        return {"field": "enterprise.size_class", "op": "in", "value": rng.choice([["micro"], ["micro", "small"]])}
    if kind == "sector":
        return {"field": "enterprise.sector", "op": "in", "value": rng.sample(["A", "C", "G", "I", "S"], 2)}
    if kind == "employees":
        return {"field": "enterprise.employees", "op": "lte", "value": rng.choice([4, 9, 49])}
    if kind == "years":
        return {"field": "enterprise.years_in_business", "op": rng.choice(["gte", "lte"]), "value": rng.choice([1, 2, 3, 5])}
    return {"field": "enterprise.chamber_member", "op": "eq", "value": rng.random() < 0.5}


def rule(rng: random.Random) -> dict:
    """A rule of 2 to 6 conditions; a third of them hold an «any» group of 2."""
    size = rng.randint(2, 6)
    if size >= 3 and rng.random() < 1 / 3:
        return {"all": [condition(rng) for _ in range(size - 2)] + [{"any": [condition(rng), condition(rng)]}]}
    return {"all": [condition(rng) for _ in range(size)]}


@transaction.atomic
def build(args, rng: random.Random) -> dict:
    suffix = secrets.token_hex(3)  # a new network on each run (the data itself follows --seed)
    network = Network.objects.create(slug=f"bench-matching-{suffix}", name_ar="شبكة قياس المطابقة", kind=Network.Kind.HELPDESK)
    desk_org = Organisation.objects.create(
        network=network, slug=f"bench-m-chamber-{suffix}", name_ar="غرفة تجارة غزة", kind="chamber", governorate="PS-GZA"
    )
    partners = Organisation.objects.bulk_create(
        [
            Organisation(
                network=network,
                slug=f"bench-m-{suffix}-{i:04d}",
                name_ar=f"{rng.choice(PARTNER_WORDS)} {rng.choice(PARTNER_NAMES)} {i}",
                kind=rng.choice(PARTNER_KINDS),
                governorate=rng.choice(GOVERNORATES),
            )
            for i in range(args.partners)
        ]
    )
    category = ServiceCategory.objects.create(network=network, name_ar="خدمات")
    services = Service.objects.bulk_create(
        [
            Service(
                network=network, category=category, code=code, name_ar=ar, name_en=en, in_house=i % 3 == 0, by_partner=True, by_expert=True
            )
            for i, (code, ar, en) in enumerate(SERVICES[: args.services])
        ]
    )
    # offers lean on a few services, as in life (loans and training are what most partners offer)
    weights = [args.services - i for i in range(args.services)]
    offers = []
    for i in range(args.offers):
        r = rule(rng)
        eligibility.validate(r)
        offers.append(
            Offer(
                organisation=partners[i % len(partners)],
                service=rng.choices(services, weights)[0],
                title=f"عرض {i}",
                rule=r,
                governorates=sorted(rng.sample(GOVERNORATES, rng.randint(1, 4))) if rng.random() < 0.7 else [],
                capacity_per_month=rng.choice([None, 10, 20, 30, 50, 100]),
                mou_end=timezone.localdate() + datetime.timedelta(days=rng.randint(-60, 700)) if rng.random() < 0.5 else None,
                is_active=rng.random() < 0.95,
            )
        )
    offers = Offer.objects.bulk_create(offers)
    experts = Expert.objects.bulk_create(
        [
            Expert(
                network=network,
                organisation=desk_org,
                full_name=f"خبير {i}",
                gender=rng.choice(["female", "male"]),
                governorates=sorted(rng.sample(GOVERNORATES, rng.randint(1, 3))),
                vetting=Expert.Vetting.VETTED if rng.random() < 0.8 else Expert.Vetting.PENDING,
                availability=Expert.Availability.AVAILABLE if rng.random() < 0.7 else Expert.Availability.BUSY,
            )
            for i in range(args.experts)
        ]
    )
    through = Expert.specialisations.through
    through.objects.bulk_create(
        [through(expert_id=e.pk, service_id=s.pk) for e in experts for s in rng.sample(services, rng.randint(1, min(3, len(services))))]
    )
    person = Person.objects.create(
        organisation=desk_org,
        first_name="هبة",
        family_name="النجار",
        gender="female",
        birth_date=datetime.date(2001, 5, 1),
        governorate="PS-GZA",
        education="university",
        displacement="displaced",
    )
    enterprise = Enterprise.objects.create(
        organisation=desk_org, name_ar="مطبخ هبة", legal_form="home_based", status="informal", governorate="PS-GZA", isic_section="I"
    )
    # earlier cases and referrals: load this month, completion over the year
    history = Case.objects.bulk_create([Case(organisation=desk_org, subject=f"طلب {i}") for i in range(max(args.referrals // 10, 1))])
    history_services = CaseService.objects.bulk_create([CaseService(case=c, service=rng.choice(services)) for c in history])
    now = timezone.now()
    referrals = []
    for _ in range(args.referrals):
        cs = rng.choice(history_services)
        to_expert = rng.random() < 0.4
        target_offer = None if to_expert else rng.choice(offers)
        referrals.append(
            Referral(
                case_id=cs.case_id,
                case_service=cs,
                from_organisation=desk_org,
                kind=Referral.Kind.EXPERT if to_expert else Referral.Kind.PARTNER,
                to_organisation_id=None if to_expert else target_offer.organisation_id,
                offer=target_offer,
                expert=rng.choice(experts) if to_expert else None,
                status=rng.choices(list(FINISHED_WEIGHTS), list(FINISHED_WEIGHTS.values()))[0],
            )
        )
    referrals = Referral.objects.bulk_create(referrals, batch_size=2000)
    # spread them over the last year (sent_at is set on insert)
    for start in range(0, len(referrals), 2000):
        for r in referrals[start : start + 2000]:
            r.sent_at = now - datetime.timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 1440))
        Referral.objects.bulk_update(referrals[start : start + 2000], ["sent_at"])
    counts = {s.pk: 0 for s in services}
    for o in offers:
        counts[o.service_id] += 1
    busiest = max(services, key=lambda s: counts[s.pk])
    ordinary = sorted(services, key=lambda s: counts[s.pk])[len(services) // 2]
    case = Case.objects.create(organisation=desk_org, subject="قرض لتوسيع المطبخ", person=person, enterprise=enterprise)
    chosen = (busiest, ordinary) if busiest != ordinary else (busiest,)
    case_services = {s.pk: CaseService.objects.create(case=case, service=s) for s in chosen}
    return {"network": network, "services": chosen, "case_services": case_services, "offer_counts": counts}


def time_it(case_service, runs: int) -> dict:
    for _ in range(5):
        matching.suggestions(case_service)
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        found = matching.suggestions(case_service)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        matching.suggestions(case_service)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "max": timings[-1],
        "cpu": statistics.median(cpu),  # this process's CPU time: what the call costs when the machine is not shared
        "queries": len(queries.captured_queries),
        "found": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=200)
    parser.add_argument("--experts", type=int, default=2000)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--referrals", type=int, default=20000)
    parser.add_argument("--services", type=int, default=10, choices=range(1, len(SERVICES) + 1), metavar="N")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print where the time of one call goes (cProfile)")
    parser.add_argument("--queries", action="store_true", help="print the queries of one call with their times")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    started = time.perf_counter()
    data = build(args, rng)
    print(
        f"{vendor}: built {args.partners} partners, {args.offers} offers with rules, {args.experts} experts and "
        f"{args.referrals} referrals in {time.perf_counter() - started:.1f} s"
    )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for label, service in zip(("busiest service", "ordinary service"), data["services"], strict=False):
        case_service = data["case_services"][service.pk]
        offers = Offer.objects.filter(service=service, is_active=True).count()
        experts = Expert.objects.filter(
            network=data["network"], specialisations=service, vetting="vetted", availability="available"
        ).count()
        result = time_it(case_service, args.runs)
        verdict = "OK" if result["p95"] < 50 else "OVER 50 ms"
        print(
            f"  {label} «{service.name_en}»: {offers} active offers, {experts} experts weighed; "
            f"p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, max {result['max']:.1f} ms (CPU p50 {result['cpu']:.1f} ms), "
            f"{result['queries']} queries per call [{verdict}]"
        )
        if args.queries:
            with CaptureQueriesContext(connection) as captured:
                matching.suggestions(case_service)
            for q in captured.captured_queries:
                print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}")
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(matching.suggestions, case_service)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        best = result["found"][0] if result["found"] else None
        if best is not None:
            print(f"    best: {best.kind} «{best.name}»: " + " · ".join(best.reasons))
    if _TEMP:
        connection.close()
        for path in Path(_TEMP).iterdir():
            path.unlink()
        Path(_TEMP).rmdir()


if __name__ == "__main__":
    main()
