#!/bin/sh
# conformance.sh NAME EXPECTED "SWEEP COMMAND" DIR...
#
# Runs the sweep (`build/infer test ...`) over DIR..., keeps the log in build/conformance_NAME.log and
# the sorted names of the passing tests in build/pass_NAME.txt, then compares them with the committed
# list EXPECTED: a test on the list that no longer passes is a regression (exit 1); a test that passes
# but is not on the list is reported as a new pass (not a failure: `make update-expected` adds it).
# With UPDATE=1 it rewrites EXPECTED instead.
set -eu
name=$1 expected=$2 sweep=$3
shift 3
export LC_ALL=C
log=build/conformance_$name.log
pass=build/pass_$name.txt
mkdir -p build
rm -f "$pass"
start=$(date +%s)
# the sweep exits 1 when any test fails, which is expected here: judge by the lists
$sweep --list-passing "$pass" "$@" >"$log" 2>&1 || true
summary=$(tail -n 1 "$log")
case "$summary" in
*" passed, "*" failed"*) ;;
*)
    echo "conformance $name: the sweep did not finish; end of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
    ;;
esac
[ -f "$pass" ] || : >"$pass"
sort -o "$pass" "$pass"
echo "conformance $name: $summary ($(($(date +%s) - start)) s; log: $log)"
if [ "${UPDATE:-0}" = 1 ]; then
    cp "$pass" "$expected"
    echo "conformance $name: wrote $expected ($(wc -l <"$expected") tests)"
    exit 0
fi
if [ ! -f "$expected" ]; then
    echo "conformance $name: $expected is missing (make update-expected writes it)" >&2
    exit 1
fi
sort "$expected" >"build/expected_$name.sorted"
comm -13 "build/expected_$name.sorted" "$pass" >"build/new_$name.txt"
comm -23 "build/expected_$name.sorted" "$pass" >"build/regressed_$name.txt"
nnew=$(wc -l <"build/new_$name.txt")
nreg=$(wc -l <"build/regressed_$name.txt")
if [ "$nnew" -gt 0 ]; then
    echo "conformance $name: $nnew new passes, not yet in $expected (make update-expected):"
    sed 's/^/  + /' "build/new_$name.txt"
fi
if [ "$nreg" -gt 0 ]; then
    echo "conformance $name: $nreg REGRESSIONS (in $expected, no longer passing):" >&2
    while IFS= read -r t; do
        line=$(grep -F "FAIL $t:" "$log" | head -n 1 || true)
        echo "  - ${line:-$t}" >&2
    done <"build/regressed_$name.txt"
    exit 1
fi
echo "conformance $name: all $(wc -l <"build/expected_$name.sorted") expected passes still pass"
