# Makefile of infer.h (ONNX inference in one C header).
#
#   make                  build/infer (the CLI) and the examples
#   make test             everything below: deps, unit tests, compile checks, conformance, model zoo,
#                         the scalar kernels (test-scalar), malformed models, the quick sanitizer /
#                         valgrind / thread / allocation-failure runs
#   make test-asan / valgrind / test-tsan / test-allocfail   the full runs (tests/sanitize.mk)
#   make test-scalar      the scalar reference kernels (-DINFER_NO_SIMD) over the GEMM / conv subset
#                         and the zoo (part of make test)
#   make test-arm         the AArch64 build (NEON kernels) under qemu-user: compile checks, API tests,
#                         the GEMM / conv subset (installs the cross compilers and qemu when missing)
#   make update-expected  rewrite tests/expected_pass_onnx*.txt from a fresh conformance sweep
#   make readme-ops       regenerate README.md's operator table (tools/op_types.py)
#
# Variables: SHARED (the shared folder beside the clone, default ../shared), ONNX112 (the ONNX 1.12
# test data), JOBS (tests run at once), CC / CXX / CLANG, SANITIZE (flags for the decoder tests),
# CROSS (the AArch64 cross-compiler prefix), QEMU (runs the AArch64 binaries).

ifeq ($(origin CC),default)
CC := gcc
endif
ifeq ($(origin CXX),default)
CXX := g++
endif
CLANG    ?= clang
CFLAGS   ?= -O2 -march=native -fopenmp
SHARED   ?= ../shared
ONNX112  ?= /usr/share/libonnx-testdata/data
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
SANITIZE ?= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CROSS    ?= aarch64-linux-gnu-
QEMU     ?= qemu-aarch64
STRICT   := -std=c99 -Wall -Wextra -pedantic -Werror
B        := build
HDRS     := infer.h $(wildcard parts/*.h)
SUITES112 := $(ONNX112)/node $(ONNX112)/pytorch-converted $(ONNX112)/pytorch-operator $(ONNX112)/simple
ONNX123  := $(B)/onnx-1.23/node
SWEEP    := $(B)/infer test -q -j $(JOBS) --timeout 120
FUZZ_BUILD := $(B)
CHECK_OBJS := $(B)/cc/gcc.o $(B)/cc/gcc_omp.o $(B)/cc/clang.o $(B)/cc/clang_omp.o $(B)/cc/gxx.o \
              $(B)/cc/gcc_native_o3.o $(B)/cc/gxx_native.o \
              $(B)/cc/static $(B)/cc/hello_plain $(B)/cc/tool.o $(B)/cc/test_api.o $(B)/cc/test_pb.o
ARM_BINS   := $(B)/arm/impl_c99.ok $(B)/arm/impl_cxx.ok $(B)/arm/infer $(B)/arm/test_api
ARM_MODELS ?= simple_cnn mlp squeezenet1_1 mobilenet_v3_small mobilenet_v2 transformer_encoder lstm


.DEFAULT_GOAL := all

.PHONY: all examples test binaries deps deps-arm test-arm arm-run test-scalar unit check-compile conformance conformance-112 conformance-123 conformance-O0 random-ops conv-kernels rnn-kernels gemm-kernels zoo \
        update-expected readme-ops clean

# all: the CLI and the examples (the default target)
all: $(B)/infer examples

# examples: one program per file in examples/
examples: $(B)/hello

# build/infer: the command-line tool (run / bench / info / test), OpenMP and native SIMD
$(B)/infer: tools/infer.c $(HDRS) | $(B)
	$(CC) $(CFLAGS) -I. -o $@ tools/infer.c -lm

# build/hello: the quick-start example of the header's top comment
$(B)/hello: examples/hello.c $(HDRS) | $(B)
	$(CC) $(CFLAGS) -I. -o $@ examples/hello.c -lm

$(B):
	mkdir -p $(B)

# test: what CI runs (.ci/run): installs what is missing, compiles everything in parallel (JOBS),
# then runs the steps in order, stopping at the first failing one
test:
	$(MAKE) deps
	$(MAKE) -k -j $(JOBS) binaries
	$(MAKE) unit check-compile fuzz-replay conformance random-ops conv-kernels rnn-kernels gemm-kernels zoo test-scalar malformed sanitize-fast
	@echo "make test: all passed"

# binaries: every program and compile check that `make test` builds
binaries: all $(B)/test_pb $(B)/test_api $(B)/scalar/infer $(B)/noomp/infer $(CHECK_OBJS) $(FUZZ_BUILD)/fuzz_load_replay $(FUZZ_BUILD)/fuzz_pb_replay

# deps: installs what the tests need when it is missing (Debian: apt-get, as root or with sudo -n)
deps:
	@SHARED="$(SHARED)" ONNX112="$(ONNX112)" sh tests/deps.sh

# unit: decoder tests (under ASan + UBSan) and API tests (threads, allocators, arena)
unit: $(B)/test_pb $(B)/test_api
	ASAN_OPTIONS=detect_leaks=1 $(B)/test_pb
	$(B)/test_api

# build/test_pb: decoder unit tests, sanitized so that an out-of-bounds read fails the test
$(B)/test_pb: tests/test_pb.c tests/pbw.h $(HDRS) | $(B)
	$(CC) -O1 -g $(SANITIZE) -I. -o $@ tests/test_pb.c -lm

# build/test_api: API tests with OpenMP and pthreads
$(B)/test_api: tests/test_api.c tests/pbw.h $(HDRS) | $(B)
	$(CC) -O2 -g -fopenmp -pthread -I. -o $@ tests/test_api.c -lm

# check-compile: the header warning-free as C99 (gcc, clang; with and without OpenMP), as C++11,
# in INFER_STATIC mode from two translation units, and with a plain `cc -O2 app.c -lm`; also the
# tool and the tests under the same flags
check-compile: $(CHECK_OBJS)
	$(B)/cc/static
	$(B)/cc/hello_plain $(ONNX112)/node/test_conv_with_strides_padding/model.onnx

$(B)/cc:
	mkdir -p $(B)/cc
$(B)/cc/gcc.o: tests/compile/impl.c $(HDRS) | $(B)/cc
	$(CC) $(STRICT) -O2 -I. -c tests/compile/impl.c -o $@
$(B)/cc/gcc_omp.o: tests/compile/impl.c $(HDRS) | $(B)/cc
	$(CC) $(STRICT) -O2 -fopenmp -I. -c tests/compile/impl.c -o $@
$(B)/cc/clang.o: tests/compile/impl.c $(HDRS) | $(B)/cc
	$(CLANG) $(STRICT) -O2 -I. -c tests/compile/impl.c -o $@
$(B)/cc/clang_omp.o: tests/compile/impl.c $(HDRS) | $(B)/cc
	$(CLANG) $(STRICT) -O2 -fopenmp -I. -c tests/compile/impl.c -o $@
$(B)/cc/gxx.o: tests/compile/impl.c $(HDRS) | $(B)/cc
	$(CXX) -std=c++11 -Wall -Wextra -pedantic -Werror -O2 -I. -x c++ -c tests/compile/impl.c -o $@
# the SIMD kernels of this machine, at -O3 (more inlining: more maybe-uninitialized analysis) and in C++
$(B)/cc/gcc_native_o3.o: tests/compile/impl.c $(HDRS) | $(B)/cc
	$(CC) $(STRICT) -O3 -march=native -fopenmp -I. -c tests/compile/impl.c -o $@
$(B)/cc/gxx_native.o: tests/compile/impl.c $(HDRS) | $(B)/cc
	$(CXX) -std=c++11 -Wall -Wextra -pedantic -Werror -O2 -march=native -I. -x c++ -c tests/compile/impl.c -o $@
$(B)/cc/static: tests/compile/static_a.c tests/compile/static_b.c $(HDRS) | $(B)/cc
	$(CC) $(STRICT) -O2 -I. tests/compile/static_a.c tests/compile/static_b.c -o $@ -lm
$(B)/cc/hello_plain: examples/hello.c $(HDRS) | $(B)/cc
	cc -O2 -I. examples/hello.c -o $@ -lm
$(B)/cc/tool.o: tools/infer.c $(HDRS) | $(B)/cc
	$(CC) $(STRICT) -O2 -I. -c tools/infer.c -o $@
$(B)/cc/test_api.o: tests/test_api.c tests/pbw.h $(HDRS) | $(B)/cc
	$(CC) $(STRICT) -O1 -pthread -I. -c tests/test_api.c -o $@
$(B)/cc/test_pb.o: tests/test_pb.c tests/pbw.h $(HDRS) | $(B)/cc
	$(CC) $(STRICT) -O1 -I. -c tests/test_pb.c -o $@

# conformance: the ONNX 1.12 suite and the ONNX 1.23 node suite against the committed lists, with the
# optimiser on (the default level) and off (-O 0)
conformance: conformance-112 conformance-123 conformance-O0

# conformance-112: ONNX 1.12 (Debian libonnx-testdata): node, pytorch-converted, pytorch-operator, simple
conformance-112: $(B)/infer
	sh tests/conformance.sh onnx112 tests/expected_pass_onnx112.txt "$(SWEEP)" $(SUITES112)

# conformance-123: the ONNX 1.23 node suite, unpacked from $(SHARED)/conformance
conformance-123: $(B)/infer $(ONNX123)
	sh tests/conformance.sh onnx123 tests/expected_pass_onnx123.txt "$(SWEEP)" $(ONNX123)

# conformance-O0: both suites with the graph optimiser off (the same lists must pass)
conformance-O0: $(B)/infer $(ONNX123)
	sh tests/conformance.sh onnx112_O0 tests/expected_pass_onnx112.txt "$(SWEEP) -O 0" $(SUITES112)
	sh tests/conformance.sh onnx123_O0 tests/expected_pass_onnx123.txt "$(SWEEP) -O 0" $(ONNX123)

# random-ops: RandomNormal/Uniform(+Like), Bernoulli, Multinomial through the CLI: shape and type per
# the spec, the distribution of the values (mean, spread, range, frequencies; ~5 standard errors),
# seeded determinism and independent unseeded generators (their values cannot match a reference)
random-ops: $(B)/infer
	/usr/bin/python3 tests/random_ops.py $(B)/infer

# conv-kernels: every Conv kernel path (Winograd and direct, run with and without --no-pass winograd)
# on generated models against a float64 numpy reference (tests/conv_kernels.py)
conv-kernels: $(B)/infer
	/usr/bin/python3 tests/conv_kernels.py $(B)/infer

# rnn-kernels: LSTM / GRU / RNN at 1 and 2 threads (the time step shared between threads by hidden
# unit) on generated models against a float64 numpy reference (tests/rnn_kernels.py); also with the
# CLI built without OpenMP (2 threads asked for, one used)
rnn-kernels: $(B)/infer $(B)/noomp/infer
	/usr/bin/python3 tests/rnn_kernels.py $(B)/infer
	/usr/bin/python3 tests/rnn_kernels.py $(B)/noomp/infer

# gemm-kernels: the packed SGEMM's deep path (A of 16 MiB or more, K in passes) at 1 and 2 threads
# against a float64 numpy reference (tests/gemm_kernels.py)
gemm-kernels: $(B)/infer
	/usr/bin/python3 tests/gemm_kernels.py $(B)/infer

$(B)/noomp/infer: tools/infer.c $(HDRS)
	mkdir -p $(B)/noomp
	$(CC) $(filter-out -fopenmp,$(CFLAGS)) -I. -o $@ tools/infer.c -lm

# build/onnx-1.23/node: unpacks the 1.23 node tests (gen/node/<test>/ in the tarball)
$(ONNX123): $(SHARED)/conformance/onnx-node-1.23.tar.xz | $(B)
	rm -rf $(B)/onnx-1.23.tmp $(B)/onnx-1.23
	mkdir -p $(B)/onnx-1.23.tmp $(B)/onnx-1.23
	tar -xJf $< -C $(B)/onnx-1.23.tmp --no-same-owner
	mv $(B)/onnx-1.23.tmp/gen/node $(ONNX123)
	rm -rf $(B)/onnx-1.23.tmp
	touch $(ONNX123)

# test-scalar: the CLI built with -DINFER_NO_SIMD (the scalar reference kernels everywhere) over
# tests/subset.sh: the Conv / ConvTranspose / Gemm / MatMul / pooling / activation conformance tests of
# the pass lists and all 16 zoo models against the PyTorch outputs, the references the SIMD build meets;
# and tests/conv_kernels.py (the scalar Winograd transforms)
test-scalar: $(B)/scalar/infer $(ONNX123)
	JOBS=$(JOBS) SUBSET_MODELS=all sh tests/subset.sh scalar $(B)/scalar/infer
	/usr/bin/python3 tests/conv_kernels.py $(B)/scalar/infer
	/usr/bin/python3 tests/rnn_kernels.py $(B)/scalar/infer
	/usr/bin/python3 tests/gemm_kernels.py $(B)/scalar/infer

$(B)/scalar/infer: tools/infer.c $(HDRS)
	mkdir -p $(B)/scalar
	$(CC) $(CFLAGS) -DINFER_NO_SIMD -I. -o $@ tools/infer.c -lm

# test-arm: AArch64 with the NEON kernels, under qemu-user: installs the cross compilers and qemu when
# missing (tests/deps_arm.sh), checks the header warning-free for aarch64 as C99 and as C++11, builds
# the CLI and the API tests static (with OpenMP) and runs the API tests and tests/subset.sh under qemu
test-arm: deps-arm
	$(MAKE) -j $(JOBS) $(ARM_BINS) $(ONNX123)
	$(MAKE) arm-run

# arm-run: the runs of test-arm (the binaries built, qemu there)
arm-run: $(ARM_BINS) $(ONNX123)
	$(QEMU) $(B)/arm/test_api
	JOBS=$(JOBS) SUBSET_MODELS="$(ARM_MODELS)" sh tests/subset.sh arm "$(QEMU) $(B)/arm/infer"

deps-arm:
	@CROSS="$(CROSS)" QEMU="$(QEMU)" sh tests/deps_arm.sh

# (the header's checks compile without code generation; the CLI's -O2 build below has -Werror too)
$(B)/arm:
	mkdir -p $(B)/arm
$(B)/arm/impl_c99.ok: tests/compile/impl.c $(HDRS) | $(B)/arm
	$(CROSS)gcc $(STRICT) -O2 -fopenmp -I. -fsyntax-only tests/compile/impl.c && touch $@
$(B)/arm/impl_cxx.ok: tests/compile/impl.c $(HDRS) | $(B)/arm
	$(CROSS)g++ -std=c++11 -Wall -Wextra -pedantic -Werror -O2 -I. -x c++ -fsyntax-only tests/compile/impl.c && touch $@
$(B)/arm/infer: tools/infer.c $(HDRS) | $(B)/arm
	$(CROSS)gcc $(STRICT) -O2 -fopenmp -static -I. -o $@ tools/infer.c -lm
$(B)/arm/test_api: tests/test_api.c tests/pbw.h $(HDRS) | $(B)/arm
	$(CROSS)gcc $(STRICT) -O2 -fopenmp -pthread -static -I. -o $@ tests/test_api.c -lm

# zoo: the reference kit's 16 PyTorch models (raw, raw with -O 0, folded) against torch outputs, atol 1e-4;
# the optimiser's exports of them; the optimiser's pattern models (tests/opt_patterns.py)
zoo: $(B)/infer
	SHARED="$(SHARED)" sh tests/zoo.sh

# update-expected: sweeps both suites and rewrites the lists of tests expected to pass
update-expected: $(B)/infer $(ONNX123)
	UPDATE=1 sh tests/conformance.sh onnx112 tests/expected_pass_onnx112.txt "$(SWEEP)" $(SUITES112)
	UPDATE=1 sh tests/conformance.sh onnx123 tests/expected_pass_onnx123.txt "$(SWEEP)" $(ONNX123)

# readme-ops: rewrites README.md's operator table (between its ops-table markers) from `infer ops`,
# with the element types the passing conformance tests exercise (onnx for /usr/bin/python3)
readme-ops: $(B)/infer
	$(B)/infer ops | /usr/bin/python3 tools/op_types.py --readme README.md --onnx112 $(ONNX112)

# fuzz, fuzz-pb, fuzz-build, fuzz-replay, malformed: hostile-input testing, see tests/fuzz.mk
include tests/fuzz.mk
include tools/bench.mk
include tests/sanitize.mk
malformed: $(B)/infer

# clean: removes build/ (including the unpacked 1.23 suite)
clean:
	rm -rf $(B)
