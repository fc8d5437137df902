#!/bin/sh
# zoo.sh - the model zoo: runs the reference kit's setup ($SHARED/reference/setup.sh: Debian packages,
# onnxruntime-node, and the 16 PyTorch models exported with torch reference outputs into
# $INFER_REF_HOME/models/<name>/{model.onnx, model_folded.onnx, test_data_set_*}), then
# `build/infer test` over every model dir for the raw and the folded export, with the zoo's tolerance
# (rtol 1e-3, atol 1e-4). Exit 1 when a model fails or is missing.
#
# Environment: SHARED (default ../shared), INFER_REF_HOME (default ~/.cache/infer-reference),
# THREADS (per model, default: all cores), ZOO_SETUP_ARGS (extra setup.sh arguments, e.g. --no-apt),
# ZOO_SKIP_SETUP=1 (use the models already exported).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
INFER_REF_HOME=${INFER_REF_HOME:-$HOME/.cache/infer-reference}
export INFER_REF_HOME
THREADS=${THREADS:-$(nproc 2>/dev/null || echo 2)}
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
for f in model.onnx model_folded.onnx; do
    echo "zoo: $f (rtol 1e-3, atol 1e-4, $THREADS threads)"
    start=$(date +%s)
    build/infer test -t "$THREADS" --timeout 1200 --rtol 1e-3 --atol 1e-4 --model "$f" "$MODELS" || status=1
    echo "zoo: $f took $(($(date +%s) - start)) s"
done
[ "$status" = 0 ] && echo "zoo: all models match the torch references"
exit $status
