#!/usr/bin/env bash
# Fuzzes the tool's readers with libFuzzer: tools/fuzz.sh [SECONDS] [TARGET ...]
# TARGET: CSV, SweepSpecification, TaskFile, IDX (default: all). Each target runs SECONDS (default 30)
# from the corpus in Fuzz/corpus/TARGET (copied, so the repository's corpus is not changed; new
# inputs worth keeping can be copied back by hand). Prints the executions of each target; exits
# non-zero when a target finds a crash (its input is left as crash-* in the working folder).
set -euo pipefail
# Crashes go to libFuzzer (which saves the input), not to the Swift runtime's backtracer.
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(CSV SweepSpecification TaskFile IDX)

# The gold linker crashes on libFuzzer's objects; lld, shipped with the Swift toolchain, links them.
lld="$(dirname "$(readlink -f "$(command -v swift)")")/ld.lld"
[ -x "$lld" ] || { echo "fuzz: $lld not found (the Swift toolchain's lld)" >&2; exit 2; }
toolset=$(mktemp)
printf '{ "schemaVersion": "1.0", "linker": { "path": "%s" } }\n' "$lld" > "$toolset"
work=$(mktemp -d)
trap 'rm -rf "$toolset" "$work"' EXIT

status=0
for target in "${targets[@]}"; do
    CRITICALITY_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product "Fuzz$target" \
        -Xswiftc -sanitize=fuzzer --toolset "$toolset" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
    corpus="$work/corpus-$target"
    mkdir -p "$corpus"
    cp Fuzz/corpus/"$target"/* "$corpus"/
    log="$work/$target.log"
    if ! ".build-fuzz/release/Fuzz$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
            -print_final_stats=1 -artifact_prefix=./ > "$log" 2>&1; then
        status=1
        echo "fuzz $target: FOUND A PROBLEM"; tail -40 "$log"
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz $target: $runs executions in ${seconds} s (${coverage:-cov: ?}), corpus $(ls "$corpus" | wc -l) inputs"
done
exit $status
