# tests/sanitize.mk - sanitizer, valgrind, thread and allocation-failure runs (issue 5).
# Included by the top-level Makefile (which defines B, ONNX112, ONNX123, SHARED, JOBS, HDRS).
#
#   make test-asan       build/san/asan/{infer,test_api,test_threads,test_allocfail} with gcc
#                        -fsanitize=address,undefined (+ float-cast-overflow): the unit tests, both
#                        conformance sweeps and the whole zoo (raw, folded, optimised exports); any
#                        sanitizer report or leak in a log fails (slow: about an hour on 2 cores)
#   make valgrind        valgrind memcheck (no OpenMP) over test_api, test_allocfail's models and a
#                        conformance subset and three small zoo models through `infer test --no-fork`
#   make test-tsan       tests/test_threads.c built with -fsanitize=thread (pthreads, no OpenMP): 4
#                        threads with their own sessions of one model, outputs identical to one thread
#   make test-allocfail  tests/test_allocfail.c: every allocation of load + prepare + run failed in turn
#   make sanitize-fast   the quick subsets of all four, part of `make test`
#
# Model lists: SAN_CONF (ONNX test directories: control flow, sequences, optionals, strings, a few
# kernels), SAN_ZOO (zoo model directories). Logs go to build/san/*.log.

SAN         := $(B)/san
INFER_REF_HOME ?= $(HOME)/.cache/infer-reference
ZOO_DIR     := $(INFER_REF_HOME)/models
ASAN_CFLAGS ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
TSAN_CFLAGS ?= -O1 -g -fsanitize=thread
VG_CFLAGS   ?= -O1 -g
SAN_ENV     = ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
              TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
VALGRIND    ?= valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
               --errors-for-leak-kinds=definite,indirect,possible
# a sanitizer report anywhere in a log fails the target
SAN_GREP    = sh tests/sanitize_check.sh

N112 := $(ONNX112)/node
SAN_CONF_FAST := $(N112)/test_loop11 $(N112)/test_if $(N112)/test_if_seq $(N112)/test_scan9_sum $(N112)/test_loop13_seq \
	$(N112)/test_sequence_map_add_2_sequences $(N112)/test_optional_get_element_sequence \
	$(N112)/test_strnormalizer_export_monday_casesensintive_lower $(N112)/test_cast_FLOAT_to_STRING
SAN_CONF := $(SAN_CONF_FAST) $(N112)/test_scan_sum $(N112)/test_loop16_seq_none $(N112)/test_if_opt \
	$(N112)/test_sequence_insert_at_back $(N112)/test_sequence_map_extract_shapes \
	$(N112)/test_optional_has_element_empty $(N112)/test_conv_with_strides_padding $(N112)/test_lstm_defaults \
	$(N112)/test_gru_defaults $(N112)/test_resize_upsample_scales_linear $(N112)/test_unique_sorted_with_axis \
	$(N112)/test_nonzero_example $(N112)/test_top_k $(N112)/test_einsum_batch_matmul \
	$(ONNX123)/test_string_split_basic $(ONNX123)/test_regex_full_match_basic $(ONNX123)/test_string_concat
SAN_ZOO_FAST := $(ZOO_DIR)/simple_cnn $(ZOO_DIR)/mlp $(ZOO_DIR)/lstm
SAN_ZOO := $(SAN_ZOO_FAST) $(ZOO_DIR)/gru $(ZOO_DIR)/transformer_encoder $(ZOO_DIR)/squeezenet1_1
# the allocation-failure sweep is quadratic (every n reloads the model): the larger zoo models only
# every SAN_ALLOC_STEP-th allocation
SAN_ALLOC_STEP ?= 13
# the conformance part of sanitize-fast: node tests of the ONNX 1.12 suite whose names start with these,
# those on the list of expected passes
SAN_SWEEP_FAST := $(filter $(addprefix $(ONNX112)/,$(shell cat tests/expected_pass_onnx112.txt)),$(wildcard $(N112)/test_loop* $(N112)/test_if* $(N112)/test_scan* $(N112)/test_sequence* \
	$(N112)/test_optional* $(N112)/test_str* $(N112)/test_conv* $(N112)/test_gather* $(N112)/test_scatter* \
	$(N112)/test_resize* $(N112)/test_slice* $(N112)/test_pad* $(N112)/test_reshape* $(N112)/test_lstm* \
	$(N112)/test_gru* $(N112)/test_rnn* $(N112)/test_maxpool* $(N112)/test_averagepool* $(N112)/test_einsum* \
	$(N112)/test_split* $(N112)/test_unique* $(N112)/test_top_k* $(N112)/test_cast*))

.PHONY: test-asan test-asan-unit test-asan-conformance test-asan-zoo valgrind test-tsan test-allocfail \
        sanitize-fast sanitize-binaries

