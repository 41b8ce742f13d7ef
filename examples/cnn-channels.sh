#!/usr/bin/env bash
# Shared weights against the channel count (issue 19): for C = 4, 8, 16, 32, 64 the critical point of
# the shared-weight CNN (256 realisations per value) and for C = 4 ... 32 of the untied control (32),
# then a run of each at its critical point and the figure of delta_eff(l) and the realisations'
# spread of ln rho (docs/figures/cnn-channels.svg). About 55 minutes on 2 cores (C = 64 alone: 15).
# Usage: bash examples/cnn-channels.sh [OUTPUT_FOLDER]   (default: runs/cnn-channels)
set -euo pipefail
out=${1:-runs/cnn-channels}
mkdir -p "$out"
crit="swift run -c release criticality"
critical() { python3 -c "import csv,sys; print(next(csv.DictReader(open(sys.argv[1])))['critical'])" "$1"; }
runs=()
for C in 4 8 16 32 64; do
    $crit find-critical cnn --channels $C --size 128 --depth 1000 --samples 256 --store "$out/tied-C$C" -o "$out/tied-C$C-critical.csv"
    $crit simulate cnn --channels $C --sigma-w "$(critical "$out/tied-C$C-critical.csv")" --size 128 --depth 1000 --samples 1024 \
        --seed 7 -o "$out/tied-C$C.csv"
    runs+=("$out/tied-C$C.csv")
done
for C in 4 8 16 32; do
    $crit find-critical cnn --untied --channels $C --size 128 --depth 1000 --samples 32 --store "$out/untied-C$C" \
        -o "$out/untied-C$C-critical.csv"
    $crit simulate cnn --untied --channels $C --sigma-w "$(critical "$out/untied-C$C-critical.csv")" --size 128 --depth 1000 \
        --samples 128 --seed 7 -o "$out/untied-C$C.csv"
    runs+=("$out/untied-C$C.csv")
done
$crit analyze decay "${runs[@]}" --window 31:1000 --plot "$out/cnn-channels.svg" -o "$out/decay.csv"
