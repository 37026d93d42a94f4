"""Build notebooks/drop_activation.ipynb (stored without outputs; the tests execute it)."""

from pathlib import Path

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# Drop-Activation: the shift ratio and the Property 5.1 penalty\n\n"
        "Liang, Khoo, Yang, *Drop-Activation*. This notebook explores two results with dropmc:\n\n"
        "1. **Property 5.2 (Eq. 15)** — the variance shift ratio Var(X_test)/Var(X_train) against p, "
        "closed form against Monte Carlo;\n"
        "2. **Property 5.1 (Eq. 10–11)** — the penalty that Drop-Activation adds to the squared loss, "
        "as printed and as corrected, against exact enumeration of all 2^d masks.\n\n"
        "Change the parameters in the next cell and re-run."),
    nbf.v4.new_code_cell(
        "import numpy as np\n"
        "import matplotlib.pyplot as plt\n"
        "from dropmc.theory import drop_activation as th\n"
        "from dropmc.simulations import drop_activation as sim\n\n"
        "SEED = 0          # every Monte Carlo number below is reproducible from this seed\n"
        "N_MC = 200_000    # samples per Monte Carlo point\n"
        "P_GRID = [0.2, 0.5, 0.65, 0.8, 0.95]"),
    nbf.v4.new_markdown_cell("## Shift ratio (Property 5.2)\n\nThe ratio does not depend on the weights w "
                             "or the width d; the Monte Carlo points use random w."),
    nbf.v4.new_code_cell(
        "ps = np.linspace(0.01, 1, 200)\n"
        "rng = np.random.default_rng(SEED)\n"
        "rows = []\n"
        "for p, ss in zip(P_GRID, np.random.SeedSequence(SEED).spawn(len(P_GRID))):\n"
        "    w = rng.normal(size=int(rng.integers(4, 100)))\n"
        "    est = sim.estimate_x_moments(w, p, n=N_MC, rng=ss)['shift_ratio']\n"
        "    rows.append((p, th.shift_ratio(p), est.mean, est.se, est.z(th.shift_ratio(p))))\n"
        "    print(f'p = {p:4.2f}: Eq. 15 = {th.shift_ratio(p):.5f}, MC = {est.mean:.5f} ± {est.se:.5f} '\n"
        "          f'(z = {est.z(th.shift_ratio(p)):+.2f}, d = {w.size})')\n"
        "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
        "ax.plot(ps, th.shift_ratio(ps), label='Eq. 15')\n"
        "ax.errorbar([r[0] for r in rows], [r[2] for r in rows], yerr=[2 * r[3] for r in rows], fmt='o',\n"
        "            label='Monte Carlo ±2 SE')\n"
        "ax.axhline(0.8, ls=':', c='gray'); ax.set_xlabel('p'); ax.set_ylabel('shift ratio'); ax.legend()\n"
        "from scipy.optimize import minimize_scalar\n"
        "m = minimize_scalar(th.shift_ratio, bounds=(1e-9, 1), method='bounded')\n"
        "print(f'minimum of Eq. 15: {m.fun:.5f} at p = {m.x:.4f}  (printed range: [0.8, 1])')"),
    nbf.v4.new_markdown_cell(
        "## The Property 5.1 penalty\n\n"
        "Exact E_P loss (Gray-code walk over all 2^d masks) against the printed right-hand side of "
        "Eq. 10 and the corrected one, in which each inactive hidden unit j is weighted by "
        "‖W₂[:, j]‖² (squared Frobenius norm instead of the squared vector norm of the proof's "
        "last step)."),
    nbf.v4.new_code_cell(
        "D, M, K, N_DATA, P = 10, 3, 2, 4, 0.8\n"
        "g = np.random.default_rng(SEED)\n"
        "for trial in range(5):\n"
        "    W1, W2 = g.normal(size=(D, M)), g.normal(size=(K, D))\n"
        "    X, Y = g.normal(size=(N_DATA, M)), g.normal(size=(N_DATA, K))\n"
        "    exact = sim.exact_dropact_loss(W1, W2, X, Y, P).mean\n"
        "    printed = th.property_5_1_rhs(W1, W2, X, Y, P)\n"
        "    corrected = th.property_5_1_rhs_corrected(W1, W2, X, Y, P)\n"
        "    print(f'exact {exact:10.6f}   printed Eq. 10 {printed:10.6f}   corrected {corrected:10.6f}')"),
    nbf.v4.new_markdown_cell("How large is the printed penalty's error relative to the true penalty, "
                             "as a function of p?"),
    nbf.v4.new_code_cell(
        "W1, W2 = g.normal(size=(D, M)), g.normal(size=(K, D))\n"
        "X, Y = g.normal(size=(N_DATA, M)), g.normal(size=(N_DATA, K))\n"
        "pp = np.linspace(0.05, 0.99, 40)\n"
        "printed = np.array([th.penalty(W1, W2, X, p) for p in pp])\n"
        "true = np.array([th.penalty_corrected(W1, W2, X, p) for p in pp])\n"
        "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
        "ax.semilogy(pp, printed, label='printed penalty (Eq. 11)')\n"
        "ax.semilogy(pp, true, label='true penalty (corrected)')\n"
        "ax.set_xlabel('p'); ax.legend()\n"
        "print('ratio printed/true is constant in p:', np.allclose(printed / true, printed[0] / true[0]))"),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
out = Path(__file__).resolve().parents[1] / "notebooks" / "drop_activation.ipynb"
nbf.write(nb, out)
print(out)
