from django.core.management.base import BaseCommand

from coopsupport import reference


class Command(BaseCommand):
    help = "Load the Thai geography fixture and create the 79 offices (idempotent)."

    def handle(self, *args, **options):
        loaded = reference.load_geography()
        created = reference.ensure_offices()
        self.stdout.write(f"geography {'loaded' if loaded else 'already present'}; {created} offices created")
