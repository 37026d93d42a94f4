"""Fuzz every public function of ``dropmc.theory`` and ``dropmc.simulations`` with bad input.

Each function has one valid call recorded from the claims and the kernel table
(``tools/fuzz_calls.py record`` → ``tests/data/fuzz_calls.pickle``). Each test breaks one
argument of that call and asks for one of two outcomes:

* the call raises ``ValueError`` or ``TypeError`` whose message names the argument; or
* it returns the mathematically right edge value. What that is cannot be known in general, so
  the suite asks for what any right value satisfies: after a NaN argument every float in the
  result is NaN (it propagates; it is not computed as some number), and after an infinite,
  empty, zero or reshaped argument no float in the result is NaN.

Probabilities outside [0, 1], negative, non-integer and overflowing counts, sample counts
beyond what fits, and unknown option strings must always raise. A silent wrong number, a
``ZeroDivisionError``, an ``IndexError``, a Numba typing error or a ``RuntimeWarning`` fails.
Exceptions to these rules are listed in :data:`EXEMPT` with the reason.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import faulthandler
import inspect
import math
import pickle
import re
import resource
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from fuzz_calls import OUT as CALLS_FILE, public_callables  # noqa: E402

from dropmc.theory.variance_constancy import Law  # noqa: E402

CALLS = {k: pickle.loads(v["kwargs"]) for k, v in pickle.loads(CALLS_FILE.read_bytes()).items()}
TARGETS = public_callables()

#: valid calls written by hand for public callables the recorder does not reach (no claim or
#: kernel calls them, or their arguments do not pickle): key → keyword arguments
def _noise_free_net():
    """A small noise-free network (every keep probability 1) for noise_free_as_dropout."""
    from dropmc.simulations.ensemble_averaging import DropoutMLP

    g = np.random.default_rng(0)
    return DropoutMLP((g.normal(size=(3, 4)), g.normal(size=(2, 3))),
                      (g.normal(size=3), g.normal(size=2)), (1.0, 1.0))


MANUAL_CALLS: dict[str, dict] = {
    "dropmc.theory.ensemble_averaging.dynamics_linear:complex_step_grad":
        {"f": np.sum, "x": np.array([0.3, -1.2, 2.0])},
    "dropmc.theory.ensemble_averaging.synthetic_network:eq121_removed":
        {"U_i": 0.3, "w_ij": -0.1, "p_j": 0.6, "W_j": 0.33},
    "dropmc.theory.ensemble_averaging.synthetic_network:eq122_removed_taylor":
        {"U_i": 0.3, "w_ij": -0.1, "p_j": 0.6, "W_j": 0.33},
    "dropmc.theory.ensemble_averaging.synthetic_network:eq220_dsigma": {"ES": 0.4},
    "dropmc.theory.ensemble_averaging.errors:relative_entropy":
        {"O": np.array([0.2, 0.7, 0.9]), "t": np.array([0.0, 1.0, 0.5])},
    "dropmc.theory.ensemble_averaging.logistic:variance_bound": {"E": 0.3},
    "dropmc.theory.ensemble_averaging.means:second_order_nwgm": {"E": 0.3, "V": 0.01},
    "dropmc.simulations.ensemble_averaging.trained_network:train_noise_classifier":
        {"X": np.linspace(0.0, 1.0, 24).reshape(8, 3), "y": np.arange(8) % 2,
         "X_test": np.linspace(1.0, 0.0, 12).reshape(4, 3), "y_test": np.arange(4) % 2,
         "noise": "dropin", "hidden": (3,), "p_in": 0.8, "p_hidden": 0.5, "epochs": 2,
         "batch": 4, "lr": 0.01, "init_sd": 0.01, "seed": 0},
    "dropmc.simulations.ensemble_averaging.trained_network:train_dropout_classifier":
        {"X": np.linspace(0.0, 1.0, 24).reshape(8, 3), "y": np.arange(8) % 2,
         "X_test": np.linspace(1.0, 0.0, 12).reshape(4, 3), "y_test": np.arange(4) % 2,
         "hidden": (3,), "p_in": 0.8, "p_hidden": 0.5, "epochs": 2, "batch": 4, "lr": 0.01,
         "init_sd": 0.01, "snapshot_epochs": (0, 1, 2), "seed": 0},
    "dropmc.theory.drop_activation:dropout_variance_shift": {"p": 0.8},
    "dropmc.theory.drop_activation:gelu": {"x": np.array([-1.5, 0.0, 2.0])},
    "dropmc.theory.drop_activation:silu": {"x": np.array([-1.5, 0.0, 2.0])},
    "dropmc.theory.variance_constancy.sample_variance:m4_by_quadrature":
        {"law": Law.normal(0.5, 2.0)},
    "dropmc.theory.variance_constancy.two_batch_bound:eq12_band": {"eps": 0.3},
    "dropmc.theory.variance_constancy.two_batch_bound:eq15_band": {"eps": 0.3},
    "dropmc.theory.variance_constancy.two_components:projected_gmm_moments":
        {"theta": np.array([1.0, -0.5]), "p": 0.3, "mu1": np.array([0.0, 1.0]),
         "mu2": np.array([1.0, -1.0]), "Sigma1": np.eye(2),
         "Sigma2": np.array([[2.0, 0.3], [0.3, 1.0]])},
    "dropmc.theory.variance_constancy.two_components:projected_gmm_kurtosis":
        {"theta": np.array([1.0, -0.5]), "p": 0.3, "mu1": np.array([0.0, 1.0]),
         "mu2": np.array([1.0, -1.0]), "Sigma1": np.eye(2),
         "Sigma2": np.array([[2.0, 0.3], [0.3, 1.0]])},
    "dropmc.simulations.enumeration:expectation_over_masks":
        {"func": lambda masks: masks.sum(axis=1), "d": 3, "p": 0.4},
    "dropmc.simulations.optim:adam_numpy":
        {"theta": np.array([1.0, -2.0]), "grad_fn": lambda t: 2.0 * t, "steps": 5, "lr": 0.1,
         "b1": 0.9, "b2": 0.999, "eps": 1e-8},
    "dropmc.simulations.optim:AdamNumpy":
        {"params": [np.array([1.0, -2.0])], "lr": 0.1, "b1": 0.9, "b2": 0.999, "eps": 1e-8},
    "dropmc.simulations.implicit_regularization.modified_flow:integrate_flow":
        {"fun": lambda t, v: -v, "theta0": np.array([1.0, -0.5]), "T": 0.5, "rtol": 1e-10,
         "atol": 1e-12},
    "dropmc.simulations.implicit_regularization.theorem2:hessian_trace":
        {"grad_fn": lambda t: 3.0 * t * t, "theta": np.array([0.5, -1.0, 2.0])},
    "dropmc.simulations.implicit_regularization.theorem2:output_gradient_norms":
        {"out_fn": lambda t: np.array([t[0] * t[1], t[0] * t[0], t[1] + t[2]]),
         "theta": np.array([0.5, -1.0, 2.0]), "n": 3},
    "dropmc.theory.implicit_regularization:intercept":
        {"w": np.array([0.5, -2.0, 1.0]), "b": np.array([0.3, 1.0, -0.25])},
    "dropmc.theory.implicit_regularization:orientation_amplitude":
        {"a": np.array([1.5, -0.5, 0.2]), "w": np.array([0.5, -2.0, 1.0]),
         "b": np.array([0.3, 1.0, -0.25])},
    "dropmc.theory.implicit_regularization:target_fig1": {"x": np.array([-1.0, 0.0, 0.2, 2.0])},
    "dropmc.theory.implicit_regularization:effective_ratio":
        {"theta": np.array([[1.0, 0.1], [0.9, 0.2], [-1.0, 0.3]]), "threshold": 0.95},
    "dropmc.theory.implicit_regularization:merged_relu_output_weights":
        {"a": np.array([[0.5, 1.0, -0.3]]), "norms": np.array([1.0, 2.0, 0.5]),
         "groups": np.array([0, 0, 1]), "n_orientations": 2},
    "dropmc.theory.implicit_regularization:aligned_tanh_width_one_condition":
        {"a": np.array([0.5, 1.0]), "norms": np.array([1.0, 2.0])},
    "dropmc.theory.drop_activation:shift_gap_ratio": {"p": 0.8},
    "dropmc.simulations.ensemble_averaging.dropin:noise_free_as_dropout":
        {"net": _noise_free_net(), "ps": (0.8, 0.5)},
}
CALLS.update(MANUAL_CALLS)

#: public callables with neither a recorded nor a manual call, and why
UNRECORDED: dict[str, str] = {
    "dropmc.theory.implicit_regularization:EffectiveNeurons":
        "the result record of effective_neuron_number (Definition 1's bracket), built there and "
        "fuzzed through it",
    "dropmc.simulations.ensemble_averaging.trained_network:DropoutMoments":
        "the result record of estimate_mlp_moments (per-chunk means of its kernel), built "
        "there and fuzzed through it",
    "dropmc.simulations.ensemble_averaging.trained_network:TrainedClassifier":
        "the result record of train_dropout_classifier (trained snapshots), built there and "
        "fuzzed through it",
}

#: callables whose recorded call names temporary files: their bad input is a bad path or a
#: malformed file, tested in tests/test_ensemble_averaging_network.py
FILE_IO = {"dropmc.simulations.datasets:load_idx": "reads an IDX file",
           "dropmc.simulations.datasets:load_mnist_idx": "reads MNIST IDX files",
           "dropmc.simulations.datasets:save_idx": "writes an IDX file"}
for _key in FILE_IO:
    CALLS.pop(_key, None)

#: parameter names that are probabilities (a keep or drop probability, a Bernoulli mean)
PROBABILITY_NAMES = frozenset({"p", "q", "p_units", "p_edges", "p_keep", "p_drop", "keep",
                               "prob"})
#: parameter names that are Monte Carlo sample counts (refused beyond a ceiling)
SAMPLE_NAMES = frozenset({"n", "n_samples", "samples", "n_draws", "draws", "n_masks", "reps",
                          "n_reps", "trials", "n_trials"})
#: the count no sampler can honour: 2**40 draws of one double is 8 TiB
TOO_MANY = 2**40
#: seconds after which a single fuzzed call counts as hung (the recorded calls take < 1 s)
HANG_SECONDS = 300
#: a count past int64, where a Numba kernel would overflow
OVERFLOW = 2**70

#: (callable key, parameter, mutation) → why the rule does not apply
EXEMPT: dict[tuple[str, str, str], str] = {
    ("dropmc.theory.variance_constancy.sample_variance:Law", "label", "unknown_string"):
        "label is free text (the name a report prints), not an option",
}


# ------------------------------------------------------------------------------------------
# what a result holds


def _floats(obj, depth=0):
    """Every float array inside a result (arrays, numbers, Estimates, dicts, sequences,
    dataclasses), flattened."""
    if depth > 6:
        return
    if isinstance(obj, (bool, np.bool_, str, bytes)) or obj is None:
        return
    if isinstance(obj, (float, np.floating)):
        yield np.asarray([obj], dtype=float)
    elif isinstance(obj, np.ndarray):
        if np.issubdtype(obj.dtype, np.floating) or np.issubdtype(obj.dtype, np.complexfloating):
            yield np.asarray(obj).ravel()
        elif obj.dtype == object:
            for x in obj.ravel():
                yield from _floats(x, depth + 1)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _floats(v, depth + 1)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _floats(v, depth + 1)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _floats(getattr(obj, f.name), depth + 1)
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith("dropmc"):
        for v in vars(obj).values():
            yield from _floats(v, depth + 1)


def _all_nan(result) -> bool:
    arrs = [a for a in _floats(result) if a.size]
    return bool(arrs) and all(np.all(np.isnan(a)) for a in arrs)


def _any_nan(result) -> bool:
    return any(np.any(np.isnan(a)) for a in _floats(result))


# ------------------------------------------------------------------------------------------
# the mutations


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _is_float(v) -> bool:
    return isinstance(v, (float, np.floating)) or (
        isinstance(v, np.ndarray) and v.ndim == 0 and np.issubdtype(v.dtype, np.floating))


def _is_float_array(v) -> bool:
    return isinstance(v, np.ndarray) and v.ndim > 0 and v.size > 0 and np.issubdtype(v.dtype, np.floating)


def mutations(key: str, name: str, value) -> list[tuple[str, object, str]]:
    """``(mutation id, bad value, rule)`` for one argument; rule is "raise" (must raise
    naming the argument), "nan" (raise, or every float of the result NaN) or "finite"
    (raise, or no float of the result NaN)."""
    out = []
    if _is_float(value) or (_is_int(value) and name in PROBABILITY_NAMES):
        prob = name in PROBABILITY_NAMES
        out += [("nan", math.nan, "raise" if prob else "nan"),
                ("inf", math.inf, "raise" if prob else "finite"),
                ("-inf", -math.inf, "raise" if prob else "finite")]
        if prob:
            out += [("below_0", -0.25, "raise"), ("above_1", 1.5, "raise")]
    elif _is_int(value):
        out += [("negative", -1, "raise"), ("non_integer", 2.5, "raise"),
                ("overflow", OVERFLOW, "raise"), ("zero", 0, "finite")]
        if name in SAMPLE_NAMES and key.startswith("dropmc.simulations"):
            out.append(("too_many", TOO_MANY, "raise"))
    elif _is_float_array(value):
        prob = name in PROBABILITY_NAMES
        out += [("nan_array", np.full_like(value, np.nan), "raise" if prob else "nan"),
                ("inf_array", np.full_like(value, np.inf), "raise" if prob else "finite"),
                ("empty", value[:0], "finite"),
                ("stacked", np.stack([value, value]), "finite")]
        if prob:
            out += [("below_0_array", np.full_like(value, -0.25), "raise"),
                    ("above_1_array", np.full_like(value, 1.5), "raise")]
    elif isinstance(value, str):
        out.append(("unknown_string", "no-such-option", "raise"))
    return [(m, v, r) for m, v, r in out if (key, name, m) not in EXEMPT]


def _cases():
    for key in sorted(CALLS):
        if key not in TARGETS:
            continue
        for name, value in CALLS[key].items():
            for mid, bad, rule in mutations(key, name, value):
                yield pytest.param(key, name, mid, bad, rule, id=f"{key}-{name}-{mid}")


def _call(key: str, **overrides):
    """The recorded call of ``key`` with some arguments replaced."""
    fn = TARGETS[key]
    kinds = {p.name: p.kind for p in inspect.signature(fn).parameters.values()}
    args, kw = [], {}
    for k, v in {**copy.deepcopy(CALLS[key]), **overrides}.items():
        kind = kinds.get(k)
        if kind is inspect.Parameter.VAR_POSITIONAL:
            args.extend(v)
        elif kind is inspect.Parameter.VAR_KEYWORD:
            kw.update(v)
        elif kind is inspect.Parameter.POSITIONAL_ONLY:
            args.append(v)
        else:
            kw[k] = v
    return fn(*args, **kw)


@contextlib.contextmanager
def _address_space_guard(extra=4 * 2**30):
    """Cap this process's address space at what it uses now plus ``extra``, so that a call
    that tries to allocate a sample of 2**40 draws fails with MemoryError (and the test with
    it) instead of exhausting the machine."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        used = int(fh.read().split()[0]) * resource.getpagesize()
    cap = used + extra if hard == resource.RLIM_INFINITY else min(hard, used + extra)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _check(key, name, mid, bad, rule):
    # a call that hangs ends the session with every thread's traceback rather than forever
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    try:
        with _address_space_guard():
            result = _call(key, **{name: bad})
    except (ValueError, TypeError) as exc:
        msg = str(exc)
        named = re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", msg)
        assert named, (f"{key}({name}={mid}) raised {type(exc).__name__} without naming "
                       f"{name!r}: {msg}")
        return
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert rule != "raise", f"{key}({name}={mid}) returned instead of raising: {str(result)[:200]}"
    if rule == "nan":
        assert _all_nan(result), (f"{key}({name}=NaN) returned a number, not NaN: "
                                  f"{str(result)[:200]}")
    else:
        assert not _any_nan(result), f"{key}({name}={mid}) returned NaN: {str(result)[:200]}"


