#!/bin/sh
# subset.sh NAME "INFER COMMAND" - a second build of the CLI (the aarch64 NEON one under qemu, the
# scalar -DINFER_NO_SIMD one) over the tests of the GEMM / convolution kernels and their epilogues:
#   1. the conformance tests on the committed pass lists (tests/expected_pass_onnx112.txt, ..123.txt)
#      whose name names Conv, ConvTranspose, Gemm, MatMul, Linear, pooling or an activation (Relu,
#      Sigmoid, Tanh, Elu, Selu, Clip, HardSwish, Softplus, Softsign, Gelu, Mish, Softmax, ...):
#      every one must pass, against the ONNX data;
#   2. zoo models (raw export, optimiser on; SUBSET_MODELS names them, `all` is all 16) against the
#      PyTorch outputs (rtol 1e-3, atol 1e-4, the zoo's tolerance; tests/zoo.sh sets them up).
# So the NEON / scalar kernels are held to the same references as the x86 SIMD ones.
#
# Environment: ONNX112 (the ONNX 1.12 data), ONNX123 (the unpacked 1.23 node suite, default
# build/onnx-1.23/node), INFER_REF_HOME (default ~/.cache/infer-reference), SUBSET_MODELS (zoo model
# names or `all`), JOBS (tests at once, default 2), THREADS (per zoo model, default 2).
set -eu
cd "$(dirname "$0")/.."
name=$1 infer=$2
ONNX112=${ONNX112:-/usr/share/libonnx-testdata/data}
ONNX123=${ONNX123:-build/onnx-1.23/node}
INFER_REF_HOME=${INFER_REF_HOME:-$HOME/.cache/infer-reference}
SUBSET_MODELS=${SUBSET_MODELS:-simple_cnn mlp mobilenet_v3_small squeezenet1_1}
JOBS=${JOBS:-2}
THREADS=${THREADS:-2}
export LC_ALL=C
# the last path component names the op; quantized and loss variants are left to the full sweeps
pat='/test_[^/]*(conv|gemm|matmul|linear|pool|relu|sigmoid|tanh|elu|clip|hardswish|softplus|softsign|gelu|mish|softmax)[^/]*$'
skip='cross_entropy|_sce_|nll|integer|qlinear|quantize'
list=build/subset_$name.txt
mkdir -p build
: >"$list"
grep -iE "$pat" tests/expected_pass_onnx112.txt | grep -viE "$skip" | sed "s|^|$ONNX112/|" >>"$list"
grep -iE "$pat" tests/expected_pass_onnx123.txt | grep -viE "$skip" | sed "s|^node/|$ONNX123/|" >>"$list"
n=$(wc -l <"$list")
missing=0
while IFS= read -r d; do
    [ -d "$d" ] || { echo "subset $name: missing $d" >&2; missing=1; }
done <"$list"
[ "$missing" = 0 ] || exit 1
status=0
start=$(date +%s)
# shellcheck disable=SC2046
if $infer test -q -j "$JOBS" --timeout 600 $(cat "$list") >"build/subset_$name.log" 2>&1; then :; else status=1; fi
echo "subset $name: conformance ($n tests on the pass lists): $(tail -n 1 "build/subset_$name.log") ($(($(date +%s) - start)) s)"
[ "$status" = 0 ] || { grep -v '^PASS' "build/subset_$name.log" | head -n 30 >&2; }
dirs=""
[ "$SUBSET_MODELS" = all ] && SUBSET_MODELS=$(cd "$INFER_REF_HOME/models" && for d in */; do
    [ -f "$d/model.onnx" ] && printf '%s ' "${d%/}"; done)
for m in $SUBSET_MODELS; do
    d=$INFER_REF_HOME/models/$m
    if [ ! -f "$d/model.onnx" ] || [ ! -d "$d/test_data_set_0" ]; then
        echo "subset $name: zoo model $m is missing under $INFER_REF_HOME/models (tests/zoo.sh sets them up)" >&2
        exit 1
    fi
    dirs="$dirs $d"
done
start=$(date +%s)
# shellcheck disable=SC2086
if $infer test -t "$THREADS" --timeout 1200 --rtol 1e-3 --atol 1e-4 --model model.onnx $dirs >"build/subset_${name}_zoo.log" 2>&1; then :
else status=1; fi
cat "build/subset_${name}_zoo.log"
echo "subset $name: zoo ($(echo $SUBSET_MODELS)) took $(($(date +%s) - start)) s"
[ "$status" = 0 ] && echo "subset $name: all passed"
exit $status
