#!/usr/bin/env bash
# Whole-process benchmark for issue 7 (see docs/performance.md). Not part of .ci/run.
#
# Generates a 1M-row CSV month with a 1M-member roster and a 1M-row workbook once into a
# scratch folder (outside the repository), then times, side by side:
#   - a bare csv ByteRecord pass and a bare calamine streaming cell read (the floors),
#   - headcount check and headcount run,
# and prints the ratios the issue sets targets for, peak RSS, the 100-row check time from
# process start, and the 1k → 1M scaling with a --jobs 1 identity check at each size.
# The reconcile section (issue 18) reconciles the CSV month's own run output against its
# folder, timed against check on the same month, at a tenth of the rows and at full size
# (its peak RSS must not grow with the bill).
#
# Environment:
#   HC_BENCH_DIR   scratch folder (default: ${TMPDIR:-/tmp}/headcount-bench)
#   HC_BENCH_RUNS  timed runs per command; the median is reported (default: 3)
#   HC_BENCH_ROWS  rows of the big files (default: 1000000)
#   HC_BENCH_SKIP  space-separated sections to skip: csv xlsx reconcile small scaling
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${HC_BENCH_DIR:-${TMPDIR:-/tmp}/headcount-bench}
RUNS=${HC_BENCH_RUNS:-3}
ROWS=${HC_BENCH_ROWS:-1000000}
SKIP=" ${HC_BENCH_SKIP:-} "
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "run.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

echo "== build (release)"
cargo build --release --quiet --bin headcount --example generate --example bare_csv --example bare_xlsx
BIN=$PWD/target/release
HC=$BIN/headcount
mkdir -p "$SCRATCH"

# The month the generator writes (see examples/support/datagen.rs).
MONTH=(--region beijing --period 2025-08 --as-of 2025-08-20 --employer 91110000600037341L --quiet)

# Data is regenerated only when the generator or the size changed.
STAMP=$(cat examples/support/datagen.rs examples/generate.rs | sha256sum | cut -c1-16)
gen() { # gen DIR ROWS FORMAT
    local dir=$1 rows=$2 format=$3
    if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$STAMP-$rows-$format" ]; then
        rm -rf "$dir"
        "$BIN/examples/generate" --rows "$rows" --roster "$rows" --bad-share 0.05 --seed 1 \
            --format "$format" --out "$dir" >/dev/null 2>"$SCRATCH/generate.log"
        echo "$STAMP-$rows-$format" >"$dir/.stamp"
    fi
}

# measure NAME CMD...: runs CMD $RUNS times; records the median wall time, its user+sys
# time and the largest peak RSS. Exit codes 0 and 1 are both fine (1 = rows rejected).
declare -A WALL CPU RSS
measure() {
    local name=$1; shift
    local f; f=$(mktemp)
    for _ in $(seq "$RUNS"); do
        local rc=0
        "$TIME" -f '%e %U %S %M' -o "$f.one" "$@" >/dev/null 2>"$f.err" || rc=$?
        if [ "$rc" -gt 1 ]; then
            echo "$name failed (exit $rc):" >&2; cat "$f.err" >&2; exit 2
        fi
        tail -n1 "$f.one" >>"$f"
    done
    read -r w c r < <(sort -n "$f" | awk -v n="$RUNS" '
        { wall[NR]=$1; cpu[NR]=$2+$3; if ($4>rss) rss=$4 }
        END { m=int((n+1)/2); printf "%.2f %.2f %.0f\n", wall[m], cpu[m], rss/1024 }')
    WALL[$name]=$w; CPU[$name]=$c; RSS[$name]=$r
    printf '  %-34s %7.2f s wall %7.2f s cpu %7s MB peak RSS\n' "$name" "$w" "$c" "$r"
    rm -f "$f" "$f.one" "$f.err"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "met" : "NOT met") }'; }