# ------------------------------------------------------------------------------------------
# the tests


def test_every_public_callable_has_a_recorded_call():
    missing = sorted(set(TARGETS) - set(CALLS) - set(UNRECORDED) - set(FILE_IO))
    assert not missing, ("public functions without a recorded valid call (record them with "
                         "`python tools/fuzz_calls.py record`, or list them in UNRECORDED with "
                         "the reason): " + ", ".join(missing))


def test_recorded_calls_still_run():
    """The baseline is valid: each recorded call runs without an error (else the mutations
    below would test nothing)."""
    bad = []
    for key in sorted(CALLS):
        if key in TARGETS:
            try:
                _call(key)
            except Exception as exc:  # noqa: BLE001 - listed
                bad.append(f"{key}: {type(exc).__name__}: {exc}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("key,name,mid,bad,rule", list(_cases()))
def test_bad_argument(key, name, mid, bad, rule):
    _check(key, name, mid, bad, rule)


_PROB_ARGS = sorted({(k, n) for k in CALLS if k in TARGETS for n, v in CALLS[k].items()
                     if n in PROBABILITY_NAMES and (_is_float(v) or _is_int(v))})


@pytest.mark.parametrize("key,name", _PROB_ARGS, ids=[f"{k}-{n}" for k, n in _PROB_ARGS])
@settings(max_examples=8)
@given(bad=st.one_of(st.floats(max_value=-1e-300, allow_infinity=False, allow_nan=False),
                     st.floats(min_value=1 + 2**-52, allow_infinity=False, allow_nan=False)))
def test_probability_outside_unit_interval(key, name, bad):
    _check(key, name, f"{bad!r}", bad, "raise")
