"""The ``dropmc`` command: ``list``, ``show``, ``verify``, ``explore``, ``coverage`` and
``figures``.

Every option is checked while the arguments are parsed, by the checks the Python API applies
to the same arguments (:mod:`dropmc._validation`, :func:`dropmc.distributed.check_scheduler`),
so a bad one fails before any module is imported, any claim runs or ``--out`` is created.

Exit codes: 0 when the run completed (a REFUTED printed claim is a finding, not a failure);
1 when a claim is ERROR (its code failed), or with ``--strict`` when any printed claim is
REFUTED or INCONCLUSIVE; 2 on bad usage or bad input, with one line on stderr; 3 when the run
finished but its report could not be written (one line on stderr; the previous report set is
kept); 130 when interrupted (the report set in ``--out`` is the previous one or the new one,
whole; the message says which).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import threading
import time
from pathlib import Path

# OpenBLAS/MKL threads fight the Numba kernel threads on small machines (docs/architecture.md,
# "Numba kernels"):
# pin BLAS to one thread unless the user chose otherwise. Must happen before numpy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from dropmc import PAPER_KEYS, __version__
from dropmc._validation import (check_choice, check_int, check_out_dir, check_real,
                                check_seed, check_z_star, env_threads)
from dropmc.distributed import check_scheduler


class UsageError(Exception):
    """Bad arguments: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line instead of usage + message
        # "argument --seed: --seed must be ..." says the option once
        raise UsageError(re.sub(r"^argument ([^:]+): (?=\1 )", "", message))


#: what ``dropmc --help`` and ``dropmc verify --help`` say the exit codes mean
EXIT_CODES = """\
exit codes:
  0    the run completed (a REFUTED printed claim is a finding, not a failure)
  1    a claim is ERROR (its code failed), or with --strict a printed claim is
       REFUTED or INCONCLUSIVE
  2    bad usage or bad input (one line on stderr)
  3    the report could not be written (the previous report set is kept)
  130  interrupted"""


def _option(check, option: str, parse=str):
    """An argparse type: ``parse(text)`` (the text itself when that fails, for the check to
    refuse) checked by ``check(option, value)`` — the same check the Python API applies to
    the same argument, so both refuse the same values with the same words."""
    def convert(text):
        try:
            value = parse(text)
        except ValueError:
            value = text
        try:
            return check(option, value)
        except (TypeError, ValueError) as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = option
    return convert


def _out_dir(name: str, text: str) -> str:
    """``text`` after :func:`~dropmc._validation.check_out_dir` (a directory that can be
    written, or created and written; nothing is left behind by the check)."""
    check_out_dir(name, text)
    return text


def _param(name: str, text: str) -> tuple[str, float, float, bool]:
    """``NAME=LO:HI[:log]`` as (name, lo, hi, log) (:func:`dropmc.explore.parse_param`)."""
    from dropmc.explore import parse_param

    return parse_param(text)


def _set(name: str, text: str) -> tuple[str, str]:
    """``NAME=VALUE`` as (name, value text) (:func:`dropmc.explore.parse_set`)."""
    from dropmc.explore import parse_set

    return parse_set(text)


def _budget(name: str, value) -> float:
    """A Monte Carlo budget factor in (0, :data:`dropmc.explore.MAX_BUDGET`]."""
    from dropmc.explore import MAX_BUDGET

    return check_real(name, value, lo=0.0, hi=MAX_BUDGET, lo_open=True)


def _keywords(name: str, text: str) -> str:
    from dropmc.registry import keyword_filter

    keyword_filter(text)  # a malformed expression fails here, before any module is imported
    return text


def _add_selection(p, *, module_help: str) -> None:
    """--paper, --module, --claim and -k: the options that select claims."""
    p.add_argument("--paper", metavar="KEY",
                   help=f"only this paper's claims ({', '.join(PAPER_KEYS)}, or a --module key)")
    p.add_argument("--module", action="append", metavar="MOD", help=module_help)
    p.add_argument("--claim", action="append", metavar="ID",
                   help="only this claim, or the claims whose ids match this glob pattern "
                        "('drop_activation.prop5_1.*'); repeatable")
    p.add_argument("-k", metavar="EXPR", dest="keywords", type=_option(_keywords, "-k"),
                   help="only claims whose ids match this keyword expression, as pytest's -k: "
                        "case-insensitive substrings with and/or/not and parentheses "
                        "('prop5 and not corrected')")


