#!/bin/bash
# Build (once) the benchmark kernel of make bench: bench/bench.config (no
# debug checkers) on the 6.1 source patched with bench/bench-timewait.patch
# (TIME_WAIT of 30 minutes); print its build directory like build-kernel.sh.
set -euo pipefail
. "$(dirname "$0")/../tests/lib.sh"

TW_KSRC_PATCH=$TW_TOP/bench/bench-timewait.patch \
	exec "$TW_TOP/tests/build-kernel.sh" "$TW_TOP/bench/bench.config"
