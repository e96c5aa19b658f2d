"""Rebuild the normalised search text of every person and enterprise (after the normalisation rules change)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from shubbak.registry import rules
from shubbak.registry.models import Enterprise, Person


class Command(BaseCommand):
    help = "Recompute search_text for all people and enterprises, in batches; the search indexes follow."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, batch: int, **options):
        for model, build in ((Person, rules.person_search_text), (Enterprise, rules.enterprise_search_text)):
            changed = 0
            last = 0
            while True:
                rows = list(model.objects.filter(pk__gt=last).order_by("pk")[:batch])
                if not rows:
                    break
                last = rows[-1].pk
                stale = []
                for row in rows:
                    text = build(row)
                    if text != row.search_text:
                        row.search_text = text
                        stale.append(row)
                with transaction.atomic():
                    model.objects.bulk_update(stale, ["search_text"], batch_size=500)
                changed += len(stale)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {changed} updated")
