#!/usr/bin/env bash
# Installs every build and test dependency of tcpconform from Debian packages. Idempotent.
set -euo pipefail

packages=(
  cmake ninja-build pkg-config git
  clang clang-format clang-tidy libclang-rt-dev  # clang is the default compiler; libclang-rt-dev carries libFuzzer and the sanitizers
  g++
  libgtest-dev libgmock-dev googletest
  librapidcheck-dev
  libbenchmark-dev
  libcli11-dev
  libfmt-dev
  nlohmann-json3-dev
  libexpected-dev
  libpcap-dev
  libmnl-dev
  liblwip-dev
  iproute2  # only used by the safety test to list host state; the harness itself never runs `ip`
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ci/install-deps.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ci/install-deps.sh: missing packages (${missing[*]}); run as root to install them" >&2
  exit 77
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "ci/install-deps.sh: installed ${missing[*]}"
