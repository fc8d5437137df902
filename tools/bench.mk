# tools/bench.mk - speed tables (included by the Makefile). Nothing here is asserted about speed:
# the targets fail only when a model or a GEMM errors or gives wrong results.
#
#   make bench        both tables below; the Markdown goes to build/bench.md
#   make bench-gemm   SGEMM GFLOP/s through the public API against the FMA peak measured in the
#                     same run (build/gemm_bench; table in build/bench_gemm.md)
#   make bench-zoo    infer against ONNX Runtime 1.30 on the reference zoo, interleaved rounds
#                     (tools/bench.js, node; needs $(SHARED)/reference and its installed kit)
#
# Knobs: BENCH_ROUNDS (rounds of the zoo table), BENCH_MODELS (comma-separated subset, default all
# 16), BENCH_THREADS (thread counts of both tables), BENCH_TARGET_MS (timed run time per zoo
# measurement), BENCH_TIMEOUT_S (time limit of one measurement process, default 900 s),
# BENCH_BLOCKS (0: each pair back to back in fresh processes; B > 0: both engines loaded at once,
# taking turns in B blocks of runs, the waiting one stopped; see tools/bench.js), GEMM_MS (timed run
# time per GEMM shape), NODE.
# Example: make bench-zoo BENCH_MODELS=mlp,simple_cnn,resnet18 BENCH_ROUNDS=3

BENCH_ROUNDS    ?= 3
BENCH_MODELS    ?=
BENCH_THREADS   ?= 1,2
BENCH_TARGET_MS ?= 400
BENCH_BLOCKS    ?= 0
GEMM_MS         ?= 400
NODE            ?= node

.PHONY: bench bench-gemm bench-zoo

bench: $(B)/infer $(B)/gemm_bench
	$(MAKE) --no-print-directory bench-gemm
	$(MAKE) --no-print-directory bench-zoo BENCH_APPEND=$(B)/bench_gemm.md

# build/gemm_bench: SGEMM through the public API (tools/gemm_bench.c)
$(B)/gemm_bench: tools/gemm_bench.c $(HDRS) | $(B)
	$(CC) -std=c99 -Wall -Wextra -pedantic $(CFLAGS) -I. -o $@ tools/gemm_bench.c -lm

bench-gemm: $(B)/gemm_bench
	@{ $(B)/gemm_bench -t $(BENCH_THREADS) --ms $(GEMM_MS); echo $$? > $(B)/bench_gemm.rc; } | tee $(B)/bench_gemm.md; \
	 rc=$$(cat $(B)/bench_gemm.rc); rm -f $(B)/bench_gemm.rc; exit $$rc

bench-zoo: $(B)/infer
	SHARED="$(SHARED)" $(NODE) tools/bench.js --infer $(B)/infer --shared "$(SHARED)" --out $(B)/bench.md \
	  --rounds $(BENCH_ROUNDS) --threads $(BENCH_THREADS) --target-ms $(BENCH_TARGET_MS) --blocks $(BENCH_BLOCKS) \
	  $(if $(BENCH_MODELS),--models $(BENCH_MODELS)) $(if $(BENCH_APPEND),--append $(BENCH_APPEND))
