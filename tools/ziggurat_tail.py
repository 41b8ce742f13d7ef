"""The start R of the tail of an N-strip ziggurat for the standard normal density (ZigguratTable.tailStart).

f(x) = exp(-x^2/2). Strips of equal area V = R f(R) + integral_R^inf f; x_1 = R and
x_{i+1} = f^{-1}(V / x_i + f(x_i)); R is the root of x_N(R) = 0 (the top strip closes at zero), i.e. of
V / x_{N-1} + f(x_{N-1}) = 1. Found by bisection in 60-digit arithmetic (mpmath): below the root the
recurrence leaves the domain (V / x_i + f(x_i) > 1) before N - 1 steps, above it the top strip stays short of 1.
Also printed: the fraction of draws that the quick test |u| < x_{i+1}/x_i rejects.

Usage: python3 tools/ziggurat_tail.py [STRIPS]   (default 1024; 256 gives 3.6541528853610088)
"""
import sys

import mpmath as mp

mp.mp.dps = 60


def f(x):
    return mp.exp(-x * x / 2)


def area(r):
    return r * f(r) + mp.sqrt(mp.pi / 2) * mp.erfc(r / mp.sqrt(2))


def top(r, strips):
    """V / x_{N-1} + f(x_{N-1}) - 1, or +1 when the recurrence leaves the domain earlier."""
    v = area(r)
    x = r
    for _ in range(strips - 2):
        y = v / x + f(x)
        if y >= 1:
            return mp.mpf(1)
        x = mp.sqrt(-2 * mp.log(y))
    return v / x + f(x) - 1


def tail_start(strips):
    lo, hi = mp.mpf(2), mp.mpf(6)
    for _ in range(200):
        mid = (lo + hi) / 2
        if top(mid, strips) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def rejected_fraction(r, strips):
    """Probability that a draw fails the quick test: sum over strips of (1 - x_{i+1}/x_i) / N."""
    v = area(r)
    xs = [v / f(r), r]
    for _ in range(strips - 2):
        xs.append(mp.sqrt(-2 * mp.log(v / xs[-1] + f(xs[-1]))))
    xs.append(mp.mpf(0))
    return sum(1 - xs[i + 1] / xs[i] for i in range(strips)) / strips


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    r = tail_start(n)
    print(f"strips {n}: R = {mp.nstr(r, 20)} (double {float(r)!r}); quick test rejects "
          f"{float(rejected_fraction(r, n)):.4%} of draws")
