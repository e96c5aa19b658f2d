"""Pagination that never counts more rows than a person would page through."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (a LIMITed count), so a broad search over millions stays fast; `capped` says so."""

    def __init__(self, object_list, per_page, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # Without its order: the order does not change the count, and keeping it can make the database walk the
        # newest-first index of a million rows where a filter's index answers at once.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