SAN_BINS := $(SAN)/asan/infer $(SAN)/asan/test_api $(SAN)/asan/test_threads $(SAN)/asan/test_allocfail \
            $(SAN)/tsan/test_threads $(SAN)/vg/test_api $(SAN)/vg/test_allocfail $(SAN)/vg/infer $(B)/test_allocfail
sanitize-binaries: $(SAN_BINS)
# what sanitize-fast needs (built by `make binaries`)
SAN_FAST_BINS := $(B)/test_allocfail $(SAN)/asan/infer $(SAN)/asan/test_api $(SAN)/tsan/test_threads $(SAN)/vg/test_api
binaries: $(SAN_FAST_BINS)

$(SAN)/asan $(SAN)/tsan $(SAN)/vg:
	mkdir -p $@

# AddressSanitizer + UBSan builds (OpenMP kept: libgomp is not instrumented, but ASan needs no help there)
$(SAN)/asan/infer: tools/infer.c $(HDRS) | $(SAN)/asan
	$(CC) $(ASAN_CFLAGS) -march=native -fopenmp -I. -o $@ tools/infer.c -lm
$(SAN)/asan/test_api: tests/test_api.c tests/pbw.h $(HDRS) | $(SAN)/asan
	$(CC) $(ASAN_CFLAGS) -fopenmp -pthread -I. -o $@ tests/test_api.c -lm
$(SAN)/asan/test_threads: tests/test_threads.c tests/modeldir.h $(HDRS) | $(SAN)/asan
	$(CC) $(ASAN_CFLAGS) -pthread -I. -o $@ tests/test_threads.c -lm
$(SAN)/asan/test_allocfail: tests/test_allocfail.c tests/modeldir.h $(HDRS) | $(SAN)/asan
	$(CC) $(ASAN_CFLAGS) -I. -o $@ tests/test_allocfail.c -lm
# ThreadSanitizer: pthreads only (libgomp's barriers are invisible to TSan and would be reported)
$(SAN)/tsan/test_threads: tests/test_threads.c tests/modeldir.h $(HDRS) | $(SAN)/tsan
	$(CC) $(TSAN_CFLAGS) -pthread -I. -o $@ tests/test_threads.c -lm
# valgrind builds: no OpenMP (its thread pool confuses memcheck's leak accounting), no -march=native
# (valgrind does not know every AVX-512 instruction)
$(SAN)/vg/infer: tools/infer.c $(HDRS) | $(SAN)/vg
	$(CC) $(VG_CFLAGS) -I. -o $@ tools/infer.c -lm
$(SAN)/vg/test_api: tests/test_api.c tests/pbw.h $(HDRS) | $(SAN)/vg
	$(CC) $(VG_CFLAGS) -pthread -I. -o $@ tests/test_api.c -lm
$(SAN)/vg/test_allocfail: tests/test_allocfail.c tests/modeldir.h $(HDRS) | $(SAN)/vg
	$(CC) $(VG_CFLAGS) -I. -o $@ tests/test_allocfail.c -lm
# the plain allocation-failure sweep
$(B)/test_allocfail: tests/test_allocfail.c tests/modeldir.h $(HDRS) | $(B)
	$(CC) -O2 -g -I. -o $@ tests/test_allocfail.c -lm

# ---- make test-asan: the full runs ------------------------------------------------------------------
test-asan: test-asan-unit test-asan-conformance test-asan-zoo
	@echo "test-asan: clean"

test-asan-unit: $(B)/test_pb $(SAN)/asan/test_api $(SAN)/asan/test_threads $(SAN)/asan/test_allocfail
	$(SAN_ENV) $(B)/test_pb > $(SAN)/asan_unit.log 2>&1 || { cat $(SAN)/asan_unit.log; exit 1; }
	$(SAN_ENV) $(SAN)/asan/test_api >> $(SAN)/asan_unit.log 2>&1 || { cat $(SAN)/asan_unit.log; exit 1; }
	$(SAN_ENV) $(SAN)/asan/test_threads $(SAN_CONF) $(SAN_ZOO) >> $(SAN)/asan_unit.log 2>&1 || { cat $(SAN)/asan_unit.log; exit 1; }
	$(SAN_ENV) $(SAN)/asan/test_allocfail $(SAN_CONF) -z $(SAN_ZOO_FAST) >> $(SAN)/asan_unit.log 2>&1 || { cat $(SAN)/asan_unit.log; exit 1; }
	$(SAN_GREP) $(SAN)/asan_unit.log
	@tail -n 1 $(SAN)/asan_unit.log

# the conformance sweeps with the ASan CLI: the lists of expected passes still hold, no reports anywhere
test-asan-conformance: $(SAN)/asan/infer $(ONNX123)
	$(SAN_ENV) sh tests/conformance.sh asan112 tests/expected_pass_onnx112.txt "$(SAN)/asan/infer test -q -j $(JOBS) --timeout 600" $(SUITES112)
	$(SAN_GREP) $(B)/conformance_asan112.log
	$(SAN_ENV) sh tests/conformance.sh asan123 tests/expected_pass_onnx123.txt "$(SAN)/asan/infer test -q -j $(JOBS) --timeout 600" $(ONNX123)
	$(SAN_GREP) $(B)/conformance_asan123.log

