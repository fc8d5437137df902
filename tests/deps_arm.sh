#!/bin/sh
# deps_arm.sh - installs what `make test-arm` needs when it is missing, on Debian / Ubuntu (apt-get, as
# root or with password-less sudo): the AArch64 cross compilers (gcc-aarch64-linux-gnu,
# g++-aarch64-linux-gnu; they bring the static libc, libm and libgomp for aarch64) and qemu-user
# (qemu-aarch64, which runs the static aarch64 binaries on this machine).
set -eu
CROSS=${CROSS:-aarch64-linux-gnu-}
QEMU=${QEMU:-qemu-aarch64}
need=""
command -v "${CROSS}gcc" >/dev/null 2>&1 || need="$need gcc-aarch64-linux-gnu"
command -v "${CROSS}g++" >/dev/null 2>&1 || need="$need g++-aarch64-linux-gnu"
command -v "$QEMU" >/dev/null 2>&1 || need="$need qemu-user"
if [ -z "$need" ]; then
    echo "deps-arm: ${CROSS}gcc, ${CROSS}g++ and $QEMU are present"
    exit 0
fi
echo "deps-arm: installing:$need"
if [ "$(id -u)" = 0 ]; then sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
else
    echo "deps-arm: missing:$need; run as root, or: sudo apt-get install$need" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps-arm: missing:$need and no apt-get here; install them by hand" >&2
    exit 1
fi
$sudo apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need
