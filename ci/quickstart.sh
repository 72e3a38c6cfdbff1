#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine (as root): installs dependencies, builds the release
# binary, checks it, and runs the bundled conformance corpus against the local kernel and the
# reference model (linux profile). Exit code: tcpconform's (0 all passed, 1 failures, 77 no
# privileges to drive the kernel).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
cmake --workflow --preset default
./build/default/cli/tcpconform --version
./build/default/cli/tcpconform self-check
./build/default/cli/tcpconform run