report() { # report LABEL VALUE TARGET UNIT
    printf '  %-44s %8s %-2s (target <= %s%s): %s\n' "$1" "$2" "$4" "$3" "$4" "$(verdict "$2" "$3")"
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
    "$(free -g | awk '/Mem:/ { print $2 " GB" }'), load $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ $SKIP != *" csv "* ]]; then
    D=$SCRATCH/csv-$ROWS
    echo "== CSV: $ROWS changes + $ROWS-member roster ($D)"
    gen "$D" "$ROWS" csv
    echo "  changes.csv $(du -m "$D/changes.csv" | cut -f1) MB, roster.csv $(du -m "$D/roster.csv" | cut -f1) MB"
    measure "bare csv ByteRecord pass" "$BIN/examples/bare_csv" "$D/changes.csv"
    measure "headcount check" "$HC" check "$D/changes.csv" --roster "$D/roster.csv" "${MONTH[@]}" --out "$D/out-check"
    measure "headcount run" "$HC" run "$D/changes.csv" --roster "$D/roster.csv" "${MONTH[@]}" --out "$D/out-run"
    measure "headcount check, no roster" "$HC" check "$D/changes.csv" "${MONTH[@]}" --out "$D/out-noroster"
    bare=${WALL["bare csv ByteRecord pass"]}
    report "check / bare csv" "$(ratio "${WALL["headcount check"]}" "$bare")" 3 x
    report "run / bare csv" "$(ratio "${WALL["headcount run"]}" "$bare")" 6 x
    report "check peak RSS" "${RSS["headcount check"]}" 250 MB
    report "run peak RSS" "${RSS["headcount run"]}" 250 MB
fi

if [[ $SKIP != *" reconcile "* ]]; then
    echo "== reconcile: a month's own contributions.csv against its run folder, vs check"
    for n in $((ROWS / 10)) "$ROWS"; do
        D=$SCRATCH/csv-$n
        gen "$D" "$n" csv
        # The run output is the bill and the expected side (made once per data set).
        if [ ! -s "$D/out-run/contributions.csv" ] || [ "$D/out-run/contributions.csv" -ot "$D/.stamp" ]; then
            "$HC" run "$D/changes.csv" --roster "$D/roster.csv" "${MONTH[@]}" --out "$D/out-run" >/dev/null || true
        fi
        measure "check $n rows" "$HC" check "$D/changes.csv" --roster "$D/roster.csv" "${MONTH[@]}" --out "$D/out-check"
        measure "reconcile $n rows" "$HC" reconcile --bill "$D/out-run/contributions.csv" \
            --expected "$D/out-run" --out "$D/out-reconcile" --quiet
        echo "  contributions.csv $(du -m "$D/out-run/contributions.csv" | cut -f1) MB," \
            "$(($(wc -l <"$D/out-run/contributions.csv") - 1)) rows"
        report "reconcile / check, $n rows" "$(ratio "${WALL["reconcile $n rows"]}" "${WALL["check $n rows"]}")" 2 x
    done
    small=${RSS["reconcile $((ROWS / 10)) rows"]} big=${RSS["reconcile $ROWS rows"]}
    report "reconcile peak RSS, $ROWS / $((ROWS / 10)) rows" "$(ratio "$big" "$small")" 1.5 x
fi

if [[ $SKIP != *" xlsx "* ]]; then
    D=$SCRATCH/xlsx-$ROWS
    echo "== XLSX: $ROWS changes ($D)"
    gen "$D" "$ROWS" xlsx
    echo "  changes.xlsx $(du -m "$D/changes.xlsx" | cut -f1) MB"
    measure "bare calamine streaming read" "$BIN/examples/bare_xlsx" "$D/changes.xlsx"
    measure "headcount check xlsx" "$HC" check "$D/changes.xlsx" "${MONTH[@]}" --out "$D/out-check"
    measure "headcount check xlsx + roster" "$HC" check "$D/changes.xlsx" --roster "$D/roster.csv" "${MONTH[@]}" --out "$D/out-check-roster"
    bare=${WALL["bare calamine streaming read"]}
    report "xlsx check / bare calamine" "$(ratio "${WALL["headcount check xlsx"]}" "$bare")" 1.1 x
    report "xlsx check + roster / bare calamine" "$(ratio "${WALL["headcount check xlsx + roster"]}" "$bare")" 1.1 x
    report "xlsx check peak RSS" "${RSS["headcount check xlsx"]}" 300 MB
fi

if [[ $SKIP != *" small "* ]]; then
    D=$SCRATCH/csv-100
    echo "== 100 rows: headcount check, wall time from process start"
    gen "$D" 100 csv
    cmd="$HC check $D/changes.csv --roster $D/roster.csv ${MONTH[*]} --out $D/out"
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 5 --runs 100 -i --export-json "$D/hyperfine.json" "$cmd" | sed 's/^/  /'
        ms=$(awk -F: '/"mean"/ { gsub(/[ ,]/, "", $2); printf "%.1f", $2 * 1000; exit }' "$D/hyperfine.json")
    else
        start=$(date +%s%N)
        for _ in $(seq 100); do $cmd >/dev/null 2>&1 || true; done
        ms=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 100 / 1e6 }')
    fi
    report "100-row check, mean wall" "$ms" 50 ms
fi

if [[ $SKIP != *" scaling "* ]]; then
    echo "== scaling: CSV check with a roster of as many members; --jobs 1 must give the same bytes"
    for n in 1000 10000 100000 "$ROWS"; do
        D=$SCRATCH/csv-$n
        gen "$D" "$n" csv
        measure "check $n rows" "$HC" check "$D/changes.csv" --roster "$D/roster.csv" "${MONTH[@]}" --out "$D/out-check"
        "$HC" check "$D/changes.csv" --roster "$D/roster.csv" "${MONTH[@]}" --jobs 1 --out "$D/out-jobs1" >/dev/null || true
        for f in errors.csv summary.json; do
            cmp -s "$D/out-check/$f" "$D/out-jobs1/$f" || { echo "  $n rows: $f differs with --jobs 1" >&2; exit 1; }
        done
        printf '  %-34s %7.2f us/row, --jobs 1 identical\n' "" \
            "$(awk -v w="${WALL["check $n rows"]}" -v n="$n" 'BEGIN { print w / n * 1e6 }')"
    done
fi
