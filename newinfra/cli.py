"""The ``newinfra`` command line."""

from __future__ import annotations

import argparse
import os  # already loaded by the interpreter: costs nothing
import sys
from pathlib import Path

from . import __version__


def _parse_command(args: argparse.Namespace) -> int:
    from .parsing import parse_file, regex_cache, writers

    plans = [parse_file(path).to_dict() for path in args.files]
    regex_cache.save()  # the next run starts with the patterns compiled
    if args.format == "xlsx":
        if not args.output:
            raise UsageError("--format xlsx writes a workbook: give its path with -o FILE.xlsx")
        writers.write_xlsx(plans, args.output)
        return 0
    text = writers.render_json(plans) if args.format == "json" else writers.render_markdown(plans)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


def _score_command(args: argparse.Namespace) -> int:
    import json

    from .parsing import parse_file, regex_cache
    from .parsing.scoring import score

    try:
        gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the gold file {args.gold}: {exc}") from exc
    s = score(parse_file(args.file).to_dict(), gold)
    regex_cache.save()
    for name in ("tasks", "units", "leads", "targets"):
        sc = s[name]
        print(
            f"{name:8} F1 {sc.f1:.3f}  precision {sc.precision:.3f}  recall {sc.recall:.3f}  "
            f"(tp {sc.tp}, fp {sc.fp}, fn {sc.fn})"
        )
    print(f"comparator and year right for {s['comparator_and_year_accuracy']:.1%} of matched targets")
    return 0


