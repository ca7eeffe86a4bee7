"""The ``dlgrade`` command line: a thin layer over :mod:`graders.engine`.

Every failure the user can cause ends in one line on stderr (what is wrong, what to do) and exit
status 2; nothing already written is lost.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from graders.engine.grading import classrun, shards
from graders.engine.reports import render
from graders.engine.sandbox.parent import ROOT


def _say(name: str, /, **values) -> str:
    """The CLI's wording, from templates/cli.j2."""
    return render.message("cli.j2", name, **values)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # the TensorFlow reference's start-up chatter
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.command(args)
    except (classrun.UsageError, shards.MergeError) as error:
        print(_say("error", text=str(error)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_say("interrupted"), file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlgrade", description=_say("description"))
    commands = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help=_say("help_list"))
    listing.set_defaults(command=_list)

    check = commands.add_parser("check", help=_say("help_check"))
    check.add_argument("assignment")
    check.add_argument("path", nargs="?", type=Path, help=_say("help_your_file"))
    check.set_defaults(command=_check)

    grade = commands.add_parser("grade", help=_say("help_grade"))
    grade.add_argument("assignment")
    grade.add_argument("submissions", nargs="+", type=Path, help=_say("help_submissions"))
    grade.add_argument("--out", type=Path, required=True, help=_say("help_grade_out"))
    grade.add_argument("--jobs", type=int, default=2, help=_say("help_jobs"))
    grade.add_argument("--seed", type=int, default=0, help=_say("help_seed"))
    grade.add_argument("--no-figures", dest="figures", action="store_false",
                       help=_say("help_no_figures"))
    grade.add_argument("--shard", help=_say("help_shard"))
    grade.add_argument("--students", type=Path, help=_say("help_students"))
    grade.set_defaults(command=_grade)

    merge = commands.add_parser("merge", help=_say("help_merge"))
    merge.add_argument("outputs", nargs="+", type=Path, help=_say("help_merge_outputs"))
    merge.add_argument("--out", type=Path, required=True, help=_say("help_merge_out"))
    merge.set_defaults(command=_merge)

    gradescope = commands.add_parser("gradescope", help=_say("help_gradescope"))
    gradescope.add_argument("assignment")
    gradescope.add_argument("--out", type=Path, default=Path("autograder.zip"), help=_say("help_gradescope_out"))
    gradescope.add_argument("--hidden-visibility", default="after_published",
                            choices=("hidden", "after_due_date", "after_published", "visible"),
                            help=_say("help_hidden_visibility"))
    gradescope.add_argument("--seed", type=int, default=0, help=_say("help_seed"))
    gradescope.set_defaults(command=_gradescope)

    experiment = commands.add_parser("experiment", help=_say("help_experiment"))
    experiment.add_argument("assignment")
    experiment.add_argument("path", nargs="?", type=Path, help=_say("help_your_file"))
    experiment.add_argument("--out", type=Path, default=Path("experiment_out"), help=_say("help_experiment_out"))
    experiment.add_argument("--iterations", type=int, default=None, help=_say("help_iterations"))
    experiment.set_defaults(command=_experiment)

    build = commands.add_parser("build", help=_say("help_build"))
    build.add_argument("assignments", nargs="*", help=_say("help_build_assignments"))
    build.set_defaults(command=_build)

    release = commands.add_parser("release", help=_say("help_release"))
    release.add_argument("dest", type=Path)
    release.set_defaults(command=_release)

    nbgrader = commands.add_parser("nbgrader", help=_say("help_nbgrader"))
    nbgrader_commands = nbgrader.add_subparsers(dest="nbgrader_name", required=True, metavar="STEP")
    nbgrader_init = nbgrader_commands.add_parser("init", help=_say("help_nbgrader_init"))
    nbgrader_init.add_argument("course", type=Path, help=_say("help_nbgrader_course"))
    nbgrader_init.add_argument("assignments", nargs="*", help=_say("help_build_assignments"))
    nbgrader_init.add_argument("--force", action="store_true", help=_say("help_nbgrader_force"))
    nbgrader_init.set_defaults(command=_nbgrader_init)
    return parser


def _list(args) -> int:
    suites = [classrun.load_suite(name) for name in classrun.ASSIGNMENTS]
    print(render.render_listing(suites))
    return 0


def _check(args) -> int:
    path = args.path or ROOT / "assignments" / f"{args.assignment}.py"
    report = classrun.check(args.assignment, path)
    print(render.render_report(report, "txt"))
    return 0


def _grade(args) -> int:
    if args.jobs < 1:
        raise classrun.UsageError(_say("jobs_at_least_one"))
    shard = shards.parse_shard(args.shard) if args.shard is not None else None
    if args.students is not None and not args.students.is_file():
        raise classrun.UsageError(_say("students_csv_missing", path=args.students))
    from tqdm import tqdm  # here, not at the top: list and check never draw a progress bar

    bar = lambda it, total: tqdm(it, total=total, unit="submission", file=sys.stderr)  # noqa: E731
    run = classrun.grade_class(args.assignment, args.submissions, args.out, args.jobs, args.seed, args.figures,
                               on_start=lambda level: print(render.render_isolation(level), file=sys.stderr),
                               progress=bar, shard=shard, students_csv=args.students, keep_reports=False)
    print(render.render_summary(run.reports, "txt", run.naming))
    if shard is not None:
        print(_say("shard_done", shard=str(shard), graded=len(run.reports), total=run.class_size))
    print(render.render_outputs(args.out, run.resumed, run.unwritten))
    return 1 if run.unwritten else 0


def _merge(args) -> int:
    try:
        merged = shards.merge(args.outputs, args.out)
    except OSError as error:  # a full disk or a read-only destination while copying
        raise classrun.UsageError(_say("cannot_write", path=args.out, reason=error.strerror or error)) from None
    print(render.render_summary(merged.reports, "txt", merged.manifest.naming))
    print(_say("merged", count=len(args.outputs), students=len(merged.reports), out=args.out))
    return 0


def _gradescope(args) -> int:
    from graders.engine.authoring import gradescope

    classrun.load_suite(args.assignment)
    try:
        gradescope.build_autograder(ROOT, args.assignment, args.out, args.hidden_visibility, args.seed)
    except OSError as error:
        raise classrun.UsageError(_say("cannot_write", path=args.out, reason=error.strerror or error)) from None
    print(_say("gradescope_written", path=args.out, assignment=args.assignment))
    return 0


def _experiment(args) -> int:
    import importlib

    from graders.engine import files

    path = args.path or ROOT / "assignments" / f"{args.assignment}.py"
    failure, runs = classrun.experiment(args.assignment, path, args.iterations)
    print(render.render_experiment(args.assignment, runs, failure))
    if failure is not None:
        return 1
    module = importlib.import_module(f"graders.{args.assignment}")
    for stem, figure in module.experiment_figures(runs).items():
        files.write_atomic(args.out / f"{stem}.png", module.figure_png(figure))
    print(render.render_saved_figures(args.out))
    return 0


def _build(args) -> int:
    from graders.engine.authoring import derive

    for name in args.assignments or classrun.ASSIGNMENTS:
        classrun.load_suite(name)
        for path in derive.build(ROOT, name):
            print(path.relative_to(ROOT))
    return 0


def _release(args) -> int:
    from graders.engine.authoring import release, source

    try:
        release.release(ROOT, args.dest, classrun.ASSIGNMENTS)
    except (release.ReleaseError, source.BuildError) as error:
        raise classrun.UsageError(str(error)) from None
    print(args.dest)
    return 0


def _nbgrader_init(args) -> int:
    from graders.engine.authoring import nbgrader

    names = args.assignments or list(classrun.ASSIGNMENTS)
    for name in names:
        classrun.load_suite(name)
    try:
        done = nbgrader.init_course(ROOT, args.course, names, args.force)
    except OSError as error:
        raise classrun.UsageError(_say("cannot_write", path=args.course, reason=error.strerror or error)) from None
    for item in done:
        print(render.message("nbgrader.j2", f"init_{item.action}", path=item.path))
    print(render.message("nbgrader.j2", "init_done", course=args.course, assignments=names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
