"""Malformed command lines, generated: every one ends with exit code 2 and one line on stderr
(usage and one line for a bare ``dropmc``), no traceback, nothing run and nothing created in
``--out``. In-process through ``cli.main`` for speed; a few subprocesses check the real exit
status of a module that fails to import."""

import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dropmc import PAPER_KEYS, cli

#: a cheap claim and a claim with an explorer, for the valid parts of an invocation
CLAIM = "drop_activation.prop5_2.value_p095"
EXPLORABLE = "drop_activation.ext.shift_ratio_activation"

#: any text a shell can pass: unicode, control characters, surrogates (undecodable bytes of
#: the command line), never a leading "-" (that would be an option, covered apart) and no NUL
text = st.text(st.characters(exclude_characters="\0"), max_size=12).filter(
    lambda t: not t.startswith("-"))
word = st.text("abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=8)
huge = st.integers(10**30, 10**60).map(str)


def _not_int_or_negative(t: str) -> bool:
    try:
        return int(t) < 0
    except ValueError:
        return True


def _not_in_z_range(t: str) -> bool:
    try:
        return not 1.0 <= float(t) <= 10.0
    except ValueError:
        return True


def _not_in_points_range(t: str) -> bool:
    try:
        return not 2 <= int(t) <= 200
    except ValueError:
        return True


bad_seed = st.one_of(st.integers(max_value=-1).map(str), huge.map(lambda h: "-" + h),
                     st.floats(allow_nan=True).map(repr), st.just(""),
                     text.filter(_not_int_or_negative))
bad_z = st.one_of(st.floats().filter(lambda z: not 1.0 <= z <= 10.0).map(repr),
                  st.sampled_from(["nan", "inf", "-inf", "1e400", "0", "", "4,5"]), huge,
                  text.filter(_not_in_z_range))
bad_precision = text.filter(lambda t: t not in ("quick", "standard", "high"))
bad_points = st.one_of(st.integers().filter(lambda n: not 2 <= n <= 200).map(str), huge,
                       text.filter(_not_in_points_range))
#: no paper key starts with "zz": an id, a pattern or a keyword under it matches nothing
bad_claim = st.one_of(word.map(lambda w: f"zz{w}.x"), word.map(lambda w: f"zz{w}.*"),
                      word.map(lambda w: f"drop_activation.zz{w}"),
                      word.map(lambda w: f"drop_activation.zz{w}[*"), st.just(""))
bad_keywords = st.one_of(
    word.map(lambda w: f"zz{w}"),  # well-formed, matches nothing
    st.sampled_from(["", "and", "or", "not", "(", ")", "()", "a and", "a or", "not (a",
                     "a b", "(a))", "and a", "a and or b", "not " * 70 + "a"]),
    st.tuples(word, word).map(lambda ab: f"{ab[0]} {ab[1]}"))
bad_scheduler = st.one_of(
    st.integers().filter(lambda n: not 1 <= n <= 64).map(lambda n: f"local:{n}"),
    word.map(lambda w: f"local:{w}x"),
    word.map(lambda w: f"inproc://{w}"), word.map(lambda w: f"http://{w}:8786"),
    word.map(lambda w: f"tcp://{w}"), word.map(lambda w: f"{w}:99999"),
    text.filter(lambda t: ":" not in t))
bad_paper = text.filter(lambda t: t not in PAPER_KEYS)
bad_module = st.one_of(word.map(lambda w: f"zz_no_such_module_{w}"),
                       word.map(lambda w: f"zz_no_such_dir/{w}.py"),
                       word.map(lambda w: f"{w}..{w}"), st.just("../../etc/passwd"),
                       st.just(""), st.just(" "))
bad_param = st.one_of(word, word.map(lambda w: f"p={w}"), st.just("p=0.9:0.1"),
                      st.just("p=nan:1"), st.just("=0:1"), st.just("p=0:inf"))


def _options(kind):
    """(option, strategy of bad values) for each option of the subcommand ``kind`` (whose
    every value is checked before anything runs)."""
    common = [("--seed", bad_seed), ("--precision", bad_precision)]
    out_opt = [("--out", st.sampled_from(["FILE", "", " ", "FILE/sub", "/proc/zz/no"]))]
    return {
        "verify": common + out_opt + [
            ("--z-star", bad_z), ("--claim", bad_claim), ("-k", bad_keywords),
            ("--scheduler", bad_scheduler), ("--paper", bad_paper), ("--module", bad_module),
            ("--tb", text.filter(lambda t: t not in ("short", "long", "no")))],
        "list": [("--paper", bad_paper), ("--claim", bad_claim), ("-k", bad_keywords),
                 ("--module", bad_module)],
        "show": common + [("--module", bad_module)],
        "explore": common + out_opt + [("--points", bad_points), ("--param", bad_param),
                                       ("--module", bad_module)],
        "figures": common + out_opt + [("--paper", bad_paper)],
        "coverage": [("--paper", bad_paper),
                     ("--write", st.sampled_from(["FILE", "", "FILE/sub", "/proc/zz/no"]))],
    }[kind]


#: a valid invocation of each subcommand that does not run anything by itself cheaply enough
#: to be safe only because one bad part is always added
VALID = {
    "verify": ["verify", "--claim", CLAIM, "--precision", "quick", "--no-power",
               "--no-progress"],
    "list": ["list", "--paper", "drop_activation"],
    "show": ["show", CLAIM],
    "explore": ["explore", EXPLORABLE, "--param", "p=0.2:0.8", "--points", "3"],
    "figures": ["figures", "--paper", "drop_activation"],
    "coverage": ["coverage", "--paper", "drop_activation"],
}


@st.composite
def malformed(draw):
    """A subcommand's valid invocation with one bad part: a bad value for one of its options,
    an option left without its value, an unknown option, or an unknown subcommand."""
    kind = draw(st.sampled_from(sorted(VALID)))
    argv = list(VALID[kind])
    how = draw(st.sampled_from(["value", "value", "value", "missing", "unknown", "command"]))
    if how == "value":
        option, values = draw(st.sampled_from(_options(kind)))
        argv += [option, draw(values)]
    elif how == "missing":
        option, _ = draw(st.sampled_from(_options(kind)))
        argv.append(option)
    elif how == "unknown":
        argv.insert(draw(st.integers(1, len(argv))), "--zz" + draw(word))
    else:
        argv[0] = "zz" + draw(word)
    return argv


@pytest.fixture
def places(tmp_path):
    """A file to pass where a directory is wanted, and the --out directory that must stay
    absent."""
    f = tmp_path / "a_file"
    f.write_text("not a directory")
    return f, tmp_path / "out"


#: the option naming the directory each subcommand writes to
WRITES = {"verify": "--out", "explore": "--out", "figures": "--out", "coverage": "--write"}


def _fill(argv, places):
    """Put real paths into an invocation: FILE is the file, and a subcommand that writes gets
    the absent --out (or --write) unless the bad part is that option."""
    f, out = places
    argv = [a.replace("FILE", str(f), 1) if a.startswith("FILE") else a for a in argv]
    opt = WRITES.get(argv[0])
    if opt is not None and opt not in argv:
        argv[1:1] = [opt, str(out)]
    return argv


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argv=malformed())
def test_malformed_command_line_is_one_line_and_exit_2(argv, places, capsys, monkeypatch):
    from dropmc import explore, runner

    def must_not_run(*a, **k):
        raise AssertionError(f"work started for {argv!r}")

    monkeypatch.setattr(runner, "run", must_not_run)
    monkeypatch.setattr(runner, "evaluate", must_not_run)
    monkeypatch.setattr(explore, "sweep", must_not_run)
    monkeypatch.setattr(cli, "draw_figures", must_not_run)
    argv = _fill(argv, places)
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2, (argv, err)
    assert err.count("\n") == 1 and err.startswith("dropmc: error: "), (argv, err)
    assert "Traceback" not in err
    f, out = places
    assert not out.exists(), argv
    assert f.read_text() == "not a directory"


