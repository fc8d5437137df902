# tests/fuzz.mk - fuzzing and regression replay of hostile inputs (issue 5).
# Included by the top-level Makefile; also usable alone from the repository root:
#     make -f tests/fuzz.mk fuzz-replay
#
#   make fuzz            build the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined) and
#                        fuzz the model loader for FUZZ_TIME seconds (default 60), one process;
#                        the growing corpus is build/fuzz/corpus_load, crashes go to build/fuzz/artifacts/
#   make fuzz-pb         the same for the .pb tensor reader
#   make fuzz-build      only build build/fuzz_load and build/fuzz_pb
#   make fuzz-replay     build the plain-main replay drivers with gcc -fsanitize=address,undefined and
#                        replay tests/fuzz/corpus_seed*/ and tests/fuzz/regressions/ through them
#                        (any sanitizer report, leak or crash fails; part of `make test`)
#   make malformed       generate the malformed-model suite and run build/infer on each case
#
# Found a crash? Minimise it (build/fuzz_load -minimize_crash=1 -runs=20000 CRASHFILE), copy it
# to tests/fuzz/regressions/load/ (models) or tests/fuzz/regressions/pb/ (pb target), fix, replay.

FUZZ_CC      ?= clang
FUZZ_REPLAY_CC ?= gcc
FUZZ_BUILD   ?= build
FUZZ_TIME    ?= 60
FUZZ_FLAGS   ?= -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
FUZZ_REPLAY_FLAGS ?= -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=undefined,float-cast-overflow
FUZZ_RUN_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -max_len=8192
# a single allocation above 2 GB is a bug here (the targets set max_memory = 256 MB, max_model_bytes = 16 MB)
FUZZ_ENV     = ASAN_OPTIONS=detect_leaks=1:max_allocation_size_mb=2048 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
FUZZ_DEPS    = infer.h $(wildcard parts/*.h) tests/fuzz_main.h

.PHONY: fuzz fuzz-pb fuzz-build fuzz-replay malformed

$(FUZZ_BUILD)/fuzz_load: tests/fuzz_load.c $(FUZZ_DEPS)
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_FLAGS) -I. tests/fuzz_load.c -o $@ -lm

$(FUZZ_BUILD)/fuzz_pb: tests/fuzz_pb.c $(FUZZ_DEPS)
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_FLAGS) -I. tests/fuzz_pb.c -o $@ -lm

$(FUZZ_BUILD)/fuzz_load_replay: tests/fuzz_load.c $(FUZZ_DEPS)
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_REPLAY_CC) $(FUZZ_REPLAY_FLAGS) -DINFER_FUZZ_MAIN -I. tests/fuzz_load.c -o $@ -lm

$(FUZZ_BUILD)/fuzz_pb_replay: tests/fuzz_pb.c $(FUZZ_DEPS)
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_REPLAY_CC) $(FUZZ_REPLAY_FLAGS) -DINFER_FUZZ_MAIN -I. tests/fuzz_pb.c -o $@ -lm

fuzz-build: $(FUZZ_BUILD)/fuzz_load $(FUZZ_BUILD)/fuzz_pb

fuzz: $(FUZZ_BUILD)/fuzz_load
	@mkdir -p $(FUZZ_BUILD)/fuzz/corpus_load $(FUZZ_BUILD)/fuzz/artifacts
	$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_load $(FUZZ_RUN_FLAGS) -max_total_time=$(FUZZ_TIME) -dict=tests/fuzz/onnx.dict \
	    -artifact_prefix=$(FUZZ_BUILD)/fuzz/artifacts/ $(FUZZ_BUILD)/fuzz/corpus_load tests/fuzz/corpus_seed

fuzz-pb: $(FUZZ_BUILD)/fuzz_pb
	@mkdir -p $(FUZZ_BUILD)/fuzz/corpus_pb $(FUZZ_BUILD)/fuzz/artifacts
	$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_pb $(FUZZ_RUN_FLAGS) -max_total_time=$(FUZZ_TIME) -dict=tests/fuzz/onnx.dict \
	    -artifact_prefix=$(FUZZ_BUILD)/fuzz/artifacts/pb- $(FUZZ_BUILD)/fuzz/corpus_pb tests/fuzz/corpus_seed_pb

fuzz-replay: $(FUZZ_BUILD)/fuzz_load_replay $(FUZZ_BUILD)/fuzz_pb_replay
	$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_load_replay tests/fuzz/corpus_seed tests/fuzz/regressions/load
	$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_pb_replay tests/fuzz/corpus_seed_pb tests/fuzz/regressions/pb

# needs $(FUZZ_BUILD)/infer built first (the top-level Makefile makes `malformed` depend on it)
malformed:
	sh tests/malformed/run.sh $(FUZZ_BUILD)/infer
