#!/bin/bash
# Build (once) the benchmark kernel of make bench: bench/bench.config (no
# debug checkers) on the Debian source patched with
# bench/bench-timewait.patch (TIME_WAIT of 30 minutes); print its build
# directory like build-kernel.sh.
#
# usage: build-bench-kernel.sh [SERIES]
#   SERIES  6.1 (default: linux-source-6.1 of the host) or 7.2 (sid's
#           linux-source-7.2, as tests/check-kernel.sh kunit-7.2 builds it;
#           the same patch applies, at an offset)
set -euo pipefail
. "$(dirname "$0")/../tests/lib.sh"

series=${1:-6.1}
case "$series" in
6.1) export TW_KSRC_PKG=linux-source-6.1 TW_KSRC_SUITE= ;;
7.2) export TW_KSRC_PKG=linux-source-7.2 TW_KSRC_SUITE=sid ;;
*) tw_die "unknown bench kernel series '$series' (6.1 or 7.2)" ;;
esac
TW_KSRC_PATCH=$TW_TOP/bench/bench-timewait.patch \
	exec "$TW_TOP/tests/build-kernel.sh" "$TW_TOP/bench/bench.config"
