"""Search benchmark: people and enterprises found by any spelling of their names, timed in process.

Run after `manage.py generate_data --people 500000 --enterprises 200000` on the same DATABASE_URL:

    .venv/bin/python bench/search.py [--queries 1000] [--enterprise-queries 200] [--seed 7]

Queries are made from stored records, each written in a spelling other than the stored one (hamza on
alef or not, ة/ه, ى/ي, harakat, tatweel, «عبد الله»/«عبدالله», Arabic-Indic digits, local phone forms),
as whole or partial names, phones and ID numbers. Each runs through the same selector as the list page
(`person_list` / `enterprise_list` for a network manager who sees every generated organisation) and
reads its first page of 25 rows; then the page's total (`count()`) is timed on its own.
"""

import argparse
import math
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shubbak.settings")
os.environ.setdefault("DEBUG", "false")  # as in production: no query log kept in memory

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from shubbak.accounts.models import User  # noqa: E402
from shubbak.arabic import normalise  # noqa: E402
from shubbak.organisations.models import Membership, Organisation  # noqa: E402
from shubbak.registry import selectors  # noqa: E402
from shubbak.registry.models import Enterprise, Person  # noqa: E402

PAGE = 25
CAP = 1000  # a total shown as "1,000+" beyond this
BENCH_USER = "bench@shubbak.example"
HARAKAT = "\u064e\u064f\u0650\u0652\u0651"  # fatha, damma, kasra, sukun, shadda
HARAKAT_RE = re.compile("[\u064b-\u0652\u0670]")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
NON_JOINING = set("اأإآدذرزوؤةءى")
NAME_PARTS = re.compile(r"(?<!عبد)(?<!أبو)(?<!ابو)(?<!بن) +")
CHANGE_WEIGHTS = {"_spacing": 3, "_hamza": 4, "_final_letter": 3, "_harakat": 1, "_tatweel": 1}  # how often people type each


# --- spellings other than the stored one ----------------------------------------------------------


def _hamza(word: str, rng) -> str | None:
    if re.search("[أإآ]", word):
        return re.sub("[أإآ]", "ا", word)
    if word.startswith("ال") and len(word) > 3 and word[2] == "ا":  # الاتاسي → الأتاسي
        return word[:2] + "أ" + word[3:]
    if word.startswith("ا") and not word.startswith("ال"):  # احمد → أحمد, ابراهيم → إبراهيم
        return rng.choice("أإ") + word[1:]
    return None


def _final_letter(word: str, rng) -> str | None:
    """فاطمة → فاطمه, مصطفى → مصطفي (and sometimes the other way)."""
    last = word[-1]
    if len(word) > 2 and last in "ةى":
        return word[:-1] + {"ة": "ه", "ى": "ي"}[last]
    if len(word) > 3 and last in "هي" and rng.random() < 0.5:
        return word[:-1] + {"ه": "ة", "ي": "ى"}[last]
    return None


def _harakat(word: str, rng) -> str:
    if HARAKAT_RE.search(word):
        return HARAKAT_RE.sub("", word)
    letters = [ch + (rng.choice(HARAKAT) if ch.isalpha() and rng.random() < 0.6 else "") for ch in word]
    vocalised = "".join(letters)
    return vocalised if vocalised != word else word[0] + "\u064e" + word[1:]


def _tatweel(word: str, rng) -> str | None:
    if "ـ" in word:
        return word.replace("ـ", "")
    spots = [i for i in range(1, len(word) - 1) if word[i] not in NON_JOINING and word[i].isalpha()]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[: i + 1] + "ـ" + word[i + 1 :]


def _spacing(part: str, rng) -> str | None:
    """عبد الله ↔ عبدالله, أبو شعبان ↔ أبوشعبان."""
    joined = re.match(r"^(عبد|أبو|ابو|بن) (\S.*)$", part)
    if joined:
        return joined[1] + joined[2]
    split = re.match(r"^(عبد|أبو|ابو)(ال\S+|\S{3,})$", part)
    if split:
        return f"{split[1]} {split[2]}"
    return None


def respell(part: str, rng) -> str:
    """The name part in another spelling that a person could type for it (one or two changes)."""
    kinds = [_spacing, _hamza, _final_letter, _harakat, _tatweel]
    kinds = sorted(kinds, key=lambda k: rng.random() ** (1 / CHANGE_WEIGHTS[k.__name__]), reverse=True)  # weighted order
    changed, done = part, 0
    for change in kinds:
        if change is _spacing:
            candidate = change(changed, rng)
        else:
            words = changed.split(" ")
            i = rng.randrange(len(words))
            new = change(words[i], rng)
            candidate = None if new is None else " ".join(words[:i] + [new] + words[i + 1 :])
        if candidate and candidate != changed:
            changed, done = candidate, done + 1
            if done == 2 or rng.random() < 0.5:
                break
    if changed == part:  # nothing applied: harakat always can
        changed = _harakat(part, rng)
    assert normalise(changed) == normalise(part), (part, changed)
    return changed