def test_bad_thread_count_in_the_environment_is_refused_at_start(places, capsys, monkeypatch):
    from dropmc import runner

    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("the run started"))
    for value in ("abc", "0", "-2", "1.5", "٣x"):
        monkeypatch.setenv("DROPMC_THREADS", value)
        code = cli.main(["verify", "--claim", CLAIM, "--out", str(places[1])])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1
        assert f"DROPMC_THREADS must be a positive integer (a thread count), got {value!r}" in err
    assert not places[1].exists()


# -- subprocesses: the real exit status of a --module that fails --------------------------------

MODULES = {
    "syntax.py": ("from dropmc import Catalog\nC = Catalog('syn')\nx = (\n",
                  "--module {path}: SyntaxError at line 3: "),
    "raises.py": ("from dropmc import Catalog\nC = Catalog('raises')\n\nx = 1 / 0\n",
                  "--module {path}: ZeroDivisionError at line 4: division by zero"),
    "exits.py": ("import sys\nsys.exit(3)\n",
                 "--module {path}: the module called sys.exit(3) while being imported"),
    "passwd": ("root:x:0:0:root:/root:/bin/bash\n", "--module {path!r} is not a .py file"),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_that_does_not_import_is_one_line_and_exit_2(name, tmp_path):
    source, needle = MODULES[name]
    path = tmp_path / name
    path.write_text(source)
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "dropmc", "verify", "--module", str(path),
                        "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("dropmc: error: "), r.stderr
    assert needle.format(path=str(path)) in r.stderr
    assert not out.exists()


def test_two_modules_with_one_catalog_key_are_refused(tmp_path):
    source = textwrap.dedent("""
        from dropmc import Catalog, Kind

        CATALOG = Catalog("twin")

        @CATALOG.claim("one", label="Eq. 1", kind=Kind.VALUE, statement="1 = 1")
        def one(ctx):
            return []
    """)
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(source)
    r = subprocess.run([sys.executable, "-m", "dropmc", "list", "--module", "a.py", "--module",
                        "b.py"], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                       env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1, r.stderr
    assert "catalog key 'twin' is already defined by" in r.stderr and "b.py" in r.stderr
