"""`newinfra notice-digest`: the daily e-mail for users who chose 每日汇总."""

from django.core.management.base import BaseCommand

from newinfra.supervision.notices import send_digests


class Command(BaseCommand):
    help = "E-mail each user who chose the daily digest the notices since the last digest (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"digests sent: {send_digests()}")
