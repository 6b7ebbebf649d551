#!/usr/bin/env bash
# Installs every Debian package kgate needs to build, test and run, when one is
# missing. Idempotent and quick when all is there: it asks dpkg first and runs
# apt-get (after one apt-get update) only for what is absent.
#   scripts/install-deps.sh            what kgate, its tests and CI need
#   scripts/install-deps.sh sched-ext  that, plus clang-16 and llvm-16 for
#                                      the sched_ext schedulers kgate builds
#                                      with a guest-sched-ext kernel (./run
#                                      verify uses them; CI does not)
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config git ccache
  libyaml-cpp-dev libsqlite3-dev sqlite3 catch2 libbenchmark-dev libcli11-dev
  nlohmann-json3-dev libfmt-dev libcpp-httplib-dev libssl-dev
  # guest image and kernels
  qemu-system-x86 qemu-utils busybox-static cpio xz-utils zstd kmod e2fsprogs
  # out-of-tree module builds against Debian headers (kgate analyze): the
  # headers' .kernelvariables name x86_64-linux-gnu-gcc-12 as the compiler
  gcc-12 make
  # kernels built from source (kbuild/): the Debian source package and what
  # Kbuild runs; pahole (dwarves) for BTF; openssl to sign the modules of
  # Debian config bases
  linux-source-6.12 flex bison bc libelf-dev dwarves libssl-dev openssl
  # workloads shipped into the guest
  rt-tests fio stress-ng sysbench rocksdb-tools
  # report validation
  libxml2-utils
)
if [ "${1:-}" = sched-ext ]; then
  # tools/sched_ext: BPF objects by clang, loaders linked statically against
  # libelf and zlib (libelf-dev, zlib1g-dev)
  packages+=(clang-16 llvm-16 zlib1g-dev)
elif [ -n "${1:-}" ]; then
  echo "install-deps: unknown group '$1' (known: sched-ext)" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run this script as root (or with sudo) to install them" >&2
  exit 4
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
