"""manage.py load_catalogue <network>: give a network the default service catalogue (safe to run again)."""

from django.core.management.base import BaseCommand, CommandError

from shubbak.helpdesk.catalogue import catalogue_load
from shubbak.organisations.models import Network


class Command(BaseCommand):
    help = "Add the default categories and services to a network's catalogue; what is already there is kept as it is."

    def add_arguments(self, parser):
        parser.add_argument("network", help="the network's short name (slug), e.g. munshati")

    def handle(self, *args, network: str, **options):
        found = Network.objects.filter(slug=network).first()
        if found is None:
            known = ", ".join(Network.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No network «{network}». Known networks: {known}.")
        categories, services = catalogue_load(actor=None, network=found)
        self.stdout.write(self.style.SUCCESS(f"{found.slug}: {categories} categories and {services} services added."))
