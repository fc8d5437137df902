#!/bin/sh
# run.sh - the malformed-model suite of issue 5: generates the cases (gen_malformed.py) and runs
# `infer run` on each under `timeout 10` and `ulimit -v 4000000`.
#
# usage: sh tests/malformed/run.sh [INFER_BINARY]          (default build/infer)
# env:   PYTHON           interpreter with onnx + numpy (default /usr/bin/python3)
#        MALFORMED_DIR    where the cases are written (default build/malformed; wiped first)
#        MALFORMED_TIMEOUT seconds per case (default 10)
#        MALFORMED_NO_ULIMIT=1  skip the address-space limit (for AddressSanitizer builds, which
#                         reserve terabytes of virtual memory)
#        MALFORMED_KEEP_GOING   (ignored; the suite always runs every case)
#        VERBOSE=1        print every case, not only the failures
#
# A case fails when the process dies by a signal, runs past the timeout, exits non-zero without a
# message on stderr, or exits 0 where the case must be refused (expect = fail in cases.tsv). A
# clean error (non-zero exit with a message) always passes; exit 0 passes where expect = any.
# Prints `N passed, M failed` last; the exit status is 1 when any case failed.

INFER=${1:-build/infer}
PYTHON=${PYTHON:-/usr/bin/python3}
DIR=${MALFORMED_DIR:-build/malformed}
TMO=${MALFORMED_TIMEOUT:-10}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ ! -x "$INFER" ]; then
    echo "run.sh: $INFER not found or not executable (build it first)" >&2
    exit 2
fi
case "$INFER" in /*) ;; *) INFER="$(pwd)/$INFER" ;; esac

"$PYTHON" "$HERE/gen_malformed.py" "$DIR" || { echo "run.sh: generating the cases failed" >&2; exit 2; }

pass=0
fail=0
failed_list=""
errf="$DIR/.stderr"
outf="$DIR/.stdout"
tab=$(printf '\t')

while IFS="$tab" read -r name expect desc; do
    [ -n "$name" ] || continue
    case_dir="$DIR/$name"
    if [ -d "$case_dir/data" ]; then
        set -- run "$case_dir/model.onnx" -d "$case_dir/data" -t 1
    else
        set -- run "$case_dir/model.onnx" -t 1
    fi
    (
        if [ -z "$MALFORMED_NO_ULIMIT" ]; then ulimit -v 4000000 2>/dev/null; fi
        exec timeout -k 2 "$TMO" "$INFER" "$@"
    ) >"$outf" 2>"$errf" </dev/null
    rc=$?
    verdict=""
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        verdict="timeout (${TMO}s)"
    elif [ $rc -gt 128 ]; then
        verdict="killed by signal $((rc - 128))"
    elif [ $rc -eq 0 ]; then
        [ "$expect" = fail ] && verdict="accepted a model that must be refused"
    elif [ ! -s "$errf" ]; then
        verdict="exit $rc without a message"
    elif grep -qE "(Address|Leak|Thread|Memory)Sanitizer|\.(c|h|cc|cpp):[0-9]+:[0-9]+: runtime error:" "$errf"; then
        verdict="sanitizer report"
    elif [ $rc -eq 2 ]; then
        verdict="usage error (exit 2)"
    fi
    if [ -n "$verdict" ]; then
        fail=$((fail + 1))
        failed_list="$failed_list $name"
        echo "FAIL $name: $verdict [$desc]"
        head -c 600 "$errf" | sed 's/^/    /'
    else
        pass=$((pass + 1))
        if [ -n "$VERBOSE" ]; then
            echo "PASS $name (exit $rc): $(head -c 200 "$errf" | tr '\n' ' ')"
        fi
    fi
done <"$DIR/cases.tsv"

rm -f "$errf" "$outf"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
