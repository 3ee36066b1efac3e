# Shared shell helpers for the test harness: where the cache lives, how to
# install Debian packages on demand, and how to log.  Sourced, not run.

TW_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TW_CACHE=${TW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tw_stats}

# What the guest runs besides busybox, each built by its own Makefile:
# twstat (the shipped tool, twstat/), the traffic generators and the
# torture's reader, writer and loader (tests/tools/), make bench's timer
# (bench/).  tw_build_tools builds them all; mkinitramfs.sh packs them.
TW_GUEST_TOOLS="$TW_TOP/twstat/twstat $TW_TOP/tests/tools/twgen $TW_TOP/tests/tools/pawsgen
	$TW_TOP/tests/tools/twcheck $TW_TOP/tests/tools/twpoke $TW_TOP/tests/tools/twhold
	$TW_TOP/bench/twbench"
tw_build_tools() {
	make -C "$TW_TOP/twstat" && make -C "$TW_TOP/tests/tools" && make -C "$TW_TOP/bench"
}

tw_log() { printf '%s\n' "tw_stats: $*" >&2; }
tw_die() { tw_log "error: $*"; exit 1; }

# tw_timed NAME COMMAND...: run COMMAND (its output and status untouched)
# and say how long it took, as "tw_stats: step NAME took Ns", on the
# stderr the script had when it sourced this file (so the line reaches the
# run's output even when the caller sends COMMAND's output to a log); with
# $TW_TIMING set, also append "NAME SECONDS" to that file.
exec {TW_STDERR}>&2
tw_timed() {
	local name=$1 start secs rc=0
	shift
	start=$(date +%s)
	"$@" || rc=$?
	secs=$(( $(date +%s) - start ))
	tw_log "step $name took ${secs}s" 2>&"$TW_STDERR"
	[ -z "${TW_TIMING:-}" ] || echo "$name $secs" >> "$TW_TIMING"
	return $rc
}

# Install the Debian packages in "$@" that are missing.  Runs apt-get only
# when something is missing, so a warm machine does no network access.
tw_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || tw_die "missing packages: ${missing[*]} (run as root, or apt-get install them)"
	tw_log "installing ${missing[*]}"
	if [ ! -f "$TW_CACHE/.apt-updated" ] || [ -n "$(find "$TW_CACHE/.apt-updated" -mmin +720)" ]; then
		apt-get update -q >&2 || tw_die "apt-get update failed"
		mkdir -p "$TW_CACHE" && touch "$TW_CACHE/.apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
		tw_die "apt-get install ${missing[*]} failed"
}

# Packages every harness step may need on a fresh Debian 12.
TW_HOST_PKGS="make gcc libc6-dev bc flex bison libelf-dev libssl-dev cpio xz-utils
	qemu-system-x86 busybox-static iproute2 kmod python3 sparse"

# Result lines: one format for every test of every run - the host steps,
# twstat's host tests (twstat/tests/run.sh), the guest scenarios (their
# "TWTEST ..." lines, tests/guest/lib.sh), the KUnit cases and the kernel
# log (tests/parse-guest-log.sh), the torture, each kernel of the matrix
# (tests/check-kernel.sh) and DKMS (tests/check-dkms.sh):
#
#	PASS name
#	FAIL name: reason
#	SKIP name: reason
#
# at the start of a line, one space after the word; the name has no space
# and is dotted (guest.ports.tw_total=sockstat, debian-6.1.build.vermagic);
# a FAIL or SKIP always says why.  tw_tally counts these lines and nothing
# else; anything may print other lines around them.

# tw_result PASS|FAIL|SKIP NAME [REASON]: print one result line.
tw_result() {
	case "$1" in
	PASS) echo "PASS $2" ;;
	FAIL | SKIP) echo "$1 $2: ${3:-no reason given}" ;;
	*) tw_die "tw_result: '$1' is not PASS, FAIL or SKIP" ;;
	esac
}

# tw_record PASS|FAIL|SKIP NAME [REASON]: a result of this run, printed
# and kept in the file $TW_RESULTS.
tw_record() {
	tw_result "$@" | tee -a "$TW_RESULTS"
}

# tw_results_from [FILE]: the result lines another program wrote (to FILE,
# or on stdin, passed on as they come), printed and kept in $TW_RESULTS;
# a FAIL or SKIP that gave no reason gets one, so that every line has the
# format above.
tw_results_from() {
	grep --line-buffered -E '^(PASS|FAIL|SKIP) ' "$@" |
		sed -u -E 's/^(FAIL|SKIP) ([^ :]+):?[[:space:]]*$/\1 \2: no reason given/' |
		tee -a "$TW_RESULTS"
}

# The end of a run: the failures again, then "N passed, N failed, N
# skipped"; succeeds only if something passed and nothing failed.  Its
# arguments, if any, are printed just before the counts.
tw_tally() {
	local p f s
	p=$(grep -c '^PASS ' "$TW_RESULTS")
	f=$(grep -c '^FAIL ' "$TW_RESULTS")
	s=$(grep -c '^SKIP ' "$TW_RESULTS")
	echo
	[ "$f" -eq 0 ] || { echo "failed:"; grep '^FAIL ' "$TW_RESULTS" | sed 's/^/  /'; }
	[ $# -eq 0 ] || echo "$*"
	echo "$p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
}

# The reference build for tests/guest/scenarios/97-same-output.sh: every
# file must read byte for byte as the module built from this commit reads
# on the same sockets.  It was the last main before the layout change of
# issue 16 (8f336cd); issue 15 added lines (walk_resumes,
# walk_resume_lost, drops_table_busy, debugfs memory and walk_cost lines,
# shared_walk) and narrowed walk_* to a namespace's own part, so it is
# now the commit that finished those.  A later change that means to
# change an output moves it, in a commit after that change, to the commit
# that made it: issue 19's tw_cgroups (e0e0eee) grew debugfs memory's
# snapshot_bytes and walk_scratch_bytes, and added the file; issue 20's
# NAT view added the nat_ and conntrack_ lines to tw_stats and grew
# snapshot_bytes, and issue 18's walk grew walk_scratch_bytes (its other
# outputs stayed byte for byte): 20437cf has both.  Issue 18's per-port
# hot words grew walk_scratch_bytes by 256 KiB (f65cd59).
TW_REF_COMMIT=${TW_REF_COMMIT:-f65cd59}

# tw_ref_module KSRC KBUILD MODULES CACHE: tw_stats.ko as of
# $TW_REF_COMMIT, built against KBUILD as MODULES/tw_stats_ref.ko; kept in
# CACHE per commit and kernel, which fix what it is, so a warm run does
# not build it again (tests/check.sh, tests/check-kernel.sh kunit-6.1)
tw_ref_module() {
	local commit src
	commit=$(git -C "$TW_TOP" rev-parse "$TW_REF_COMMIT^{commit}") || return 1
	src=$4/${commit}_$(basename "$2")
	if [ ! -f "$src/tw_stats.ko" ]; then
		rm -rf "$src" && mkdir -p "$src" &&
			git -C "$TW_TOP" archive "$commit" | tar -x -C "$src" &&
			make -C "$1" O="$2" M="$src" modules || return 1
	fi
	cp "$src/tw_stats.ko" "$3/tw_stats_ref.ko"
}
