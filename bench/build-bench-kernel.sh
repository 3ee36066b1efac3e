#!/bin/bash
# Build (once) the benchmark kernel of make bench: kunit/bench.config (no
# debug checkers) on the 6.1 source patched with kunit/bench-timewait.patch
# (TIME_WAIT of 30 minutes); print its build directory like build-kernel.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TW_KSRC_PATCH=$TW_TOP/kunit/bench-timewait.patch \
	exec "$TW_TOP/kunit/build-kernel.sh" "$TW_TOP/kunit/bench.config"
