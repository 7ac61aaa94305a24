"""``python -m build_tools``: check trees, list their paths, write the JSON Schema.

Exit status: 0 when all is well, 1 when a tree has problems, 2 for a usage error (such as
a path that does not exist).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from build_tools.errors import BuildError, TreeErrors, plural
from build_tools.trees.paths import PATH_LIMIT

USAGE_ERROR = 2


class UsageError(BuildError):
    """A command line that cannot be carried out (exit status 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # never fail on printing a label
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except BuildError as error:  # every deliberate error: one block, no traceback
        print(error.format(), file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m build_tools", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate trees, replay scenarios, resolve cites")
    check.add_argument("targets", nargs="*", type=Path, metavar="FILE_OR_DIR",
                       help="tree files or folders of them (default: decision_trees/)")
    check.add_argument("--docs", type=Path, metavar="DIR",
                       help="the docs folder that cites point into (default: docs/)")
    check.add_argument("--contacts", type=Path, metavar="FILE",
                       help="the contacts file outcomes name (default: DOCS/contacts.yml)")
    check.set_defaults(run=run_check)

    paths = commands.add_parser("paths", help="list every path through one tree (or all)")
    paths.add_argument("file", type=Path, metavar="FILE", nargs="?",
                       help="a tree file; with --all, a folder (default: decision_trees/)")
    paths.add_argument("--all", action="store_true",
                       help="every tree of a folder as plain text, for reviewing changes")
    paths.add_argument("--write", type=Path, nargs="?", const=True, metavar="FILE",
                       help="with --all: write the text to FILE (default: DIR/PATHS.txt)")
    paths.add_argument("--check", type=Path, nargs="?", const=True, metavar="FILE",
                       help="with --all: exit 1 if FILE (default: DIR/PATHS.txt) is out of date")
    paths.add_argument("--json", action="store_true", help="print JSON instead of lines")
    paths.add_argument("--limit", type=int, default=PATH_LIMIT, metavar="N",
                       help=f"fail if the tree has more than N paths (default: {PATH_LIMIT})")
    paths.set_defaults(run=run_paths, subparser=paths)

    schema = commands.add_parser("schema", help="print the JSON Schema of the tree format")
    schema.add_argument("--write", action="store_true",
                        help="write it to build_tools/trees/ and docs/authoring/")
    schema.add_argument("--check", action="store_true",
                        help="exit 1 if the shipped schema files are out of date")
    schema.set_defaults(run=run_schema)
    return parser


def tree_files(targets: Sequence[Path]) -> list[Path]:
    """Return the tree files named by ``targets`` (folders give their ``.yaml``/``.yml`` files).

    Raises:
        UsageError: If a target does not exist.
    """
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files += sorted(p for p in target.iterdir() if p.suffix in (".yaml", ".yml"))
        elif target.exists():
            files.append(target)
        else:
            raise UsageError(f"no such file or folder: {target}")
    return files


def run_check(args: argparse.Namespace) -> int:
    """Check trees, the practice questions and the review points; print what is wrong."""
    from build_tools.errors import Problems
    from build_tools.site.anchors import DocsIndex
    from build_tools.site.nav import nav_pages
    from build_tools.site.quiz import load_quiz
    from build_tools.site.review_points import load_review_points
    from build_tools.site.settings import SiteSettings, read_settings
    from build_tools.trees.validate import load_tree_set

    targets = args.targets or [Path("decision_trees")]
    docs = args.docs
    if docs is None and Path("docs").is_dir():
        docs = Path("docs")
    elif docs is not None and not docs.is_dir():
        raise UsageError(f"no such docs folder: {docs}")
    files = tree_files(targets)
    if docs is None:
        print("note: no docs/ folder here, so cites are not resolved", file=sys.stderr)
    contacts = args.contacts
    if contacts is None and docs is not None and (docs / "contacts.yml").is_file():
        contacts = docs / "contacts.yml"
    elif contacts is not None and not contacts.is_file():
        raise UsageError(f"no such contacts file: {contacts}")
    if contacts is None:
        print("note: no contacts file, so contact ids are not checked", file=sys.stderr)
    shared = shared_file(targets)
    site = read_settings(Path("mkdocs.yml")) if Path("mkdocs.yml").is_file() else None
    settings = site or SiteSettings(Path("."), docs or Path("docs"), Path("decision_trees"))
    index = DocsIndex(docs, settings.markdown) if docs is not None else None
    try:
        checked = load_tree_set(files, index, contacts=contacts, shared=shared)
        quiz = docs / settings.quiz_file if docs is not None else None
        problems = Problems()
        if quiz is not None and quiz.is_file():
            load_quiz(quiz, quiz.as_posix(), {t.id: t for t in checked.trees}, problems)
        points = docs / settings.review_points_file if docs is not None else None
        if index is not None and points is not None and points.is_file():
            clauses = index.clauses(settings.clauses_dir, settings.coverage_exclude)
            load_review_points(points, points.as_posix(), clauses, nav_pages(settings.nav),
                               problems, index.explain_missing_anchor)
        problems.raise_if_any()
    except TreeErrors as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        print(f"checked {plural(len(files), 'tree')}: {plural(len(error.problems), 'error')}")
        return 1
    for notice in checked.notices:
        print(notice.format(), file=sys.stderr)
    notices = f", {plural(len(checked.notices), 'notice')}" if checked.notices else ""
    print(f"checked {plural(len(files), 'tree')}: 0 errors{notices}")
    return 0


def shared_file(targets: Sequence[Path]) -> Path | None:
    """The shared outcomes file of the first folder given that has one."""
    from build_tools.trees.validate import SHARED_FILE

    for target in targets:
        folder = target if target.is_dir() else target.parent
        if (folder / SHARED_FILE).is_file():
            return folder / SHARED_FILE
    return None


def run_paths(args: argparse.Namespace) -> int:
    """Print every path through one tree, as lines or as JSON (or all trees, with --all)."""
    from build_tools.trees.paths import enumerate_paths, paths_to_json
    from build_tools.trees.validate import load_and_validate

    if args.all:
        return run_paths_all(args)
    if args.file is None:
        args.subparser.error("the following arguments are required: FILE (or --all)")
    if args.write or args.check:
        args.subparser.error("--write and --check go with --all")
    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    try:
        tree = load_and_validate([args.file], None, shared=shared_file([args.file]))[0]
        paths = enumerate_paths(tree, limit=args.limit)
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    if args.json:
        document = {"tree": tree.id, "count": len(paths), "paths": paths_to_json(paths)}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for path in paths:
            print(" → ".join([*path.answers, path.outcome]))
    return 0


def run_paths_all(args: argparse.Namespace) -> int:
    """Print, write or check the plain text of every path through every tree of a folder."""
    from build_tools.trees import paths_text
    from build_tools.trees.validate import load_and_validate

    folder = args.file or Path("decision_trees")
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    try:
        trees = load_and_validate(tree_files([folder]), None, shared=shared_file([folder]))
        text = paths_text.paths_text(trees, args.limit)
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    if args.write:
        target = paths_text.default_file(folder) if args.write is True else args.write
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
        return 0
    if args.check:
        target = paths_text.default_file(folder) if args.check is True else args.check
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run '{paths_text.REFRESH}'", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    """Print, write or check the JSON Schema."""
    from build_tools.trees import schema

    if args.write:
        for path in schema.write_schema_files():
            print(f"wrote {path}")
        return 0
    if args.check:
        stale = schema.stale_schema_files()
        for path in stale:
            print(f"{path} is out of date: run '{schema.REGENERATE}'", file=sys.stderr)
        return 1 if stale else 0
    sys.stdout.write(schema.schema_text())
    return 0
