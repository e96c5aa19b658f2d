"""Reads of the registry: search in any spelling, filters, likely duplicates. Always through the user's access."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from shubbak.arabic import name_similarity, search_tokens

from .models import Enterprise, Person

SIMILAR_NAME = 85  # name_similarity at or above this counts as "similar"


def _match(qs: QuerySet, query: str) -> QuerySet:
    """Keep the records whose normalised search text has every word of the query (as a word prefix)."""
    words = _distinct_prefixes(search_tokens(query))
    if not words:
        return qs
    table = qs.model._meta.db_table
    if connection.vendor == "sqlite":
        expression = " AND ".join('"{}"*'.format(w.replace('"', "")) for w in words)
        return qs.filter(id__in=RawSQL(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [expression]))
    # PostgreSQL, trigram GIN index. A word-start LIKE ('w%' / '% w') looks up the word-start trigrams
    # ("  م", " مح") that nearly every row has, so for a word of 3+ letters the index is driven by a plain
    # "contains" instead (its trigrams are the word's own), and the word-start test is only a filter: it is
    # written on the text under the "C" collation, the same text and the same LIKE (LIKE ignores a deterministic
    # collation), which the index (database collation) cannot serve but the planner still estimates from the
    # column's statistics. A word of 1–2 letters has no trigram of its own: its word-start test stays indexable
    # through those word-start trigrams, which finds a rare letter fast; a common one is read newest first.
    qs = qs.alias(_search_text_c=Collate("search_text", "C"))
    condition = Q()
    for word in words:
        if len(word) >= 3:
            condition &= Q(search_text__contains=word) & (Q(_search_text_c__startswith=word) | Q(_search_text_c__contains=" " + word))
        else:
            condition &= Q(search_text__startswith=word) | Q(search_text__contains=" " + word)
    return qs.filter(condition)


def _distinct_prefixes(words: list[str]) -> list[str]:
    """The words without repeats or words that are the start of another one («محمد م» needs only «محمد»)."""
    longest_first = sorted(set(words), key=len, reverse=True)
    return [w for i, w in enumerate(longest_first) if not any(other.startswith(w) for other in longest_first[:i])]


def person_list(*, user, query: str = "", filters: dict | None = None) -> QuerySet[Person]:
    """People the user may see, matching the query in any spelling, filtered, newest first."""
    filters = filters or {}
    qs = Person.objects.for_user(user, "view_registry").live().select_related("organisation")
    qs = _match(qs, query)
    for name in ("governorate", "gender", "education", "employment", "displacement"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("organisation"):
        qs = qs.filter(organisation=filters["organisation"])
    return qs.order_by("-id")


def enterprise_list(*, user, query: str = "", filters: dict | None = None) -> QuerySet[Enterprise]:
    """Enterprises the user may see, matching the query, filtered, newest first."""
    filters = filters or {}
    qs = Enterprise.objects.for_user(user, "view_registry").live().select_related("organisation")
    qs = _match(qs, query)
    for name in ("governorate", "isic_section", "size_class", "legal_form", "status"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("chamber_member") in {"yes", "no"}:
        qs = qs.filter(chamber_member=filters["chamber_member"] == "yes")
    if filters.get("organisation"):
        qs = qs.filter(organisation=filters["organisation"])
    return qs.order_by("-id")


def person_get(*, user, pk: int, action: str = "view_registry") -> Person:
    """One person the user may see (merged-away ones lead to their survivor's page); Http404 otherwise."""
    try:
        return Person.objects.for_user(user, action).select_related("organisation__network", "merged_into").get(pk=pk)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None


def enterprise_get(*, user, pk: int, action: str = "view_registry") -> Enterprise:
    """One enterprise the user may see; Http404 otherwise."""
    try:
        return Enterprise.objects.for_user(user, action).select_related("organisation", "chamber", "merged_into").get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass
class Duplicate:
    """A record that may be the same as the one being entered, and why we think so."""

    record: Person | Enterprise
    reasons: list[str] = field(default_factory=list)


def _collect(found: dict, record, reason) -> None:
    found.setdefault(record.pk, Duplicate(record)).reasons.append(str(reason))


def person_duplicates(*, scope: QuerySet[Person], person: Person) -> list[Duplicate]:
    """Likely duplicates of `person` in `scope`: same ID, same phone, or similar name and same birth date."""
    scope = scope.live().exclude(pk=person.pk) if person.pk else scope.live()
    found: dict[int, Duplicate] = {}
    if person.national_id:
        for other in scope.filter(national_id=person.national_id)[:10]:
            _collect(found, other, _("same ID number"))
    phones = [p for p in (person.phone, person.phone_alt) if p]
    if phones:
        for other in scope.filter(Q(phone__in=phones) | Q(phone_alt__in=phones))[:10]:
            _collect(found, other, _("same phone number"))
    if person.birth_date and person.first_name and person.family_name:
        for other in _match(scope.filter(birth_date=person.birth_date), person.first_name)[:50]:
            if name_similarity(other.full_name, person.full_name) >= SIMILAR_NAME:
                _collect(found, other, _("similar name and same birth date"))
    return list(found.values())


def enterprise_duplicates(*, scope: QuerySet[Enterprise], enterprise: Enterprise) -> list[Duplicate]:
    """Likely duplicates: same registration number, same phone, or similar name in the same governorate."""
    scope = scope.live().exclude(pk=enterprise.pk) if enterprise.pk else scope.live()
    found: dict[int, Duplicate] = {}
    if enterprise.registration_number:
        for other in scope.filter(registration_number=enterprise.registration_number)[:10]:
            _collect(found, other, _("same registration number"))
    if enterprise.phone:
        for other in scope.filter(phone=enterprise.phone)[:10]:
            _collect(found, other, _("same phone number"))
    words = search_tokens(enterprise.name_ar)
    if words and enterprise.governorate:
        longest = max(words, key=len)
        for other in _match(scope.filter(governorate=enterprise.governorate), longest)[:50]:
            if name_similarity(other.name_ar, enterprise.name_ar) >= SIMILAR_NAME:
                _collect(found, other, _("similar name in the same governorate"))
    return list(found.values())
