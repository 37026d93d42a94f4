"""Build notebooks/user_claims.ipynb: your own claims with dropmc (issue 11), then execute it
in place with tools/execute_notebooks.py so it is committed with its outputs."""

from pathlib import Path

import nbformat as nbf

md = nbf.v4.new_markdown_cell
code = nbf.v4.new_code_cell

cells = [
    md("# Your own claims with dropmc\n\n"
       "dropmc's engine is a public API: a statement written here is decided exactly like the "
       "papers' claims — the same judges, Monte Carlo with standard errors, power runs and "
       "report. This notebook writes a claim, decides it, measures how small an error it would "
       "catch, sweeps a parameter, and applies three generalisations the papers invite to "
       "inputs of your choice."),
    code("import numpy as np\n"
         "import matplotlib.pyplot as plt\n"
         "from scipy import stats\n"
         "import dropmc\n"
         "from dropmc import Catalog, Kind, mean_estimate\n"
         "from dropmc import judge\n\n"
         "SEED = 1\n"
         "PRECISION = 'quick'   # 'standard' for the verdicts the README reports"),
    md("## 1. A claim of your own\n\n"
       "`E U^k = 1/(k + 1)` for U uniform on (0, 1). The closed form and its Monte Carlo estimate "
       "at one point are an *explorer*; the claim checks k = 2. A false variant, E U² = 0.34 "
       "(the truth is 1/3, 2% away), shows what the resolution means: at quick precision "
       "(±3.5%) it cannot be told apart, at standard precision (±0.9%) it is refuted."),
    code("CATALOG = Catalog('notebook', title='Toy statements')\n\n"
         "@CATALOG.claim('moment.k', label='Eq. 1', kind=Kind.IDENTITY,\n"
         "               statement='E U^k = 1/(k + 1) for U uniform on (0, 1)')\n"
         "def moment_k(ctx):\n"
         "    '''E U^k = 1/(k + 1) at k = 2, by Monte Carlo.'''\n"
         "    return [judge.identity({'k': 2.0}, *moment_point(ctx, k=2.0))]\n\n"
         "@CATALOG.explorer('moment.k', k=2.0)\n"
         "def moment_point(ctx, k):\n"
         "    u = ctx.rng().random(ctx.budget(200_000))\n"
         "    return 1.0 / (k + 1.0), mean_estimate(u ** k)\n\n"
         "@CATALOG.claim('moment.wrong', label='Eq. 2', kind=Kind.IDENTITY,\n"
         "               statement='E U^2 = 0.34 (false: it is 1/3)')\n"
         "def moment_wrong(ctx):\n"
         "    '''A false statement, to see a refutation.'''\n"
         "    u = ctx.rng().random(ctx.budget(200_000))\n"
         "    return [judge.identity({'k': 2.0}, 0.34, mean_estimate(u ** 2))]\n\n"
         "run = dropmc.verify(CATALOG.claims, seed=SEED, precision=PRECISION)\n"
         "wrong = dropmc.verify(['notebook.moment.wrong'], seed=SEED, precision='standard')\n"
         "for r in run.results + wrong.results:\n"
         "    print(f'[{r.precision}]', end=' ')\n"
         "    print(f'{r.claim.id}: {r.verdict.value}')\n"
         "    print(f'    evidence: {r.summary}')\n"
         "    if r.power and r.power.get(\"delta\"):\n"
         "        print(f'    power: a relative error of {r.power[\"delta\"]:.0e} in the closed form would be refuted')"),
    md("## 2. Sweep a parameter\n\n"
       "`dropmc explore` (here from Python) evaluates the explorer on a grid of k, each point "
       "with its own stream, and draws the closed form with Monte Carlo error bars of "
       "critical value × SE."),
    code("from dropmc import explore\n"
         "sweep = explore.sweep(dropmc.api.get('notebook.moment.k'), 'k', 0.5, 4.0, points=8,\n"
         "                      seed=SEED, precision=PRECISION)\n"
         "print(sweep.table())\n"
         "fig = explore.plot(sweep)"),
    md("## 3. Generalisations the papers invite\n\n"
       "* **Drop-Activation, Property 5.2** for any activation: the shift ratio "
       "Var(X_test)/Var(X_train) with the nonlinearity replaced by yours;\n"
       "* **VCL, Eq. 1** for any law given as a scipy distribution;\n"
       "* **Zhang–Xu, Lemma 1** for your network.\n\n"
       "Each factory registers a claim in your catalog; the built-in extension claims "
       "(`drop_activation.ext.shift_ratio_activation`, `variance_constancy.ext.eq1_scipy_law`, "
       "`implicit_regularization.ext.lemma1_structured_networks`) use the same code."),
    code("from dropmc.papers.drop_activation import shift_ratio_claim\n"
         "from dropmc.papers.variance_constancy import eq1_claim\n"
         "from dropmc.papers.implicit_regularization import lemma1_claim\n"
         "from dropmc.theory import drop_activation as da\n\n"
         "MINE = Catalog('mine', title='My generalisations')\n"
         "softplus = lambda x: np.logaddexp(0.0, x)\n"
         "shift_ratio_claim(MINE, softplus, 'softplus')\n"
         "eq1_claim(MINE, stats.weibull_min(1.5), 'weibull_1_5')\n"
         "g = np.random.default_rng(SEED)\n"
         "Ws = [g.normal(size=(8, 3)) / np.sqrt(3), g.normal(size=(2, 8)) / np.sqrt(8)]\n"
         "bs = [g.normal(size=8), np.zeros(2)]\n"
         "X, Y = g.normal(size=(5, 3)), g.normal(size=(5, 2))\n"
         "lemma1_claim(MINE, Ws, bs, X, Y, p=0.8, activation='tanh', name='my_net')\n\n"
         "run = dropmc.verify(MINE.claims, seed=SEED, precision=PRECISION)\n"
         "for r in run.results:\n"
         "    print(f'{r.claim.id}: {r.verdict.value} — {r.summary}')\n"
         "print(f'softplus shift ratio at p = 0.95 (closed form): {da.shift_ratio_activation(0.95, softplus):.5f}')\n"
         "print(f'ReLU (Eq. 15) at p = 0.95:                       {da.shift_ratio(0.95):.5f}')"),
    code("ps = np.linspace(0.01, 1, 100)\n"
         "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
         "for name, phi in {**da.SHIFT_ACTIVATIONS, 'softplus': softplus}.items():\n"
         "    mo = da.activation_moments(phi)\n"
         "    ax.plot(ps, [da.shift_ratio_activation(p, moments=mo) for p in ps], label=name)\n"
         "ax.set_xlabel('$p$'); ax.set_ylabel(r'Var$(X_{test})$ / Var$(X_{train})$'); ax.legend(fontsize=8)\n"
         "ax.set_title('Property 5.2 generalised to other activations', fontsize=10);"),
    md("## 4. From pytest and on Dask\n\n"
       "Installing dropmc enables its pytest plugin:\n\n"
       "```python\n"
       "def test_my_theorem(dropmc_verify):\n"
       "    dropmc_verify('mythm.moment.k', module='mypkg.claims', expect='CONFIRMED')\n\n"
       "@pytest.mark.dropmc_claim('mythm.moment.k', module='mypkg.claims')\n"
       "def test_marker():\n"
       "    pass\n"
       "```\n\n"
       "A failing verdict fails the test with its evidence; seed, resolution and power are "
       "recorded in the test report. For a wide sweep, `dropmc.verify(..., scheduler='local:4')` "
       "(or `dropmc verify --scheduler tcp://host:8786`) runs the claims on Dask with the same "
       "report as a local run (`pip install 'dropmc[dask]'`)."),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
out = Path(__file__).resolve().parents[1] / "notebooks" / "user_claims.ipynb"
nbf.write(nb, out)
print(out)
