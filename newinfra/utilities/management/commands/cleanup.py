"""`newinfra cleanup`: delete import previews that were never committed and have expired."""

from django.core.management.base import BaseCommand

from newinfra.utilities.imports import cleanup, preview_seconds


class Command(BaseCommand):
    help = (
        "Delete uploaded import previews older than NEWINFRA_PREVIEW_HOURS (default 24); safe to run often."
    )

    def handle(self, *args, **options):
        removed = cleanup()
        self.stdout.write(
            f"expired import previews deleted: {removed} (older than {preview_seconds() / 3600:g} h)"
        )
