"""The README's user-claim example runs as printed (docs that match the code)."""

import re
import sys
from pathlib import Path

import dropmc
from dropmc import registry

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_user_claim_example_runs(tmp_path, monkeypatch):
    block = re.search(r"```python\n(# mypkg/claims.py\n.*?)```", README, re.S).group(1)
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "claims.py").write_text(block)
    monkeypatch.syspath_prepend(str(tmp_path))
    # the example's catalog stays in this test: later tests see the registry as it was
    monkeypatch.setattr(registry, "_USER", dict(registry._USER))
    for name in ("mypkg", "mypkg.claims"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    run = dropmc.verify(module="mypkg.claims", seed=1, precision="quick")
    r = run.results[0]
    assert r.claim.id == "mythm.moment.k"
    assert r.verdict is dropmc.Verdict.CONFIRMED and r.power["status"] == "measured"
