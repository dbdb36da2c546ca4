"""Do antithetic replications narrow the main job's paired gains? (issue 16: fewer runs for
the same precision)

Every stream draws by inversion from uniforms (exponential -log(1-u), normal ndtri(u); the
engine's own streams use numpy's ziggurat, so this script patches ``Stream`` in its own
processes only), and replication r's antithetic partner uses 1-u wherever r uses u. For a few
measures on the month baseline it prints the correlation of a replication's paired gain with
its partner's, and the efficiency: the variance of an independent pair's mean over that of an
antithetic pair's (above 1 means antithetic pairs need fewer runs for the same precision).

    python benchmarks/study_antithetic.py        # 15 pairs + 30 plain replications, 2 workers
"""
import sys, numpy as np, multiprocessing as mp
from scipy.special import ndtri
import linesim.engine.streams as S
from linesim.scenario.load import load_scenario
from linesim.scenario.countermeasure import load_countermeasure, apply
from linesim.experiments.compare import plant_run

ANTI = [False]

def _getattr(self, kind):
    if kind not in S.KINDS:
        raise AttributeError(kind)
    g = self.gen
    def unif(k):
        u = g.random(k)
        return 1.0 - u if ANTI[0] else u
    f = {"uniform": unif, "exponential": lambda k: -np.log1p(-unif(k)),
         "normal": lambda k: ndtri(unif(k))}[kind]
    draw = S._blocks(f).__next__
    setattr(self, kind, draw)
    return draw

S.Stream.__getattr__ = _getattr

def job(args):
    sc, seed, rep, anti = args
    ANTI[0] = anti
    return plant_run((sc, seed, rep))["units"]

if __name__ == "__main__":
    mp.set_start_method("fork")
    base = load_scenario("scenarios/baseline.yaml")
    seed = base.seed_for(None)
    names = ["purchase-plan", "laser-fixture", "relief-pool", "warehouse-staging"]
    scs = {"base": base, **{n: apply(base, [load_countermeasure(f"scenarios/countermeasures/{n}.yaml")]) for n in names}}
    P = 15
    jobs = [(k, r, a) for k in scs for r in range(P) for a in (False, True)]
    # independent reps for comparison: reps P..2P-1 plain
    jobs += [(k, r, False) for k in scs for r in range(P, 2 * P)]
    with mp.Pool(2) as pool:
        out = pool.map(job, [(scs[k], seed, r, a) for k, r, a in jobs], chunksize=1)
    U = dict(zip(jobs, out))
    for n in names:
        g = {(r, a): U[n, r, a] - U["base", r, a] for r in range(2 * P) for a in (False, True) if (n, r, a) in U}
        x = np.array([g[r, False] for r in range(P)]); y = np.array([g[r, True] for r in range(P)])
        ind = np.array([g[r, False] for r in range(2 * P)])
        rho = np.corrcoef(x, y)[0, 1]
        pair = (x + y) / 2
        print(f"{n:20s} mean plain {ind.mean():7.1f} anti-pairs {pair.mean():7.1f}  sd(g) {ind.std(ddof=1):6.1f}  rho {rho:+.2f}  "
              f"var pair-mean {pair.var(ddof=1):8.0f} vs indep var/2 {ind.var(ddof=1)/2:8.0f}  efficiency {ind.var(ddof=1)/2/pair.var(ddof=1):.2f}")
    b = np.array([U["base", r, False] for r in range(P)]); ba = np.array([U["base", r, True] for r in range(P)])
    print("base units rho", np.corrcoef(b, ba)[0, 1])
