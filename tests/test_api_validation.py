"""``dropmc.verify`` refuses a bad argument as the command line does: a ValueError or TypeError
naming it, before any module is imported or claim runs (a z* of NaN would otherwise confirm a
false claim, a z* of 0 refute a true one)."""

import math

import pytest

import dropmc
from dropmc import cli

CLAIM = "drop_activation.prop5_2.value_p095"


@pytest.fixture
def no_run(monkeypatch):
    """Fail the test if a claim starts running."""
    from dropmc import runner

    def must_not_run(*a, **k):
        raise AssertionError("a claim ran")

    monkeypatch.setattr(runner, "run", must_not_run)
    monkeypatch.setattr(runner, "evaluate", must_not_run)


@pytest.mark.parametrize("kwargs, error, needle", [
    ({"z_star": math.nan}, ValueError, "z_star must be a positive number in [1, 10], got nan"),
    ({"z_star": math.inf}, ValueError, "z_star must be a positive number in [1, 10], got inf"),
    ({"z_star": 1e9}, ValueError, "z_star must be a positive number in [1, 10]"),
    ({"z_star": 0}, ValueError, "z_star must be a positive number in [1, 10], got 0"),
    ({"z_star": -1}, ValueError, "z_star must be a positive number in [1, 10], got -1"),
    ({"z_star": "4.5"}, TypeError, "z_star must be a positive number"),
    ({"z_star": True}, TypeError, "z_star must be a positive number"),
    ({"seed": 1.5}, TypeError, "seed must be a non-negative integer, got 1.5"),
    ({"seed": True}, TypeError, "seed must be a non-negative integer, got True"),
    ({"seed": -1}, ValueError, "seed must be a non-negative integer below 2**64, got -1"),
    ({"seed": "7"}, TypeError, "seed must be a non-negative integer, got '7'"),
    ({"out": ""}, ValueError, "out must name a directory"),
    ({"out": 3}, TypeError, "out must be a str or path naming a directory, got 3"),
    ({"claims": [123]}, TypeError, "claims[0] must be a Claim or a claim id or pattern (str), "
                                   "got 123"),
    ({"claims": 123}, TypeError, "claims must be a Claim, a claim id or pattern"),
    ({"claims": ["drop_activation.zz*"]}, ValueError,
     "the claim pattern 'drop_activation.zz*' matches no claim id"),
    ({"precision": "ultra"}, ValueError,
     "precision must be one of 'quick', 'standard', 'high'; got 'ultra'"),
    ({"precision": ["quick"]}, ValueError, "precision must be one of"),
    ({"power": "yes"}, TypeError, "power must be True or False, got 'yes'"),
    ({"progress": 1}, TypeError, "progress must be True or False, got 1"),
    ({"paper": ""}, ValueError, "paper must be a paper key"),
    ({"paper": "nope"}, ValueError, "paper must be a paper key"),
    ({"module": 3}, TypeError, "module must be a module name or .py path"),
    ({"module": "zz_no_such_module"}, ValueError, "cannot be imported"),
    ({"scheduler": "inproc://x"}, ValueError, "scheduler must be a scheduler address"),
    ({"scheduler": "local:0"}, ValueError, "scheduler local:N needs 1 <= N <= 64"),
    ({"log": "stderr"}, TypeError, "log must be a file"),
])
def test_bad_argument_is_refused_before_any_claim_runs(kwargs, error, needle, no_run, tmp_path):
    kwargs = {"claims": CLAIM, "precision": "quick", **kwargs}
    with pytest.raises(error) as info:
        dropmc.verify(**kwargs)
    assert needle in str(info.value)
    assert "\n" not in str(info.value)


def test_out_that_is_a_file_is_refused_and_nothing_is_created(no_run, tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    with pytest.raises(ValueError, match="out .* is a file, not a directory"):
        dropmc.verify(CLAIM, out=f)
    with pytest.raises(ValueError, match="is not writable"):
        dropmc.verify(CLAIM, out=f / "sub" / "dir")
    missing = tmp_path / "a" / "b"
    with pytest.raises(ValueError, match="seed"):
        dropmc.verify(CLAIM, out=missing, seed=-1)
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("z", ["nan", "inf", "1e9", "0", "-1"])
def test_the_api_and_the_command_line_refuse_the_same_z_star(z, no_run, capsys, tmp_path):
    assert cli.main(["verify", "--claim", CLAIM, "--z-star", z, "--out", str(tmp_path)]) == 2
    cli_err = capsys.readouterr().err
    with pytest.raises(ValueError) as info:
        dropmc.verify(CLAIM, z_star=float(z))
    assert str(info.value).replace("z_star", "--z-star") in cli_err


def test_good_arguments_still_run():
    run = dropmc.verify([CLAIM, CLAIM], seed=3, precision="quick", z_star=4.0, power=False)
    assert [r.claim.id for r in run.results] == [CLAIM]
    assert run.z_star == 4.0 and run.seed == 3


def test_dir_shows_the_lazy_api():
    names = dir(dropmc)
    assert {"verify", "Catalog", "Verdict", "load_module", "PAPER_KEYS"} <= set(names)
    assert names == sorted(dropmc.__all__)


@pytest.mark.parametrize("kwargs, error, needle", [
    ({"seed": 1.5}, TypeError, "seed must be a non-negative integer"),
    ({"seed": -2}, ValueError, "seed must be a non-negative integer"),
    ({"seed": 2**64}, ValueError, "seed must be a non-negative integer below 2**64"),
    ({"seed": 1, "z_star": math.nan}, ValueError, "z_star must be a positive number in [1, 10]"),
    ({"seed": 1, "z_star": 0.5}, ValueError, "z_star must be a positive number in [1, 10]"),
    ({"seed": 1, "precision": "ultra"}, ValueError, "precision must be one of"),
])
@pytest.mark.parametrize("entry", ["evaluate", "power", "run"])
def test_the_runner_applies_the_same_checks(entry, kwargs, error, needle):
    """The runner's public functions (which the pytest plugin and notebooks call directly)
    refuse what ``verify`` refuses, before evaluating anything."""
    from dropmc import registry, runner

    claim = registry.get(CLAIM)
    call = {"evaluate": lambda: runner.evaluate(claim, **kwargs),
            "power": lambda: runner.power(claim, **kwargs),
            "run": lambda: runner.run([claim], progress=False, **kwargs)}[entry]
    with pytest.raises(error) as info:
        call()
    assert needle in str(info.value)
