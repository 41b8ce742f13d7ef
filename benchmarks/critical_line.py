"""NumPy/SciPy reference for `criticality bench`: the tanh critical line at N values of sigma_b.

Same algorithm as the Swift engine: probabilists' Gauss-Hermite quadrature (96 nodes), the length
fixed point q* by bracketing and Brent, sigma_w,c by a geometric scan (0.05 * 1.1^k) and Brent.
Prints JSON: {"seconds": [per-repeat wall times], "points": N, "sigma_w_c": [...]}.
"""
import argparse
import json
import time

import numpy as np
from scipy.optimize import brentq

NODES, WEIGHTS = np.polynomial.hermite_e.hermegauss(96)
WEIGHTS = WEIGHTS / WEIGHTS.sum()


def mean_square(q):
    return np.dot(WEIGHTS, np.tanh(np.sqrt(q) * NODES) ** 2)


def q_star(sw, sb, q0=1.0):
    g = lambda q: sw * sw * mean_square(q) + sb * sb - q
    g0 = g(q0)
    if abs(g0) <= 1e-13 * q0:
        return q0
    lo = hi = q0
    if g0 > 0:
        while True:
            lo, hi = hi, hi * 2
            if g(hi) <= 0:
                break
    else:
        while True:
            hi, lo = lo, lo / 2
            if lo < 1e-60:
                return 0.0
            if g(lo) >= 0:
                break
    return brentq(g, lo, hi, xtol=1e-300, rtol=8.9e-16)


def chi1(sw, sb):
    q = max(q_star(sw, sb), 1e-60)
    return sw * sw * np.dot(WEIGHTS, (1 - np.tanh(np.sqrt(q) * NODES) ** 2) ** 2)


def sigma_w_critical(sb):
    h = lambda sw: chi1(sw, sb) - 1
    prev = 0.05
    sw = prev
    while sw < 100:
        sw *= 1.1
        if h(sw) > 0:
            return brentq(h, prev, sw, xtol=1e-15, rtol=8.9e-16)
        prev = sw
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    grid = np.linspace(0, 1, args.points)
    seconds, result = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        result = [sigma_w_critical(sb) for sb in grid]
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"seconds": seconds, "points": args.points, "sigma_w_c": result}))


if __name__ == "__main__":
    main()