# the zoo (raw, folded, optimised exports) with the ASan CLI
test-asan-zoo: $(SAN)/asan/infer
	$(SAN_ENV) INFER=$(SAN)/asan/infer ZOO_OPT=$(SAN)/zoo_opt ZOO_SKIP_SETUP=1 SHARED="$(SHARED)" \
	    sh tests/zoo.sh > $(SAN)/asan_zoo.log 2>&1 || { tail -n 40 $(SAN)/asan_zoo.log; exit 1; }
	$(SAN_GREP) $(SAN)/asan_zoo.log
	@grep '^zoo:' $(SAN)/asan_zoo.log | tail -n 3

# ---- make valgrind ------------------------------------------------------------------------------------
valgrind: $(SAN)/vg/test_api $(SAN)/vg/test_allocfail $(SAN)/vg/infer
	@command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed (apt-get install -y valgrind)" >&2; exit 1; }
	$(VALGRIND) $(SAN)/vg/test_api > $(SAN)/valgrind.log 2>&1 || { cat $(SAN)/valgrind.log; exit 1; }
	$(VALGRIND) $(SAN)/vg/test_allocfail -s 7 $(SAN_CONF_FAST) -z $(ZOO_DIR)/simple_cnn $(ZOO_DIR)/mlp >> $(SAN)/valgrind.log 2>&1 || { cat $(SAN)/valgrind.log; exit 1; }
	$(VALGRIND) $(SAN)/vg/infer test -q --no-fork $(SAN_CONF) $(SAN_ZOO_FAST) >> $(SAN)/valgrind.log 2>&1 || { cat $(SAN)/valgrind.log; exit 1; }
	@tail -n 1 $(SAN)/valgrind.log
	@echo "valgrind: clean"

# ---- make test-tsan -----------------------------------------------------------------------------------
test-tsan: $(SAN)/tsan/test_threads
	$(SAN_ENV) $(SAN)/tsan/test_threads -t 4 -i 3 $(SAN_CONF) $(SAN_ZOO) > $(SAN)/tsan.log 2>&1 || { cat $(SAN)/tsan.log; exit 1; }
	$(SAN_GREP) $(SAN)/tsan.log
	@tail -n 1 $(SAN)/tsan.log

# ---- make test-allocfail ------------------------------------------------------------------------------
test-allocfail: $(B)/test_allocfail
	$(B)/test_allocfail $(SAN_CONF) -z $(SAN_ZOO_FAST) $(ZOO_DIR)/gru
	$(B)/test_allocfail -s $(SAN_ALLOC_STEP) -z $(ZOO_DIR)/transformer_encoder $(ZOO_DIR)/squeezenet1_1

# ---- make sanitize-fast: the subsets `make test` runs -------------------------------------------------
sanitize-fast: $(SAN_FAST_BINS)
	$(B)/test_allocfail $(SAN_CONF_FAST) $(ONNX123)/test_string_split_basic -z $(SAN_ZOO_FAST)
	$(SAN_ENV) $(SAN)/asan/test_api > $(SAN)/fast.log 2>&1 || { cat $(SAN)/fast.log; exit 1; }
	$(SAN_ENV) $(SAN)/asan/infer test -q -j $(JOBS) $(SAN_SWEEP_FAST) $(SAN_ZOO_FAST) >> $(SAN)/fast.log 2>&1 || \
	    { grep -v '^PASS' $(SAN)/fast.log; exit 1; }
	$(SAN_GREP) $(SAN)/fast.log
	$(SAN_ENV) $(SAN)/tsan/test_threads -t 3 -i 2 $(SAN_CONF_FAST) $(SAN_ZOO_FAST) > $(SAN)/fast_tsan.log 2>&1 || \
	    { cat $(SAN)/fast_tsan.log; exit 1; }
	$(SAN_GREP) $(SAN)/fast_tsan.log
	@command -v valgrind >/dev/null 2>&1 || { echo "sanitize-fast: valgrind not installed (tests/deps.sh installs it)" >&2; exit 1; }
	$(VALGRIND) $(SAN)/vg/test_api > $(SAN)/fast_vg.log 2>&1 || { cat $(SAN)/fast_vg.log; exit 1; }
	@echo "sanitize-fast: clean (ASan/UBSan: test_api, $(words $(SAN_SWEEP_FAST)) conformance tests, \
	$(words $(SAN_ZOO_FAST)) zoo models; TSan: $(words $(SAN_CONF_FAST) $(SAN_ZOO_FAST)) models; valgrind: test_api)"
