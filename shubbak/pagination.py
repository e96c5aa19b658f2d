"""Pagination that never counts more rows than a person would page through."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


def capped_count(queryset, cap: int) -> int:
    """How many rows, counted up to `cap` + 1 at most (a LIMITed count): more than `cap` means "cap+".

    Counted without the queryset's order: the order does not change the count, and keeping it can make the database
    walk the newest-first index of a million rows where a filter's index answers at once.
    """
    return queryset.order_by()[: cap + 1].count()


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (a LIMITed count), so a broad search over millions stays fast; `capped` says so.

    `ids_first`: read the page's ids, then its rows. For an order that no index gives (the queue's overdue cases by
    due date), the database then sorts the matching ids alone and joins only the page's rows to the tables the list
    shows; PostgreSQL otherwise joins every match before it sorts (1,600 overdue cases: 40 ms instead of 4). One
    query more.
    """

    def __init__(self, object_list, per_page, cap: int = 1000, ids_first: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.ids_first = ids_first

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        if not self.ids_first:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
