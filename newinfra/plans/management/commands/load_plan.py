from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newinfra.parsing import DocumentError
from newinfra.plans.loader import load_document
from newinfra.plans.services import read_path


class Command(BaseCommand):
    help = (
        "Parse plan documents and load them published (one transaction each; loading the same file "
        "again changes nothing). Uploads through the pages and the API are drafts to proofread instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--title", help="the plan's title, for a text that has none (one file only)")

    def handle(self, *args, files, title=None, **options):
        if title and len(files) > 1:
            raise CommandError("--title names one plan: give one file with it")
        for name in files:
            path = Path(name)
            try:
                document, text = read_path(path)
                report = load_document(
                    document, path.read_bytes(), path.name, title=title, publish=True, source_text=text
                )
            except DocumentError as exc:
                raise CommandError(str(exc)) from exc
            except ValueError as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            self.stdout.write(report.summary())
            for change in report.changes[:50]:
                self.stdout.write(f"  - {change}")
