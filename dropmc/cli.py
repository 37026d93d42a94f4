"""The ``dropmc`` command: ``list``, ``verify`` and ``figures``.

Exit codes: 0 when the run completed (a REFUTED printed claim is a finding, not a failure);
1 with ``--strict`` when any printed claim is REFUTED or INCONCLUSIVE; 2 on bad usage or bad
input, with one line on stderr; 130 when interrupted (nothing half-written is left behind).
"""

from __future__ import annotations

import argparse
import os
import sys

# OpenBLAS/MKL threads fight the Numba kernel threads on small machines (docs/architecture.md,
# "Numba kernels"):
# pin BLAS to one thread unless the user chose otherwise. Must happen before numpy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from dropmc import PAPER_KEYS, __version__


class UsageError(Exception):
    """Bad arguments: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line instead of usage + message
        raise UsageError(message)


def _seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a non-negative integer, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"--seed must be a non-negative integer, got {v}")
    return v


#: the range of --z-star: below 1 almost every Monte Carlo check would be a false alarm;
#: above 10 the normal tail (1.5e-23) is far below what any sample size here can resolve
Z_STAR_RANGE = (1.0, 10.0)


def _zstar(text: str) -> float:
    lo, hi = Z_STAR_RANGE
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--z-star must be a positive number in [{lo:g}, {hi:g}], "
                                         f"got {text!r}") from None
    if not (lo <= v <= hi):
        raise argparse.ArgumentTypeError(f"--z-star must be a positive number in [{lo:g}, {hi:g}], "
                                         f"got {text!r}")
    return v


def _scheduler(text: str) -> str:
    if text.startswith("local:"):
        try:
            n = int(text.split(":", 1)[1])
        except ValueError:
            raise argparse.ArgumentTypeError(f"--scheduler local:N needs an integer N, got {text!r}") from None
        if not 1 <= n <= 64:
            raise argparse.ArgumentTypeError(f"--scheduler local:N needs 1 <= N <= 64, got {n}")
    elif not text.strip():
        raise argparse.ArgumentTypeError("--scheduler must be a scheduler address or local:N")
    return text


def _out_dir(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("--out must name a directory, got an empty string")
    return text


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="dropmc", description="Monte Carlo verification of the mathematics of "
                                           "dropout-family regularizers.")
    p.add_argument("--version", action="version", version=f"dropmc {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True

    ls = sub.add_parser("list", help="list the registered claims")
    ls.add_argument("--paper", metavar="KEY",
                    help=f"only this paper's claims ({', '.join(PAPER_KEYS)}, or a --module key)")
    ls.add_argument("--module", action="append", metavar="MOD",
                    help="also load the claims of this module (mypkg.claims or a .py file)")

    v = sub.add_parser("verify", help="decide the claims and write the report")
    v.add_argument("--paper", metavar="KEY",
                   help=f"only this paper's claims ({', '.join(PAPER_KEYS)}, or a --module key)")
    v.add_argument("--module", action="append", metavar="MOD",
                   help="decide the claims of this module (mypkg.claims or a .py file; "
                        "repeatable); with --paper/--claim, only those")
    v.add_argument("--scheduler", metavar="ADDR", type=_scheduler,
                   help="run the claims on Dask: a scheduler address, or local:N for a "
                        "LocalCluster of N processes (pip install 'dropmc[dask]')")
    v.add_argument("--claim", action="append", metavar="ID", help="only this claim (repeatable)")
    v.add_argument("--seed", type=_seed, default=None, help="run seed (default: fresh, recorded)")
    v.add_argument("--precision", choices=("quick", "standard", "high"), default="standard")
    v.add_argument("--z-star", type=_zstar, default=None, help="two-sided z threshold (default 4.5)")
    v.add_argument("--out", type=_out_dir, default="report",
                   help="report directory (default: report)")
    v.add_argument("--strict", action="store_true",
                   help="exit 1 when a printed claim is REFUTED or INCONCLUSIVE")
    v.add_argument("--include-slow", action="store_true",
                   help="also run claims marked slow (trainings of many networks, e.g. Drop-Activation's "
                        "Figure 3 claims; `dropmc list` tags them slow)")
    v.add_argument("--no-progress", action="store_true", help="no progress bar")
    v.add_argument("--figures", action="store_true",
                   help="draw the figures into OUT/figures first (reusing ones drawn with the same "
                        "seed, precision and dropmc version) so the report embeds them")
    v.add_argument("--no-power", action="store_true",
                   help="skip the power runs (the smallest perturbation each verdict refutes)")

    x = sub.add_parser("explore", help="sweep one parameter of a claim's closed form against "
                                       "Monte Carlo and draw it with error bars")
    x.add_argument("claim", metavar="CLAIM", help="a claim id with an explorer")
    x.add_argument("--param", required=True, metavar="NAME=LO:HI", help="the swept parameter")
    x.add_argument("--points", type=int, default=9, help="grid points (default 9)")
    x.add_argument("--seed", type=_seed, default=0, help="seed (default 0)")
    x.add_argument("--precision", choices=("quick", "standard", "high"), default="standard")
    x.add_argument("--module", action="append", metavar="MOD", help="load user claims first")
    x.add_argument("--out", type=_out_dir, default="report/explore", help="figure directory")

    cv = sub.add_parser("coverage", help="how much of each paper is checked: numbered equations "
                                         "and checkable sentences, mapped to claims")
    cv.add_argument("--paper", choices=PAPER_KEYS, help="only this paper")
    cv.add_argument("--papers-dir", metavar="DIR", default=None,
                    help="read the printed equation numbers from the papers' texts in DIR "
                         "instead of the list shipped with dropmc (and say where they differ)")
    cv.add_argument("--write", metavar="DIR", type=_out_dir, default=None,
                    help="write DIR/<paper key>.md")

    f = sub.add_parser("figures", help="regenerate the figures (PNG and PDF)")
    f.add_argument("--paper", choices=PAPER_KEYS, help="only this paper's figures")
    f.add_argument("--out", type=_out_dir, default="report/figures", help="figure directory")
    f.add_argument("--seed", type=_seed, default=0, help="seed for Monte Carlo points (default 0)")
    f.add_argument("--precision", choices=("quick", "standard", "high"), default="standard")
    return p


def _load_modules(args) -> list:
    """Import --module arguments; return the user claims they define."""
    from dropmc import registry

    out = []
    for m in getattr(args, "module", None) or []:
        for cat in registry.load_module(m):
            out.extend(cat.claims)
    if args.paper is not None and args.paper not in registry.known_keys():
        raise UsageError(f"argument --paper: unknown paper key {args.paper!r} (choose from "
                         f"{', '.join(registry.known_keys())})")
    return out


def _select(args):
    from dropmc import registry

    user = _load_modules(args)
    if user and not args.claim and not args.paper:
        return list({c.id: c for c in user}.values())
    if args.claim:
        ids = list(dict.fromkeys(args.claim))  # a repeated --claim runs once
        claims = [registry.get(cid) for cid in ids]
        if args.paper:
            wrong = [c.id for c in claims if c.paper != args.paper]
            if wrong:
                raise ValueError(f"--claim {wrong[0]!r} is not a claim of --paper {args.paper!r}")
        return claims
    claims = registry.all_claims(args.paper)
    if getattr(args, "include_slow", False) and not any(c.slow for c in claims):
        print("dropmc verify: note: no selected claim is marked slow, so --include-slow changes "
              "nothing", file=sys.stderr)
    if not getattr(args, "include_slow", False):
        kept = [c for c in claims if not c.slow] or claims
        args.skipped_slow = [c.id for c in claims if c not in kept]
        claims = kept
    return claims


def cmd_list(args) -> int:
    from dropmc import registry

    user = _load_modules(args)
    claims = registry.all_claims(args.paper) if (args.paper or not user) else user
    width = max([len(c.id) for c in claims] + [5])
    for c in claims:
        tag = "printed" if c.as_printed else (f"corrects {c.corrects}" if c.corrects else "extension")
        print(f"{c.id:<{width}}  {c.kind.value:<17}  {c.label}  [{tag}{', slow' if c.slow else ''}]")
    print(f"\n{len(claims)} claim{'s' if len(claims) != 1 else ''}", file=sys.stderr)
    return 0


def cmd_verify(args) -> int:
    from dropmc import report, runner
    from dropmc.claims import Z_STAR, Verdict

    claims = _select(args)  # before touching --out: a bad --claim leaves nothing behind
    out = report.check_writable(args.out)
    if args.seed is None:
        args.seed = runner.default_seed()
    print(f"dropmc verify: seed {args.seed}, precision {args.precision}, {len(claims)} "
          f"claim{'s' if len(claims) != 1 else ''}", file=sys.stderr, flush=True)
    if args.figures:
        draw_figures(out / "figures", seed=args.seed, precision=args.precision,
                     papers={c.paper for c in claims})
    run = runner.run(claims, seed=args.seed, precision=args.precision,
                     z_star=args.z_star or Z_STAR,
                     progress=False if args.no_progress else None,
                     with_power=not args.no_power, scheduler=args.scheduler,
                     modules=args.module or ())
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
    print(report.summary_table(run))
    print(f"\nreport: {paths['md']}  {paths['json']}  {paths['html']}")
    if args.strict:
        bad = [r for r in run.results if r.claim.as_printed
               and r.verdict in (Verdict.REFUTED, Verdict.INCONCLUSIVE)]
        if bad:
            print(f"--strict: {len(bad)} printed claim(s) REFUTED or INCONCLUSIVE", file=sys.stderr)
            return 1
    return 0


def cmd_explore(args) -> int:
    from dropmc import explore, registry
    from dropmc.figures.style import save
    from dropmc.report import check_writable

    for m in args.module or []:
        registry.load_module(m)
    claim = registry.get(args.claim)
    name, lo, hi = explore.parse_param(args.param)
    sw = explore.sweep(claim, name, lo, hi, points=args.points, seed=args.seed,
                       precision=args.precision)
    out = check_writable(args.out)
    print(sw.table())
    stem = f"explore_{claim.id.replace('.', '_')}_{name}"
    for pth in save(explore.plot(sw), out, stem):
        print(pth)
    return 0


FIGURE_STAMP = "figures.json"


def draw_figures(out_dir, *, seed: int, precision: str, paper: str | None = None,
                 reuse: bool = True, papers=None) -> list:
    """Draw the figures of ``paper`` (all built-in papers by default) into ``out_dir``.

    A stamp file records the dropmc version, seed, precision and the figures drawn; with
    ``reuse`` a figure already drawn under the same stamp is kept rather than redrawn.
    """
    import importlib
    import json
    from pathlib import Path

    from dropmc import PAPER_KEYS
    from dropmc.figures.style import save
    from dropmc.report import atomic_write_text, check_writable

    out = check_writable(out_dir)
    stamp_path = Path(out) / FIGURE_STAMP
    want = {"dropmc": __version__, "seed": int(seed), "precision": precision}
    try:
        old = json.loads(stamp_path.read_text())
    except (OSError, ValueError):
        old = {}
    same = reuse and all(old.get(k) == v for k, v in want.items())
    done = set(old.get("figures", [])) if same else set()
    papers = [paper] if paper else [k for k in PAPER_KEYS if papers is None or k in papers]
    written = []
    for key in papers:
        try:
            mod = importlib.import_module(f"dropmc.figures.{key}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dropmc.figures.{key}":
                raise
            if paper:
                raise ValueError(f"paper {key!r} has no figures yet") from None
            continue
        for stem, make in mod.FIGURES.items():
            if stem in done and (Path(out) / f"{stem}.png").exists():
                print(f"reusing {stem} (seed {seed}, {precision})", file=sys.stderr, flush=True)
                continue
            print(f"drawing {stem} ...", file=sys.stderr, flush=True)
            written += save(make(seed, precision), out, stem)
            done.add(stem)
            atomic_write_text(stamp_path, json.dumps({**want, "figures": sorted(done)}, indent=2))
    return written


def cmd_coverage(args) -> int:
    from pathlib import Path

    from dropmc import coverage
    from dropmc.report import atomic_write_text, check_writable

    pdir = args.papers_dir
    if pdir is not None and not Path(pdir).is_dir():
        raise ValueError(f"--papers-dir {pdir!r} is not a directory")
    out = check_writable(args.write) if args.write else None
    papers = [args.paper] if args.paper else list(PAPER_KEYS)
    print(f"{'paper':<26}{'checked':>9}{'checkable':>11}{'not checkable':>15}{'without a claim':>17}")
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
        print(f"{key:<26}{k['checked']:>9}{k['checkable']:>11}{k['not checkable']:>15}"
              f"{k['unchecked']:>17}")
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


def main(argv=None) -> int:
    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        handler = {"list": cmd_list, "verify": cmd_verify, "figures": cmd_figures,
                   "explore": cmd_explore, "coverage": cmd_coverage}[args.command]
        return handler(args)
    except UsageError as exc:
        print(f"dropmc: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError) as exc:
        print(f"dropmc: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        what = {"verify": "no report was written",
                "figures": "figures already drawn are kept; none is half-written"}.get(
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
