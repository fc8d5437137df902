#!/bin/sh
# deps.sh - installs what `make test` needs when it is missing, on Debian / Ubuntu (apt-get, as root
# or with password-less sudo): the compilers of the compile checks (gcc, g++, clang + libomp-dev), xz
# for the ONNX 1.23 tarball, valgrind (make valgrind, sanitize-fast), and the ONNX 1.12 test data
# (libonnx-testdata), python3-onnx + python3-numpy (tests/random_ops.py). The model zoo's own packages
# (python3-torch, nodejs, ...) are installed by $SHARED/reference/setup.sh (tests/zoo.sh).
set -eu
ONNX112=${ONNX112:-/usr/share/libonnx-testdata/data}
SHARED=${SHARED:-../shared}
need=""
command -v gcc >/dev/null 2>&1 || need="$need gcc"
command -v g++ >/dev/null 2>&1 || need="$need g++"
command -v clang >/dev/null 2>&1 || need="$need clang"
command -v xz >/dev/null 2>&1 || need="$need xz-utils"
command -v valgrind >/dev/null 2>&1 || need="$need valgrind"
[ -d "$ONNX112/node" ] || need="$need libonnx-testdata"
/usr/bin/python3 -c "import onnx, numpy" >/dev/null 2>&1 || need="$need python3-onnx python3-numpy"
printf '#include <omp.h>\nint main(void){return omp_get_max_threads() < 0;}\n' >/tmp/infer_deps_omp.$$.c
if ! clang -fopenmp /tmp/infer_deps_omp.$$.c -o /tmp/infer_deps_omp.$$ >/dev/null 2>&1; then
    need="$need libomp-dev"
fi
rm -f /tmp/infer_deps_omp.$$.c /tmp/infer_deps_omp.$$
if [ -n "$need" ]; then
    echo "deps: installing:$need"
    if [ "$(id -u)" = 0 ]; then sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
    else
        echo "deps: missing:$need; run as root, or: sudo apt-get install$need" >&2
        exit 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "deps: missing:$need and no apt-get here; install them by hand" >&2
        exit 1
    fi
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need
else
    echo "deps: gcc, g++, clang (OpenMP), xz, valgrind, the ONNX 1.12 test data and python3-onnx are present"
fi
if [ ! -f "$SHARED/conformance/onnx-node-1.23.tar.xz" ] || [ ! -x "$SHARED/reference/setup.sh" ]; then
    echo "deps: the shared folder is not at SHARED=$SHARED (need conformance/onnx-node-1.23.tar.xz and" \
        "reference/setup.sh); run make with SHARED=/path/to/shared" >&2
    exit 1
fi