def build_parser() -> argparse.ArgumentParser:
    from dropmc.claims import PRECISIONS

    precision = dict(type=_option(lambda n, v: check_choice(n, v, PRECISIONS), "--precision"),
                     metavar="{" + ",".join(PRECISIONS) + "}")
    seed = _option(check_seed, "--seed", int)
    p = _Parser(prog="dropmc", description="Monte Carlo verification of the mathematics of "
                                           "dropout-family regularizers.",
                epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"dropmc {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True

    ls = sub.add_parser("list", help="list the registered claims")
    _add_selection(ls, module_help="also load the claims of this module (mypkg.claims or a .py "
                                   "file; repeatable)")
    ls.add_argument("--json", action="store_true",
                    help="one JSON array of {id, paper, label, kind, statement, as_printed, "
                         "corrects, slow, note} (with --explorable, and explore: {parameter: "
                         "{default, range}})")
    ls.add_argument("--explorable", action="store_true",
                    help="only the claims with an explorer (`dropmc explore`), with their "
                         "parameters; the counts per paper (with an explorer / without) on "
                         "stderr")
    ls.add_argument("--why-not", action="store_true",
                    help="with --explorable: the claims without an explorer instead, each with "
                         "the reason its closed form has no continuous parameter to explore")

    v = sub.add_parser("verify", help="decide the claims and write the report",
                       epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_selection(v, module_help="decide the claims of this module (mypkg.claims or a .py "
                                  "file; repeatable); with --paper/--claim/-k, only those")
    v.add_argument("--scheduler", metavar="ADDR",
                   type=_option(check_scheduler, "--scheduler"),
                   help="run the claims on Dask: a scheduler address (tcp://HOST:PORT), or "
                        "local:N for a LocalCluster of N processes (pip install 'dropmc[dask]')")
    v.add_argument("--seed", type=seed, default=None, help="run seed (default: fresh, recorded)")
    v.add_argument("--precision", default="standard", **precision)
    v.add_argument("--z-star", type=_option(check_z_star, "--z-star", float), default=None,
                   help="two-sided z threshold in [1, 10] (default 4.5)")
    v.add_argument("--out", type=_option(_out_dir, "--out"), default="report",
                   help="report directory (default: report)")
    v.add_argument("--strict", action="store_true",
                   help="exit 1 when a printed claim is REFUTED or INCONCLUSIVE")
    v.add_argument("--include-slow", action="store_true",
                   help="also run claims marked slow (trainings of many networks, e.g. Drop-Activation's "
                        "Figure 3 claims; `dropmc list` tags them slow); a --claim ID runs "
                        "its claim in any case")
    v.add_argument("--no-progress", action="store_true", help="no progress bar")
    v.add_argument("--figures", action="store_true",
                   help="draw the figures into OUT/figures first (reusing ones drawn with the same "
                        "seed, precision and code) so the report embeds them")
    v.add_argument("--no-power", action="store_true",
                   help="skip the power runs (the smallest perturbation each verdict refutes)")
    v.add_argument("-x", "--exitfirst", action="store_true",
                   help="stop at the first claim that is ERROR (the report lists the claims "
                        "not run)")
    v.add_argument("--tb", choices=("short", "long", "no"), default="short",
                   help="how an ERROR claim's traceback is printed on stderr: from the claim's "
                        "code on (short, the default), every frame (long; on Dask, as short), "
                        "or its one-line error only (no)")
    v.add_argument("--pdb", action="store_true",
                   help="run the claims in this process and open the Python debugger "
                        "(pdb.post_mortem) at the first ERROR; implies -x")

    x = sub.add_parser("explore", help="a claim's closed form against the exact value or Monte "
                                       "Carlo over one parameter (a sweep) or two (a map)")
    x.add_argument("claim", metavar="CLAIM",
                   help="a claim id with an explorer (`dropmc list --explorable` lists them)")
    x.add_argument("--param", required=True, action="append", metavar="NAME=LO:HI[:log]",
                   type=_option(_param, "--param"),
                   help="a parameter and its range (':log': spaced geometrically): once for a "
                        "sweep, twice for a map")
    x.add_argument("--set", action="append", metavar="NAME=VALUE", default=[], dest="set",
                   type=_option(_set, "--set"),
                   help="hold a parameter fixed at VALUE (a number, or one option of a choice "
                        "parameter such as law=uniform); repeatable")
    x.add_argument("--points", type=_option(lambda n, v: check_int(n, v, minimum=2, maximum=200),
                                            "--points", int),
                   default=9, help="points per parameter, 2 to 200 (a map: 2 to 100; default 9)")
    x.add_argument("--seed", type=seed, default=0, help="seed (default 0)")
    x.add_argument("--precision", default="standard", **precision)
    x.add_argument("--budget", type=_option(_budget, "--budget", float), default=1.0,
                   help="multiply the precision's Monte Carlo sample counts by this factor "
                        "(0 < B <= 100; default 1)")
    x.add_argument("--module", action="append", metavar="MOD", help="load user claims first")
    x.add_argument("--out", type=_option(_out_dir, "--out"), default="report/explore",
                   help="figure directory")
    x.add_argument("--no-progress", action="store_true", help="no progress bar")

    sh = sub.add_parser("show", help="one claim: its statement, label, kind, note and what it "
                                     "corrects; with --run, its verdict and cases")
    sh.add_argument("claim", metavar="ID", help="a claim id (`dropmc list` shows them)")
    sh.add_argument("--module", action="append", metavar="MOD",
                    help="load user claims first (mypkg.claims or a .py file; repeatable)")
    sh.add_argument("--run", action="store_true",
                    help="decide the claim (quick precision unless --precision) and print its "
                         "cases")
    sh.add_argument("--seed", type=seed, default=None,
                    help="seed of --run (default: fresh, printed)")
    sh.add_argument("--precision", default="quick", **precision)

    cv = sub.add_parser("coverage", help="how much of each paper is checked: numbered equations "
                                         "and checkable sentences, mapped to claims")
    cv.add_argument("--paper", choices=PAPER_KEYS, help="only this paper")
    cv.add_argument("--papers-dir", metavar="DIR", default=None,
                    help="read the printed equation numbers from the papers' texts in DIR "
                         "instead of the list shipped with dropmc (and say where they differ)")
    cv.add_argument("--write", metavar="DIR", type=_option(_out_dir, "--write"), default=None,
                    help="write DIR/<paper key>.md")

    f = sub.add_parser("figures", help="regenerate the figures (PNG and PDF)")
    f.add_argument("--paper", choices=PAPER_KEYS, help="only this paper's figures")
    f.add_argument("--out", type=_option(_out_dir, "--out"), default="report/figures",
                   help="figure directory")
    f.add_argument("--seed", type=seed, default=0, help="seed for Monte Carlo points (default 0)")
    f.add_argument("--precision", default="standard", **precision)
    return p


def _load_modules(args) -> list:
    """Import --module arguments; return the user claims they define. Checks --paper (a
    user key is known only once its module is loaded)."""
    from dropmc import registry

    out = []
    for m in getattr(args, "module", None) or []:
        for cat in registry.load_module(m):
            out.extend(cat.claims)
    paper = getattr(args, "paper", None)
    if paper is not None and paper not in registry.known_keys():
        raise UsageError(f"argument --paper: unknown paper key {paper!r} (choose from "
                         f"{', '.join(registry.known_keys())}; a key of your own needs its "
                         "--module)")
    return out


def _select(args):
    """The claims --paper, --module, --claim and -k select, each once. A --claim ID runs its
    claim even when it is marked slow; in any other selection slow claims are left out
    (``args.skipped_slow``) unless --include-slow, or unless every selected claim is slow."""
    from dropmc import registry

    user = _load_modules(args)
    exact: set[str] = set()
    if args.claim:
        claims = registry.select(args.claim)
        exact = {s for s in args.claim if not registry.is_pattern(s)}
        if args.paper:
            wrong = [c.id for c in claims if c.paper != args.paper]
            if wrong:
                raise ValueError(f"--claim {wrong[0]!r} is not a claim of --paper {args.paper!r}")
    elif user and not args.paper:
        claims = list({c.id: c for c in user}.values())
    else:
        claims = registry.all_claims(args.paper)
    if args.keywords is not None:
        keep = registry.keyword_filter(args.keywords)
        picked = [c for c in claims if keep(c.id)]
        if not picked:
            raise ValueError(f"-k {args.keywords!r} matches none of the {len(claims)} selected "
                             "claim ids")
        claims = picked
    if not hasattr(args, "include_slow"):  # list and show: every selected claim
        return claims
    pool = [c for c in claims if c.id not in exact]
    if args.include_slow and not any(c.slow for c in pool):
        print("dropmc verify: note: no selected claim is marked slow, so --include-slow changes "
              "nothing", file=sys.stderr)
    if not args.include_slow:
        kept = [c for c in claims if c.id in exact or not c.slow] or claims
        args.skipped_slow = [c.id for c in claims if c not in kept]
        claims = kept
    return claims


def _claim_record(c) -> dict:
    """What ``dropmc list --json`` says of a claim."""
    return {"id": c.id, "paper": c.paper, "label": c.label, "kind": c.kind.value,
            "statement": c.statement, "as_printed": c.as_printed, "corrects": c.corrects,
            "slow": c.slow, "note": c.note}


def _explore_record(c) -> dict:
    """What ``dropmc list --explorable --json`` says of a claim's explorer parameters."""
    ranges = getattr(c.explorer, "ranges", {})
    opts = getattr(c.explorer, "choices", {})
    return {k: ({"default": v, "choices": list(opts[k])} if k in opts else
                {"default": v, "range": list(ranges.get(k, ())) or None})
            for k, v in c.explore_params.items()}


def _explorer_counts(claims) -> str:
    """Per paper: claims with an explorer, claims with a reason for having none, and claims
    with neither (when there are any)."""
    from dropmc.registry import no_explorer_reason

    papers: dict[str, list[int]] = {}
    for c in claims:
        n = papers.setdefault(c.paper, [0, 0, 0])
        n[0 if c.explorer is not None else 1 if no_explorer_reason(c) else 2] += 1
    width = max(len(k) for k in papers)
    lines = ["explorers per paper (with an explorer / without, with a reason):"]
    for key, (yes, why, neither) in papers.items():
        lines.append(f"  {key:<{width}}  {yes:>3} / {why + neither:>3}"
                     + (f"  ({neither} without a reason)" if neither else ""))
    return "\n".join(lines)


def cmd_list(args) -> int:
    import json

    from dropmc.registry import no_explorer_reason

    if args.why_not and not args.explorable:
        raise UsageError("--why-not lists the claims without an explorer: use it with "
                         "--explorable")
    selected = claims = _select(args)
    if args.explorable:
        claims = [c for c in claims if (c.explorer is None) == args.why_not]
    if args.json:
        records = [_claim_record(c) for c in claims]
        for rec, c in zip(records, claims):
            if args.why_not:
                rec["no_explorer"] = no_explorer_reason(c)
            elif args.explorable:
                rec["explore"] = _explore_record(c)
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    width = max([len(c.id) for c in claims] + [5])
    for c in claims:
        tag = "printed" if c.as_printed else (f"corrects {c.corrects}" if c.corrects else "extension")
        print(f"{c.id:<{width}}  {c.kind.value:<17}  {c.label}  [{tag}{', slow' if c.slow else ''}]")
        if args.why_not:
            print(f"{'':<{width}}  no explorer: "
                  f"{no_explorer_reason(c) or '(no reason recorded)'}")
        elif args.explorable:
            from dropmc.explore import describe

            print(f"{'':<{width}}  explore: {describe(c)}")
    what = ("claim without an explorer" if args.why_not else
            "explorable claim" if args.explorable else "claim")
    if args.explorable and selected:
        print("\n" + _explorer_counts(selected), file=sys.stderr)
    plural = {"claim without an explorer": "claims without an explorer"}.get(what, what + "s")
    print(f"\n{len(claims)} {what if len(claims) == 1 else plural}", file=sys.stderr)
    return 0


def cmd_verify(args) -> int:
    from dropmc import report, runner
    from dropmc.claims import Verdict

    if args.pdb and args.scheduler is not None:
        raise UsageError(f"--pdb debugs the claims in this process; it cannot be combined with "
                         f"--scheduler {args.scheduler}")
    claims = _select(args)
    # --out was checked while parsing and report.write creates it: a run that fails before its
    # report leaves nothing behind
    out = Path(args.out)
    if args.seed is None:
        args.seed = runner.default_seed()
    print(f"dropmc verify: seed {args.seed}, precision {args.precision}, {len(claims)} "
          f"claim{'s' if len(claims) != 1 else ''}", file=sys.stderr, flush=True)
    fig_seconds: dict = {}
    fig_wall: list = []
    fig_error: list = []

    def figures():
        t0 = time.perf_counter()
        try:
            draw_figures(out / "figures", seed=args.seed, precision=args.precision,
                         papers={c.paper for c in claims}, timings=fig_seconds)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            fig_error.append(exc)
        fig_wall.append(time.perf_counter() - t0)

    # on a cluster the figures are drawn here while the workers decide the claims; the
    # studies both use are computed once, in the run's study directory
    studies = runner.study_directory() if args.scheduler else contextlib.nullcontext()
    with studies:
        drawing = None
        if args.figures and args.scheduler:
            drawing = threading.Thread(target=figures, name="dropmc-figures", daemon=True)
            drawing.start()
        elif args.figures:
            figures()
            if fig_error:
                raise fig_error[0]
        run, live = _run_claims(args, claims, out, runner)
        if drawing is not None:
            drawing.join()
            if fig_error:
                raise fig_error[0]
    if fig_wall:  # the run's profile (runner.run) with the figures drawn
        run.meta["profile"] = runner.profile(run.results, fig_seconds,
                                             figures_wall=fig_wall[0], claims_wall=run.seconds)
    if getattr(args, "include_slow", False):
        run.meta["include_slow"] = True
    skipped = getattr(args, "skipped_slow", [])
    if skipped:
        run.meta["skipped_slow"] = skipped
        print(f"dropmc verify: {len(skipped)} claim{'s' if len(skipped) != 1 else ''} marked slow "
              f"not run (--include-slow runs {'them' if len(skipped) != 1 else 'it'}): "
              + ", ".join(skipped), file=sys.stderr)
    figs = sorted((out / "figures").glob("*.png")) if (out / "figures").is_dir() else []
    paths = report.write(run, out, figs)
    args.report_complete = True  # an interrupt from here on leaves the new set whole (main())
    print(report.summary_table(run))
    print(f"\nreport: {paths['md']}  {paths['json']}  {paths['html']}")
    bad = []
    if args.strict:
        bad = [r for r in run.results if r.claim.as_printed
               and r.verdict in (Verdict.REFUTED, Verdict.INCONCLUSIVE)]
        if bad:
            print(f"--strict: {len(bad)} printed claim(s) REFUTED or INCONCLUSIVE", file=sys.stderr)
    errors = [r for r in run.results if r.verdict is Verdict.ERROR]
    if errors:
        _report_errors(errors, run.meta, live, args.tb)
    return 1 if bad or errors else 0


def _run_claims(args, claims, out: Path, runner):
    """``runner.run`` as ``verify``'s options ask, with the progress bar's expected seconds
    from the report already in ``out``. Returns the run and ``{claim id: exception}`` of a
    local run's ERROR claims (for ``--tb long``)."""
    from dropmc.claims import Z_STAR

    live: dict = {}

    def on_error(result, exc):
        live[result.claim.id] = exc
        if args.pdb:
            import pdb

            print(f"dropmc verify: ERROR {result.claim.id}: {result.error}; entering the "
                  "debugger (pdb.post_mortem)", file=sys.stderr, flush=True)
            pdb.post_mortem(exc.__traceback__)

    run = runner.run(claims, seed=args.seed, precision=args.precision,
                     z_star=args.z_star or Z_STAR,
                     progress=False if (args.no_progress or args.pdb) else None,
                     with_power=not args.no_power, scheduler=args.scheduler,
                     modules=args.module or (), stop_on_error=args.exitfirst or args.pdb,
                     on_error=on_error if args.scheduler is None else None,
                     expected=runner.expected_seconds(_previous_report(out), args.precision))
    return run, live


def _previous_report(out: Path) -> dict | None:
    """The report.json an earlier run left in ``out`` (for the progress bar's expected
    seconds), or None when there is none or it cannot be read."""
    import json

    try:
        return json.loads((out / "report.json").read_text())
    except (OSError, ValueError):
        return None


def _report_errors(errors: list, meta: dict, live: dict, tb: str) -> None:
    """Print the ERROR claims on stderr — each one's traceback as ``--tb`` asks (``short``:
    from the claim's code on; ``long``: every frame, where the exception is at hand; ``no``:
    the one-line error and where it was raised) — and what ``-x`` left out."""
    import traceback

    print(f"\ndropmc verify: {len(errors)} claim{'s' if len(errors) != 1 else ''} ERROR: "
          "the claim's code failed, so the statement was not decided", file=sys.stderr)
    for r in errors:
        if tb == "no":
            print(f"ERROR {r.claim.id}: {r.summary}", file=sys.stderr)
            continue
        exc = live.get(r.claim.id)
        text = ("".join(traceback.format_exception(exc)).rstrip("\n")
                if tb == "long" and exc is not None else r.traceback or r.error)
        print(f"{' ERROR ' + r.claim.id + ' ':_^78}\n{text}", file=sys.stderr)
    if meta.get("stopped_on_error"):
        left = meta.get("not_run") or []
        print(f"dropmc verify: stopped at the first ERROR ({meta['stopped_on_error']}); "
              f"{len(left)} claim{'s' if len(left) != 1 else ''} not run", file=sys.stderr)


def cmd_explore(args) -> int:
    from dropmc import explore, registry
    from dropmc.figures.style import save
    from dropmc.report import check_writable

    for m in args.module or []:
        registry.load_module(m)
    claim = explore.check_claim(args.claim)
    names = [name for name, _, _, _ in args.param]
    if len(names) > 2 or len(set(names)) < len(names):
        raise ValueError(f"--param takes one parameter of {claim.id!r} (a sweep) or two "
                         f"different ones (a map), got {', '.join(names)}; its parameters are "
                         f"{explore.describe(claim)}")
    fixed = explore.set_values(claim, args.set)
    both = sorted(set(names) & set(fixed))
    if both:
        raise ValueError(f"{both[0]} is swept (--param); it cannot also be held fixed (--set)")
    progress = False if args.no_progress else None
    kw = dict(points=args.points, seed=args.seed, precision=args.precision, budget=args.budget,
              progress=progress, **fixed)
    if len(names) == 1:
        name, lo, hi, log = args.param[0]
        result = explore.sweep(claim, name, lo, hi, log=log, **kw)  # --out checked when parsed
    else:
        result = explore.grid(claim, {n: (lo, hi) for n, lo, hi, _ in args.param},
                              log=[n for n, _, _, log in args.param if log], **kw)
    out = check_writable(args.out)
    print(result.table())
    print(result.summary(), file=sys.stderr)
    stem = f"explore_{claim.id.replace('.', '_')}_{'_'.join(names)}" + "".join(
        "_" + re.sub(r"[^A-Za-z0-9.+-]", "-", f"{k}={explore.format_value(v)}")
        for k, v in sorted(fixed.items()))
    for pth in save(result.plot(), out, stem):
        print(pth)
    return 0


def cmd_show(args) -> int:
    import textwrap

    from dropmc import registry
    from dropmc.claims import Verdict

    _load_modules(args)
    c = registry.get(args.claim)
    cat = registry.catalog(c.paper)
    status = ("as printed in the paper" if c.as_printed else
              f"a correction of {c.corrects}" if c.corrects else "an extension beyond the paper")
    fixes = [d.id for d in cat.claims if d.corrects == c.id]
    rows = [("paper", c.paper + (f" ({cat.title})" if cat.title else "")), ("label", c.label),
            ("kind", c.kind.value), ("statement", c.statement), ("status", status)]
    if fixes:
        rows.append(("corrected by", ", ".join(fixes)))
    if c.slow:
        rows.append(("slow", "yes: `dropmc verify` runs it with --include-slow or --claim"))
    if c.explorer is not None:
        from dropmc.explore import describe

        rows.append(("explore", describe(c)))
    else:
        from dropmc.registry import no_explorer_reason

        if no_explorer_reason(c):
            rows.append(("no explorer", no_explorer_reason(c)))
    if c.note:
        rows.append(("note", c.note))
    print(c.id)
    for key, text in rows:
        print(textwrap.fill(" ".join(text.split()), width=100, initial_indent=f"  {key + ':':<14}",
                            subsequent_indent=" " * 16))
    if not args.run:
        return 0
    from dropmc import runner

    seed = runner.default_seed() if args.seed is None else args.seed
    r = runner.evaluate(c, seed=seed, precision=args.precision)
    print(f"\n{r.verdict.value}  (seed {seed}, precision {args.precision}, {r.seconds:.1f} s)")
    print(textwrap.fill(r.summary, width=100, initial_indent="  ", subsequent_indent="  "))
    if r.traceback:
        print(r.traceback)
    for i, case in enumerate(r.cases):
        d = case.to_dict()
        nums = "  ".join(f"{k} {_num(d[k])}" for k in ("theory", "estimate", "se", "z")
                         if d[k] is not None)
        print(f"  {f'[{i}]':<5} {d['verdict']:<12} {d['role']:<11} {d['params']}")
        if nums or d["detail"]:
            print(f"{'':8}{nums}{'  ' if nums and d['detail'] else ''}{d['detail']}")
    return 1 if r.verdict is Verdict.ERROR else 0


def _num(x) -> str:
    return f"{x:.6g}" if isinstance(x, float) else str(x)


FIGURE_STAMP = "figures.json"


def draw_figures(out_dir, *, seed: int, precision: str, paper: str | None = None,
                 reuse: bool = True, papers=None, timings: dict | None = None) -> list:
    """Draw the figures of ``paper`` (all built-in papers by default) into ``out_dir``.

    A stamp file records the dropmc version, seed, precision, the digest of the sources that
    draw them (:func:`dropmc.runner.source_digest` with ``dropmc.figures``), the figures
    drawn and the seconds each took; with ``reuse`` a figure already drawn under the same
    stamp is kept rather than redrawn, so a figure drawn by other code is drawn again.
    Progress on stderr counts the figures and, from the seconds the stamp recorded last time,
    estimates the time left. ``timings`` (a dict) receives ``{stem: seconds}`` (None for a
    reused figure).
    """
    import importlib
    import json
    from pathlib import Path

    from dropmc import PAPER_KEYS
    from dropmc.figures.style import save
    from dropmc.report import atomic_write_text, check_writable
    from dropmc.runner import _SOURCE_PACKAGES, source_digest

    out = check_writable(out_dir)
    stamp_path = Path(out) / FIGURE_STAMP
    # the code that draws them too: a figure drawn by older code is drawn again
    want = {"dropmc": __version__, "seed": int(seed), "precision": precision,
            "source": source_digest(_SOURCE_PACKAGES + ("dropmc.figures",))}
    try:
        old = json.loads(stamp_path.read_text())
    except (OSError, ValueError):
        old = {}
    same = reuse and all(old.get(k) == v for k, v in want.items())
    done = set(old.get("figures", [])) if same else set()
    seconds = {k: v for k, v in (old.get("seconds") or {}).items()
               if isinstance(v, (int, float))} if isinstance(old.get("seconds"), dict) else {}
    papers = [paper] if paper else [k for k in PAPER_KEYS if papers is None or k in papers]
    todo = []
    for key in papers:
        try:
            mod = importlib.import_module(f"dropmc.figures.{key}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dropmc.figures.{key}":
                raise
            if paper:
                raise ValueError(f"paper {key!r} has no figures yet") from None
            continue
        todo += list(mod.FIGURES.items())
    written = []
    for i, (stem, make) in enumerate(todo, 1):
        if stem in done and (Path(out) / f"{stem}.png").exists():
            print(f"[{i}/{len(todo)}] reusing {stem} (seed {seed}, {precision})",
                  file=sys.stderr, flush=True)
            if timings is not None:
                timings[stem] = None
            continue
        left = [seconds.get(st) for st, _ in todo[i - 1:] if st not in done]
        eta = (f"; about {_duration(sum(left))} left by the last run's times"
               if left and all(x is not None for x in left) else "")
        print(f"[{i}/{len(todo)}] drawing {stem} ...{eta}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        written += save(make(seed, precision), out, stem)
        seconds[stem] = round(time.perf_counter() - t0, 2)
        if timings is not None:
            timings[stem] = seconds[stem]
        done.add(stem)
        atomic_write_text(stamp_path, json.dumps({**want, "figures": sorted(done),
                                                  "seconds": seconds}, indent=2))
    return written


def _duration(seconds: float) -> str:
    """``"45 s"``, ``"3 min 20 s"``."""
    s = int(round(seconds))
    return f"{s} s" if s < 60 else f"{s // 60} min {s % 60:02d} s"


def cmd_coverage(args) -> int:
    from dropmc import coverage
    from dropmc.report import atomic_write_text, check_writable

    pdir = args.papers_dir
    if pdir is not None and not Path(pdir).is_dir():
        raise ValueError(f"--papers-dir {pdir!r} is not a directory")
    out = check_writable(args.write, "--write") if args.write else None
    papers = [args.paper] if args.paper else list(PAPER_KEYS)
    print(f"{'paper':<26}{'checked':>9}{'in part':>9}{'checkable':>11}{'not checkable':>15}"
          f"{'without a claim':>17}")
    for key in papers:
        text = coverage.paper_text(key, pdir)
        if text is not None:
            read, shipped = coverage.equation_numbers(text), coverage.printed_equations(key)
            if read != shipped:
                print(f"  note: {key}: the text prints equations {sorted(read - shipped)} not in "
                      f"the shipped list, which has {sorted(shipped - read)} the text lacks",
                      file=sys.stderr)
        stmts, problems = coverage.build(key, text)
        k = coverage.counts(stmts)
        print(f"{key:<26}{k['checked']:>9}{k['partial']:>9}{k['checkable']:>11}"
              f"{k['not checkable']:>15}{k['unchecked']:>17}")
        for p in problems:
            print(f"  problem: {p}", file=sys.stderr)
        if out is not None:
            atomic_write_text(out / f"{key}.md", coverage.markdown(key, stmts, problems))
    return 0


def cmd_figures(args) -> int:
    written = draw_figures(args.out, seed=args.seed, precision=args.precision, paper=args.paper,
                           reuse=False)
    for pth in written:
        print(pth)
    return 0


def _one_line(exc: Exception) -> str:
    """An error message as one printable line: line breaks (argparse echoes arguments as they
    came) escaped, and undecodable bytes of the command line (surrogates) as escapes."""
    text = str(exc).replace("\r", "\\r").replace("\n", "\\n")
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def main(argv=None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = None
    try:
        args = parser.parse_args(argv)
        env_threads("DROPMC_THREADS")  # a bad value would leave every Monte Carlo claim undecided
        handler = {"list": cmd_list, "verify": cmd_verify, "figures": cmd_figures,
                   "explore": cmd_explore, "coverage": cmd_coverage, "show": cmd_show}[args.command]
        return handler(args)
    except UsageError as exc:
        if not argv:  # plain `dropmc`: say how it is used
            print(parser.format_usage(), end="", file=sys.stderr)
        print(f"dropmc: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except (ValueError, TypeError) as exc:
        print(f"dropmc: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        if getattr(args, "command", None) == "verify":
            from dropmc.report import ReportInterrupted

            if not isinstance(exc, ReportInterrupted):
                exc = ReportInterrupted(args.out, getattr(args, "report_complete", False))
            what = str(exc)
        else:
            what = {"figures": "figures already drawn are kept; none is half-written"}.get(
                getattr(args, "command", None), "nothing was written")
        print(f"dropmc: interrupted; {what}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of stdout went away (`dropmc list | head`): stop quietly, as Unix tools do;
        # point stdout at /dev/null so the interpreter's final flush does not raise again
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except OSError as exc:
        from dropmc.report import ReportWriteError

        if not isinstance(exc, ReportWriteError):
            raise
        print(f"dropmc: error: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