def _django(*argv: str) -> int:
    """Run a Django management command in this process."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newinfra.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["newinfra", *argv])
    return 0


def _serve_command(args: argparse.Namespace) -> int:
    """Collect static files, then serve with gunicorn (a real application server)."""
    import os

    _django("collectstatic", "--noinput", "-v0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newinfra.settings")
    bind = f"{args.host}:{args.port}"
    print(f"newinfra: serving on http://{bind}/ (Ctrl+C to stop)", flush=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(
        str(gunicorn),
        [
            str(gunicorn),
            "newinfra.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--access-logfile",
            "-",
            "--timeout",
            "60",
        ],
    )
    return 0  # not reached


def _createuser_command(args: argparse.Namespace) -> int:
    import getpass
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newinfra.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from .orgs.models import Membership, Organization, Role

    org = Organization.objects.resolve(args.org)
    if org is None:
        raise UsageError(f"unknown organisation: {args.org}")
    password = args.password or getpass.getpass("Password: ")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise UsageError("; ".join(exc.messages)) from exc
    User = get_user_model()
    if User.objects.filter(username=args.username).exists():
        raise UsageError(f"user {args.username} exists already")
    with transaction.atomic():
        user = User.objects.create_user(args.username, password=password, first_name=args.name or "")
        user.is_staff = args.role in (Role.ADMIN, Role.OFFICE)
        user.is_superuser = args.role == Role.ADMIN
        user.save()
        Membership.objects.create(user=user, organization=org, role=args.role)
    print(f"created {args.username}: {org.name}, {Role(args.role).label}")
    return 0


def _backup_command(args: argparse.Namespace) -> int:
    from .backup import BackupError, backup

    try:
        path = backup(Path(args.output) if args.output else None)
    except BackupError as exc:
        raise UsageError(str(exc)) from exc
    print(f"backup written to {path}")
    return 0


def _restore_command(args: argparse.Namespace) -> int:
    from .backup import BackupError, restore

    try:
        counts = restore(Path(args.file), force=args.force)
    except BackupError as exc:
        raise UsageError(str(exc)) from exc
    print(f"restored {sum(counts.values())} rows in {len(counts)} tables from {args.file}")
    return 0


class UsageError(Exception):
    """A mistake in how the command was called; reported in one line, exit status 2."""


class _LazyFormatter(argparse.HelpFormatter):
    """argparse's help formatter, set up (asking the terminal for its width, which imports shutil)
    only when a help, usage or error text is written; building a parser and parsing a command
    line never need it."""

    def __init__(self, *args, **kwargs):
        self.__dict__["_lazy_args"] = (args, kwargs)

    def __getattr__(self, name: str):
        lazy = self.__dict__.pop("_lazy_args", None)
        if lazy is None:
            raise AttributeError(name)
        super().__init__(*lazy[0], **lazy[1])
        return getattr(self, name)


class _OnlyCommand:
    """The subcommands of ``build_parser(command)``: only that command's parser is built (each one
    costs argparse a formatter and gettext look-ups); the others are left out."""

    def __init__(self, action, command: str):
        self.action, self.command, self.found = action, command, False

    def add_parser(self, name: str, **kwargs):
        if name != self.command:
            return _LeftOut()
        self.found = True
        return self.action.add_parser(name, formatter_class=_LazyFormatter, **kwargs)


class _LeftOut:
    def add_argument(self, *args, **kwargs):
        pass

    def set_defaults(self, **kwargs):
        pass


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line. ``command``: only the parser of that command is built, which is all
    ``main`` needs to run it; an unknown name gets the whole parser (for its error message)."""
    parser = argparse.ArgumentParser(
        formatter_class=_LazyFormatter,
        prog="newinfra",
        description="newinfra (新基建规划实施与项目管理平台): turn plan documents into tasks, "
        "responsible units and quantitative targets.",
    )
    parser.add_argument("--version", action="version", version=f"newinfra {__version__}")
    if command is None:
        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    else:  # prog as argparse would work it out (a formatter), for a parser without positionals
        sub = _OnlyCommand(
            parser.add_subparsers(dest="command", metavar="COMMAND", prog=parser.prog), command
        )

    p = sub.add_parser(
        "parse",
        help="parse plan documents (.txt .docx .xlsx .html .pdf; Simplified or Traditional)",
        description="Parse plan documents into tasks, responsibilities, deadlines and targets, "
        "task-allocation tables (任务分工表) included. Text files may be UTF-8, GB18030/GBK or Big5; "
        "the encoding is detected. Where the parser is unsure it says so (flags; listed first with --format md).",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="plan documents")
    p.add_argument(
        "--format",
        choices=["json", "md", "xlsx"],
        default="json",
        help="json (the plan-format contract), md (a readable ledger, doubts first) or xlsx (任务分工台账); "
        "default json",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    p.set_defaults(func=_parse_command)

    s = sub.add_parser(
        "score",
        help="score the parse of a document against a hand-made gold JSON",
        description="Parse FILE and print task, unit and target F1 against GOLD.",
    )
    s.add_argument("file", metavar="FILE")
    s.add_argument("gold", metavar="GOLD")
    s.set_defaults(func=_score_command)

    # The platform.
    m = sub.add_parser("migrate", help="create or update the database tables")
    m.set_defaults(func=lambda a: _django("migrate", "-v1"))
    d = sub.add_parser(
        "seed-demo",
        help="load both Guangzhou plans, organisations, demo users (prints passwords) and demo projects, "
        "stations, indicator values and an evaluation, labelled 演示数据",
    )
    d.set_defaults(func=lambda a: _django("seed_demo"))
    lp = sub.add_parser(
        "load-plan",
        help="parse plan documents and load them into the platform",
        description="Parse and load plans, each in one transaction. Loading the same file again changes "
        "nothing; a revised version is reported with what changed.",
    )
    lp.add_argument("files", nargs="+", metavar="FILE")
    lp.add_argument("--title", help="the plan's title, for a text that has none")
    lp.set_defaults(func=lambda a: _django("load_plan", *a.files, *(["--title", a.title] if a.title else [])))
    sv = sub.add_parser("serve", help="serve the platform with gunicorn (default http://127.0.0.1:8000)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    # Sync workers, one per core and one more (docs/benchmarks.md, “Load”): a page is Python on the
    # CPU, so threads add no throughput under the GIL and lengthen the slowest answers; the extra
    # process runs while another waits for PostgreSQL or a socket.
    sv.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn worker processes (default: cores + 1)",
    )
    sv.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker (default 1; more: gunicorn's gthread worker, for long-polling or slow clients)",
    )
    sv.set_defaults(func=_serve_command)
    cu = sub.add_parser("createuser", help="create a user in an organisation with a role")
    cu.add_argument("username")
    cu.add_argument("--org", required=True, help="organisation name (aliases accepted)")
    cu.add_argument(
        "--role",
        required=True,
        choices=["admin", "office", "responsible", "declarant", "leader"],
        help="admin 管理员, office 统筹办, responsible 责任单位, declarant 申报单位, leader 领导",
    )
    cu.add_argument("--name", help="full name")
    cu.add_argument("--password", help="password (asked for when omitted)")
    cu.set_defaults(func=_createuser_command)
    rm = sub.add_parser(
        "remind",
        help="notify units of overdue reports and supervision orders (in-app and e-mail; run daily from cron)",
        description="Sends one notice per overdue item: indicator values past their due date, quarterly task "
        "progress not reported, supervision orders not answered. Running it again sends nothing new.",
    )
    rm.add_argument("--date", help="the day to check as, YYYY-MM-DD (default: today)")
    rm.set_defaults(func=lambda a: _django("remind", *(["--date", a.date] if a.date else [])))
    dg = sub.add_parser(
        "notice-digest",
        help="e-mail each user who chose the daily digest the notices since the last one (run daily from cron)",
    )
    dg.set_defaults(func=lambda a: _django("notice_digest"))
    cl = sub.add_parser(
        "cleanup", help="delete expired import previews (uploads never committed; also run by remind)"
    )
    cl.set_defaults(func=lambda a: _django("cleanup"))
    bk = sub.add_parser(
        "backup",
        help="back up the SQLite database (online, while serving) and the uploads into one .tar.gz",
        description="Writes var/backups/newinfra-YYYYMMDD-HHMMSS.tar.gz unless -o is given. "
        "On PostgreSQL use pg_dump instead.",
    )
    bk.add_argument("-o", "--output", metavar="FILE", help="where to write the backup (.tar.gz)")
    bk.set_defaults(func=_backup_command)
    rs = sub.add_parser(
        "restore",
        help="restore a backup made by `newinfra backup` (every row as it was, history included)",
        description="Replaces the database and the uploads with the backup's. A database that holds "
        "data is only replaced with --force, and is kept next to it as a .before-restore copy.",
    )
    rs.add_argument("file", metavar="FILE")
    rs.add_argument("--force", action="store_true", help="replace a database that already holds data")
    rs.set_defaults(func=_restore_command)
    mg = sub.add_parser("manage", help="any Django management command (newinfra manage check --deploy)")
    mg.add_argument("args", nargs=argparse.REMAINDER)
    mg.set_defaults(func=lambda a: _django(*a.args))
    if command is not None and not sub.found:
        return build_parser()
    return parser


def main(argv: list[str] | None = None) -> int:
    from .parsing.errors import DocumentError

    program = argv is None  # run as the newinfra command: the process ends when main returns
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if program and args.command in ("parse", "score"):
        import gc

        # A parse makes ~100,000 short-lived objects and almost no cycles (a few hundred): the
        # collector's passes over them (~7 a plan, 1–2 ms) free nothing that matters to a
        # process about to end.
        gc.disable()
    try:
        return args.func(args)
    except (DocumentError, UsageError) as exc:
        print(f"newinfra: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"newinfra: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if program:
            import gc

            gc.freeze()  # the exit then skips a last collection over every object the run loaded


if __name__ == "__main__":
    sys.exit(main())
