#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs dependencies, checks formatting,
# builds with clang under ASan+UBSan with warnings as errors, and runs every ctest label
# (unit, property, fuzz, kernel). Kernel tests need root or user namespaces; without them they skip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/check-format.sh
cmake --workflow --preset ci
