#!/bin/sh
# zoo.sh - the model zoo: runs the reference kit's setup ($SHARED/reference/setup.sh: Debian packages,
# onnxruntime-node, and the 16 PyTorch models exported with torch reference outputs into
# $INFER_REF_HOME/models/<name>/{model.onnx, model_folded.onnx, test_data_set_*}), then
# `build/infer test` over every model dir for the raw export (optimiser on, and off with -O 0) and the
# folded export, with the zoo's tolerance (rtol 1e-3, atol 1e-4); then the optimiser's exports of the
# raw models (`infer optimize`: node counts, infer and ONNX Runtime outputs) and the optimiser's
# pattern models (tests/opt_patterns.py). Exit 1 when a model fails or is missing.
#
# Environment: SHARED (default ../shared), INFER_REF_HOME (default ~/.cache/infer-reference),
# THREADS (per model, default: all cores), ZOO_SETUP_ARGS (extra setup.sh arguments, e.g. --no-apt),
# ZOO_SKIP_SETUP=1 (use the models already exported), INFER (the CLI, default build/infer; e.g. an
# AddressSanitizer build), ZOO_OPT (where the optimised exports go, default build/zoo_opt).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
INFER_REF_HOME=${INFER_REF_HOME:-$HOME/.cache/infer-reference}
export INFER_REF_HOME
THREADS=${THREADS:-$(nproc 2>/dev/null || echo 2)}
INFER=${INFER:-build/infer}
MODELS=$INFER_REF_HOME/models
EXPECTED_MODELS=16

if [ "${ZOO_SKIP_SETUP:-0}" != 1 ]; then
    echo "zoo: $SHARED/reference/setup.sh ${ZOO_SETUP_ARGS:-}"
    # shellcheck disable=SC2086
    "$SHARED/reference/setup.sh" ${ZOO_SETUP_ARGS:-}
fi
n=$(find "$MODELS" -mindepth 2 -maxdepth 2 -name model.onnx 2>/dev/null | wc -l)
if [ "$n" -lt "$EXPECTED_MODELS" ]; then
    echo "zoo: $n models under $MODELS, expected $EXPECTED_MODELS" >&2
    exit 1
fi
status=0
for run in "model.onnx -O 2" "model.onnx -O 0" "model_folded.onnx -O 2"; do
    set -- $run
    echo "zoo: $1 $2 $3 (rtol 1e-3, atol 1e-4, $THREADS threads)"
    start=$(date +%s)
    "$INFER" test -t "$THREADS" --timeout 1200 --rtol 1e-3 --atol 1e-4 "$2" "$3" --model "$1" "$MODELS" || status=1
    echo "zoo: $1 $2 $3 took $(($(date +%s) - start)) s"
done
# The optimizer's exports: `infer optimize` on each raw export must give a file with no more nodes than
# PyTorch's own constant-folded export, that ONNX Runtime loads and that matches the torch outputs.
OPT=${ZOO_OPT:-build/zoo_opt}
rm -rf "$OPT"
mkdir -p "$OPT"
for d in "$MODELS"/*/; do
    name=$(basename "$d")
    [ -f "$d/model.onnx" ] || continue
    mkdir -p "$OPT/$name"
    if ! "$INFER" optimize "$d/model.onnx" -o "$OPT/$name/model.onnx" > "$OPT/$name/optimize.txt"; then
        echo "zoo: optimize $name failed" >&2
        status=1
        continue
    fi
    for t in "$d"/test_data_set_*; do ln -sfn "$(cd "$t" && pwd)" "$OPT/$name/$(basename "$t")"; done
    after=$(awk '$1 == "total" {print $3}' "$OPT/$name/optimize.txt")
    folded=$("$INFER" info --opt -1 "$d/model_folded.onnx" | awk '$1 == "nodes:" {print $2}')
    echo "zoo: optimize $name: $(awk '$1 == "total" {print $2}' "$OPT/$name/optimize.txt") -> $after nodes (torch folded: $folded)"
    if [ -z "$after" ] || [ -z "$folded" ] || [ "$after" -gt "$folded" ]; then
        echo "zoo: optimize $name: more nodes than torch's folded export" >&2
        status=1
    fi
done
echo "zoo: optimised exports through infer (rtol 1e-3, atol 1e-4)"
"$INFER" test -t "$THREADS" --timeout 1200 --rtol 1e-3 --atol 1e-4 "$OPT" || status=1
if command -v node >/dev/null 2>&1 && [ -f "$SHARED/reference/ort_conformance.js" ]; then
    echo "zoo: optimised exports through ONNX Runtime (rtol 1e-3, atol 1e-4)"
    node "$SHARED/reference/ort_conformance.js" --strict --data "$OPT" --atol 1e-4 --out '' > "$OPT/ort.txt" 2>&1 || true
    tail -4 "$OPT/ort.txt"
    total=$(find "$OPT" -mindepth 2 -maxdepth 2 -name model.onnx | wc -l)
    passed=$(grep -c '^PASS' "$OPT/ort.txt" || true)
    if [ "$passed" != "$total" ]; then
        echo "zoo: ONNX Runtime passes $passed of $total optimised exports" >&2
        status=1
    fi
fi
# The optimiser's rewrites on models built for them, with numpy references (and ONNX Runtime on the
# written files when node is here).
PAT=build/opt_patterns
rm -rf "$PAT"
echo "zoo: optimiser patterns (tests/opt_patterns.py)"
/usr/bin/python3 tests/opt_patterns.py "$PAT" "$INFER" || status=1
if command -v node >/dev/null 2>&1 && [ -f "$SHARED/reference/ort_conformance.js" ]; then
    node "$SHARED/reference/ort_conformance.js" --strict --data "$PAT" --atol 1e-4 --out '' > "$PAT/ort.txt" 2>&1 || true
    total=$(find "$PAT" -mindepth 2 -maxdepth 2 -name model.onnx | wc -l)
    passed=$(grep -c '^PASS' "$PAT/ort.txt" || true)
    echo "zoo: ONNX Runtime passes $passed of $total pattern models (original and optimised)"
    [ "$passed" = "$total" ] || status=1
fi
[ "$status" = 0 ] && echo "zoo: all models match the torch references"
exit $status
