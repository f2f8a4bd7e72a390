"""The ``newinfra`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__


def _parse_command(args: argparse.Namespace) -> int:
    from .parsing import parse_file, writers

    plans = [parse_file(path).to_dict() for path in args.files]
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
    from .parsing import parse_file
    from .parsing.scoring import score

    try:
        gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the gold file {args.gold}: {exc}") from exc
    s = score(parse_file(args.file).to_dict(), gold)
    for name in ("tasks", "units", "leads", "targets"):
        sc = s[name]
        print(
            f"{name:8} F1 {sc.f1:.3f}  precision {sc.precision:.3f}  recall {sc.recall:.3f}  "
            f"(tp {sc.tp}, fp {sc.fp}, fn {sc.fn})"
        )
    print(f"comparator and year right for {s['comparator_and_year_accuracy']:.1%} of matched targets")
    return 0


class UsageError(Exception):
    """A mistake in how the command was called; reported in one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newinfra",
        description="newinfra (新基建规划实施与项目管理平台): turn plan documents into tasks, "
        "responsible units and quantitative targets.",
    )
    parser.add_argument("--version", action="version", version=f"newinfra {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "parse",
        help="parse plan documents (.txt .docx .html .pdf; Simplified or Traditional)",
        description="Parse plan documents into tasks, responsibilities and targets. "
        "Text files may be UTF-8, GB18030/GBK or Big5; the encoding is detected.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="plan documents")
    p.add_argument(
        "--format",
        choices=["json", "md", "xlsx"],
        default="json",
        help="json (the plan-format contract), md (a readable ledger) or xlsx (任务分工台账); default json",
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
    return parser


def main(argv: list[str] | None = None) -> int:
    from .parsing.errors import DocumentError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
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


if __name__ == "__main__":
    sys.exit(main())
