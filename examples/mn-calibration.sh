#!/usr/bin/env bash
# The multiplicative-noise calibration (docs/analysis.md, "Multiplicative noise in one dimension"):
# the Lyapunov exponent of the MN lattice (sigma = 1, eps = 1/2) whose zero is its transition, two
# independent scans around the rho-critical mu (the second at two sizes, for the self-averaging
# test) whose deltas, combined, are the class mn-1+1's value, and the same lattice with a cutoff of
# 1e-2, which is DP 1+1. About 20 minutes on 2 cores.
# Usage: bash examples/mn-calibration.sh [OUTPUT_FOLDER]   (default: runs/mn-calibration)
set -euo pipefail
out=${1:-runs/mn-calibration}
mkdir -p "$out"
crit="swift run -c release criticality"
$crit lyapunov mn-lattice --size 4096 --depth 8192 --burn-in 1024 --samples 64 -o "$out/lyapunov.csv"
$crit simulate mn-lattice --mu -0.4352 --mu -0.4346 --mu -0.4340 --size 4096 --depth 8192 --samples 192 --seed 3 \
    -o "$out/seed3.csv"
$crit simulate mn-lattice --mu -0.4352 --mu -0.4346 --mu -0.4340 --size 1024 --size 4096 --depth 8192 --samples 192 --seed 4 \
    -o "$out/seed4.csv"
$crit simulate mn-lattice --cutoff 0.01 --mu -0.314 --mu -0.3125 --mu -0.311 --mu -0.3095 --mu -0.308 --size 1024 --depth 4096 \
    --samples 512 --seed 5 -o "$out/cutoff.csv"
for run in seed3 seed4 cutoff; do
    $crit classify "$out/$run.csv" --plot "$out/$run.svg" -o "$out/$run-verdict.csv"
done
