from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newinfra.parsing import DocumentError, parse_file
from newinfra.plans.loader import load_document


class Command(BaseCommand):
    help = "Parse plan documents and load them (one transaction each; loading the same file again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--title", help="the plan's title, for a text that has none (one file only)")

    def handle(self, *args, files, title=None, **options):
        if title and len(files) > 1:
            raise CommandError("--title names one plan: give one file with it")
        for name in files:
            path = Path(name)
            try:
                document = parse_file(path).to_dict()
                report = load_document(document, path.read_bytes(), path.name, title=title)
            except DocumentError as exc:
                raise CommandError(str(exc)) from exc
            except ValueError as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            self.stdout.write(report.summary())
            for change in report.changes[:50]:
                self.stdout.write(f"  - {change}")
