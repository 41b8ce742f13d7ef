"""Coefficients of the polynomial behind VectorMath.reducedExpm1 (Sources/CriticalityCore/VectorMath.swift).

e^r - 1 = r + r^2 Q(r) on |r| <= ln(2)/2 (the range left after x = k ln 2 + r), with Q of degree 9 chosen to
minimise the largest relative error of e^r - 1 (not of Q). Lawson's iteration (iteratively reweighted least
squares, which converges to the minimax fit) at 200 Chebyshev nodes, in 50-digit arithmetic (mpmath). The
check rounds the coefficients to doubles and evaluates the polynomial exactly on 20,001 points: the printed
error is the approximation error alone (the Estrin evaluation in double precision adds its own rounding,
which the Swift tests measure against libm).

Usage: python3 tools/expm1_minimax.py [DEGREE_OF_Q]   (default 9; needs mpmath and NumPy)
"""
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 50


def q_exact(r):
    return mp.mpf(1) / 2 if r == 0 else (mp.expm1(r) - r) / r ** 2


def fit(degree, nodes=200, iterations=60):
    a = mp.log(2) / 2
    xs = [a * mp.cos(mp.pi * (k + mp.mpf(1) / 2) / nodes) for k in range(nodes)]
    weights = [mp.mpf(1)] * nodes
    for _ in range(iterations):
        matrix = mp.matrix(nodes, degree + 1)
        rhs = mp.matrix(nodes, 1)
        for i, r in enumerate(xs):
            scale = mp.sqrt(weights[i]) * abs(r * r / mp.expm1(r))  # relative error of e^r - 1
            for j in range(degree + 1):
                matrix[i, j] = scale * r ** j
            rhs[i] = scale * q_exact(r)
        coefficients = mp.lu_solve(matrix.T * matrix, matrix.T * rhs)
        errors = [abs(r * r * (sum(coefficients[j] * r ** j for j in range(degree + 1)) - q_exact(r)) / mp.expm1(r))
                  for r in xs]
        total = sum(w * e for w, e in zip(weights, errors))
        weights = [w * e / total for w, e in zip(weights, errors)]
    return [float(c) for c in coefficients], float(a)


def main():
    degree = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    coefficients, a = fit(degree)
    worst = mp.mpf(0)
    for x in np.linspace(-a, a, 20001):
        r = mp.mpf(float(x))
        if r == 0:
            continue
        value = r + r * r * sum(mp.mpf(c) * r ** j for j, c in enumerate(coefficients))
        worst = max(worst, abs((value - mp.expm1(r)) / mp.expm1(r)))
    print(f"Q of degree {degree} (e^r - 1 of degree {degree + 2}): largest relative error "
          f"{float(worst):.3g} = {float(worst / mp.mpf(2) ** -53):.3f} ulp")
    for j, c in enumerate(coefficients):
        print(f"  c{j} = {c!r}")


if __name__ == "__main__":
    main()
