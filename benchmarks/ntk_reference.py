"""NumPy reference for `criticality bench ntk`: the infinite-width NNGP/NTK recursion and the
gradient-flow predictor, as a NumPy user would write them.

--part kernel: the first --rows rows of a CSV(.gz) data file (last column dropped), rescaled to mean
square 1, the NNGP K and NTK Theta of every pair i <= j after --depth layers of an erf network
(closed forms, vectorised over the pairs: E[erf(u) erf(u')] = (2/pi) asin(2 K12 / (1 + 2 q)),
E[erf'(u) erf'(u')] = (4/pi) / sqrt((1 + 2 q)^2 - 4 K12^2) for equal variances q). Timed: the Gram
matrix and the recursion. Prints {"seconds": [...], "pairs", "ntk01": Theta of rows 0 and 1, "peak_rss_mib"}.

--part predictor: the erf NTK at --depth of --train training and --test test rows (one-hot labels of
the last column), then, timed: numpy.linalg.eigh of the training kernel and the test outputs at
t = inf and at t = 1000 (f = Theta* V diag((1 - exp(-lambda t / N)) / lambda) V^T Y).
Prints {"seconds": [...], "test_mse_inf", "peak_rss_mib"}.

--part regression: the same kernels, then, timed: kernel regression alone (t = inf) as
numpy.linalg.eigvalsh (for the condition number) and scipy.linalg.cho_factor/cho_solve.
"""
import argparse
import gzip
import json
import resource
import time

import numpy as np


def load(path, rows):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    try:
        float(lines[0].split(",")[0])
    except ValueError:
        lines = lines[1:]
    data = np.array([[float(v) for v in l.split(",")] for l in lines[:rows]])
    x, y = data[:, :-1], data[:, -1].astype(int)
    x = x * np.sqrt(x.shape[1] / np.sum(x * x, axis=1))[:, None]
    return x, y


def erf_kernels(gram, n0, depth, sw, sb):
    """K and Theta after `depth` layers for a Gram matrix (any shape) of rows with |x|^2 = n0."""
    s2, b2 = sw * sw, sb * sb
    k = s2 * gram / n0 + b2
    q = s2 + b2
    theta = k.copy()
    for _ in range(depth - 1):
        a = 1 + 2 * q
        dot = (4 / np.pi) / np.sqrt(a * a - 4 * k * k)
        k = s2 * (2 / np.pi) * np.arcsin(2 * k / a) + b2
        theta = k + s2 * dot * theta
        q = s2 * (2 / np.pi) * np.arcsin(2 * q / a) + b2
    return k, theta


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--part", choices=["kernel", "predictor", "regression"], required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--rows", type=int, default=1797)
    p.add_argument("--train", type=int, default=1000)
    p.add_argument("--test", type=int, default=797)
    p.add_argument("--depth", type=int, default=100)
    p.add_argument("--sigma-w", type=float, required=True)
    p.add_argument("--sigma-b", type=float, default=0.3)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    out = {}
    times = []
    if a.part == "kernel":
        x, _ = load(a.input, a.rows)
        iu = np.triu_indices(len(x))
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            gram = (x @ x.T)[iu]
            k, theta = erf_kernels(gram, x.shape[1], a.depth, a.sigma_w, a.sigma_b)
            times.append(time.perf_counter() - t0)
        out.update(pairs=int(len(gram)), ntk01=float(theta[1]))
    else:
        import scipy.linalg
        x, y = load(a.input, a.train + a.test)
        xt, xs = x[: a.train], x[a.train:]
        _, theta = erf_kernels(xt @ xt.T, x.shape[1], a.depth, a.sigma_w, a.sigma_b)
        _, cross = erf_kernels(xs @ xt.T, x.shape[1], a.depth, a.sigma_w, a.sigma_b)
        classes = np.unique(y)
        onehot = (y[:, None] == classes[None, :]).astype(float)
        ytrain, ytest = onehot[: a.train], onehot[a.train:]
        n = a.train
        for _ in range(a.repeats if a.part == "regression" else 0):
            t0 = time.perf_counter()
            lam = np.linalg.eigvalsh(theta)
            f_inf = cross @ scipy.linalg.cho_solve(scipy.linalg.cho_factor(theta, lower=True), ytrain)
            times.append(time.perf_counter() - t0)
        for _ in range(a.repeats if a.part == "predictor" else 0):
            t0 = time.perf_counter()
            lam, v = np.linalg.eigh(theta)
            proj = v.T @ ytrain
            f_inf = cross @ (v @ (proj / lam[:, None]))
            w = -np.expm1(-lam * 1000.0 / n) / lam
            f_1000 = cross @ (v @ (proj * w[:, None]))
            times.append(time.perf_counter() - t0)
        out.update(test_mse_inf=float(np.mean((f_inf - ytest) ** 2)))
    out.update(seconds=times, peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
