#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs dependencies, builds the release binary and
# runs tcpconform's main job with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
cmake --workflow --preset default
./build/default/cli/tcpconform --version
./build/default/cli/tcpconform self-check