def phone_query(e164: str, rng) -> str:
    """A phone number as people type it: local with 0, spaced, Arabic-Indic digits, international with +."""
    cc = 4  # +970, +963, +967
    national = e164[cc:]
    local = "0" + national
    form = rng.choice(["local", "spaced", "indic", "dashed", "plus", "bare"])
    if form == "local":
        return local
    if form == "spaced":
        return f"{local[:3]} {local[3:6]} {local[6:]}"
    if form == "indic":
        return local.translate(ARABIC_INDIC)
    if form == "dashed":
        return f"{local[:4]}-{local[4:]}"
    if form == "plus":
        return f"{e164[:cc]} {national[:2]} {national[2:5]} {national[5:]}"
    return national


def id_query(national_id: str, rng) -> str:
    if national_id.isdigit():
        return rng.choice([national_id.translate(ARABIC_INDIC), f"{national_id[:3]} {national_id[3:6]} {national_id[6:]}", national_id])
    return national_id.lower()


def person_query(p: Person, rng) -> tuple[str, str]:
    """(kind, query) for a stored person."""
    kind = rng.choices(["full", "first_father_family", "first_family", "first_father_grandfather", "phone", "id", "latin"],
                       [20, 20, 25, 5, 12, 12, 6])[0]  # fmt: skip
    if kind == "phone" and not p.phone:
        kind = "first_father_family"
    if kind == "id" and not p.national_id:
        kind = "full"
    if kind == "latin" and not p.name_latin:
        kind = "first_family"
    if kind == "first_father_grandfather" and not p.grandfather_name:
        kind = "full"
    if kind == "phone":
        return kind, phone_query(p.phone, rng)
    if kind == "id":
        return kind, id_query(p.national_id, rng)
    if kind == "latin":
        words = p.name_latin.split()
        text = f"{words[0]} {words[-1]}"
        return kind, rng.choice([text.lower(), text.upper(), text.title()])
    parts = {
        "full": [p.first_name, p.father_name, p.grandfather_name, p.family_name],
        "first_father_family": [p.first_name, p.father_name, p.family_name],
        "first_family": [p.first_name, p.family_name],
        "first_father_grandfather": [p.first_name, p.father_name, p.grandfather_name],
    }[kind]
    parts = [x for x in parts if x]
    changed = rng.sample(range(len(parts)), k=rng.randint(1, len(parts)))  # at least one part in another spelling
    return kind, " ".join(respell(x, rng) if i in changed else x for i, x in enumerate(parts))


def enterprise_query(e: Enterprise, rng) -> tuple[str, str]:
    kind = rng.choices(["name", "partial_name", "phone", "registration"], [45, 35, 10, 10])[0]
    if kind == "phone" and not e.phone:
        kind = "name"
    if kind == "registration" and not e.registration_number:
        kind = "partial_name"
    if kind == "phone":
        return kind, phone_query(e.phone, rng)
    if kind == "registration":
        return kind, id_query(e.registration_number, rng)
    words = NAME_PARTS.split(e.name_ar)  # «عبد ربه», «أبو عرقوب» stay one word, as search reads them
    if kind == "partial_name" and len(words) > 2:
        words = [words[0], *rng.sample(words[1:], 1)]  # the activity and one distinctive word
    return kind, " ".join(respell(w, rng) if rng.random() < 0.6 else w for w in words)


# --- measuring --------------------------------------------------------------------------------------


def bench_user() -> User:
    """A network manager of every network that holds generated organisations (created once, reused)."""
    user, _ = User.objects.get_or_create(email=BENCH_USER, defaults={"full_name": "مستخدم القياس"})
    generated = Organisation.objects.filter(slug__startswith="bench-").order_by("id")
    first_of_network = {}
    for org in generated:
        first_of_network.setdefault(org.network_id, org)
    if not first_of_network:
        sys.exit("No generated organisations: run `manage.py generate_data` first.")
    for org in first_of_network.values():
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": Membership.Role.NETWORK_MANAGER})
    return User.objects.get(pk=user.pk)


def organisation_user(slug: str) -> User:
    """An admin of one organisation only (created once, reused)."""
    organisation = Organisation.objects.get(slug=slug)
    user, _ = User.objects.get_or_create(email=f"bench-{slug}@shubbak.example", defaults={"full_name": "موظف القياس"})
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Membership.Role.ORG_ADMIN})
    return User.objects.get(pk=user.pk)


def sample(model, n: int, rng, organisation: str = "") -> list:
    records = model.objects.filter(merged_into__isnull=True)
    if organisation:
        ids = list(records.filter(organisation__slug=organisation).order_by("id").values_list("id", flat=True))
        picked = rng.sample(ids, k=min(n, len(ids)))
        found = records.in_bulk(picked)
        return [found[i] for i in picked]
    bounds = model.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return []
    ids = rng.sample(range(bounds["low"], bounds["high"] + 1), k=min(n * 2, bounds["high"] - bounds["low"] + 1))
    found = {o.pk: o for o in records.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found][:n]


