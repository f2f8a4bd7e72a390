"""`newinfra remind`: one notice (and e-mail) per overdue report or unanswered supervision order."""

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newinfra.supervision.services import remind


class Command(BaseCommand):
    help = (
        "Notify units of overdue indicator values, task progress and supervision orders (safe to run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="check as of this day, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        sent = remind(day)
        self.stdout.write(
            f"reminders sent: {sent['values']} indicator values, {sent['tasks']} task progress reports, "
            f"{sent['dispatch']} monthly dispatch reports, {sent['orders']} supervision orders"
        )
        call_command("cleanup", stdout=self.stdout)