def ms(seconds: list[float]) -> dict[str, float]:
    values = sorted(s * 1000 for s in seconds)

    def rank(q):
        return values[max(0, math.ceil(q * len(values)) - 1)]

    return {"median": statistics.median(values), "p95": rank(0.95), "p99": rank(0.99), "max": values[-1], "mean": statistics.fmean(values)}


def fmt(stats: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:7.1f} ms" for k, v in stats.items())


def share(rows: list, column: int) -> str:
    hits = sum(r[column] for r in rows)
    return f"{hits}/{len(rows)} = {100 * hits / max(1, len(rows)):.1f} %"


def run(label: str, select, user, records: list, make_query, rng, warmup: int, show_slowest: int) -> dict:
    queries = [(r.pk, *make_query(r, rng)) for r in records]
    for _, _, q in queries[:warmup]:  # warm caches, the connection and the user's access
        list(select(user=user, query=q)[:PAGE])
    queries = queries[warmup:]
    page_times, count_times, capped_times, rows = [], [], [], []
    for pk, kind, q in queries:
        started = time.perf_counter()
        page = list(select(user=user, query=q)[:PAGE])
        page_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        total = select(user=user, query=q).count()
        count_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        select(user=user, query=q)[: CAP + 1].count()  # "1,000+" instead of an exact total
        capped_times.append(time.perf_counter() - started)
        found = select(user=user, query=q).filter(pk=pk).exists()  # untimed: is the record among the matches at all?
        rows.append((kind, q, total, any(r.pk == pk for r in page), found, page_times[-1], count_times[-1]))
    specific = [r for r in rows if r[2] <= PAGE]
    print(f"\n== {label}: {len(rows)} queries (after {warmup} warm-up) ==")
    print(f"first page ({PAGE} rows): {fmt(ms(page_times))}")
    print(f"count():                {fmt(ms(count_times))}")
    print(f"page + count:           {fmt(ms([a + b for a, b in zip(page_times, count_times)]))}")
    print(f"count() up to {CAP:,}:    {fmt(ms(capped_times))}")
    print(f"found among the matches (any spelling): {share(rows, 4)}")
    print(f"hit rate, specific queries (≤ {PAGE} matches), on the first page: {share(specific, 3)}")
    print(f"first-page hit rate, all queries: {share(rows, 3)}")
    print("by kind:                        n  first-page hit  median matches  page median/p95 ms  count median/p95 ms")
    for kind in dict.fromkeys(r[0] for r in rows):
        some = [r for r in rows if r[0] == kind]
        page, count = ms([r[5] for r in some]), ms([r[6] for r in some])
        hits, matches = 100 * sum(r[3] for r in some) / len(some), statistics.median(r[2] for r in some)
        print(f"  {kind:26} {len(some):5}  {hits:13.1f}%  {matches:14.0f}"
              f"  {page['median']:8.1f} /{page['p95']:7.1f}  {count['median']:9.1f} /{count['p95']:7.1f}")  # fmt: skip
    misses = [r for r in rows if not r[4]]
    for kind, q, total, _, _, _, _ in misses[:10]:
        print(f"  NOT FOUND: {kind}: «{q}» ({total} matches)")
    if show_slowest:
        print("slowest:")
        for kind, q, total, _, _, page, count in sorted(rows, key=lambda r: -(r[5] + r[6]))[:show_slowest]:
            print(f"  {page * 1000:7.1f} ms page, {count * 1000:7.1f} ms count, {total:7} matches  {kind}: «{q}»")
    with CaptureQueriesContext(connection) as small:
        list(select(user=user, query=queries[0][2])[:PAGE])
    with CaptureQueriesContext(connection) as large:
        list(select(user=user, query=queries[0][2])[: PAGE * 4])
    print(f"SQL queries per page: {len(small)} for {PAGE} rows, {len(large)} for {PAGE * 4} rows")
    return {"page": ms(page_times), "count": ms(count_times), "capped": ms(capped_times), "found": sum(r[4] for r in rows) / len(rows)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=1000, help="person queries")
    parser.add_argument("--enterprise-queries", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--slowest", type=int, default=5, help="show the N slowest queries")
    parser.add_argument("--organisation", default="", help="search as the admin of this one organisation (slug), for its records")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    people, enterprises = Person.objects.count(), Enterprise.objects.count()
    print(f"database: {connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}")
    print(f"people: {people:,}  enterprises: {enterprises:,}  organisations: {Organisation.objects.count()}")
    user = organisation_user(args.organisation) if args.organisation else bench_user()
    scope = f" of {args.organisation}, as its admin" if args.organisation else ""
    persons = sample(Person, args.queries + args.warmup, rng, args.organisation)
    run(f"people{scope}", selectors.person_list, user, persons, person_query, rng, args.warmup, args.slowest)
    if args.enterprise_queries:
        firms = sample(Enterprise, args.enterprise_queries + args.warmup, rng, args.organisation)
        run(f"enterprises{scope}", selectors.enterprise_list, user, firms, enterprise_query, rng, args.warmup, args.slowest)


if __name__ == "__main__":
    main()
