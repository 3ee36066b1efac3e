#!/bin/bash
# The module's layers point one way (make check's lint.layers_point_down):
#  - the core (module/*.[ch], module/compat/*) never includes a header of
#    the presentation layer, module/files/ (the /proc and debugfs files
#    register themselves and call down into the core, never the reverse);
#  - kernel version tests (LINUX_VERSION_CODE) and the feature greps'
#    results (TW_HAVE_*, defined by Kbuild) appear in no .c or .h file
#    outside module/compat/, so the rest reads as mainline code.
# Prints one line per violation with the reason and exits 1, or one
# summary line and exits 0.  Directories that do not exist are empty.
#
# usage: check-layers.sh [TOP]   (default: the tree this script is in)
set -uo pipefail
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 2

bad=0
violation() { echo "check-layers: $*"; bad=1; }

# the core and the presentation layer's headers (absent directories and
# unmatched globs give nothing)
mapfile -t core < <(compgen -G 'module/*.[ch]'; compgen -G 'module/compat/*')
mapfile -t files_headers < <(compgen -G 'module/files/*.h')
[ ${#core[@]} -gt 0 ] || { echo "check-layers: no module/*.[ch] under $top: nothing to check"; exit 1; }

# 1. no include from the core into module/files/.  A header is the
# presentation layer's if module/files/ has it: by its base name for
# "quoted" includes (Kbuild's -I makes "x.h" find module/files/x.h), by
# the path as written for <angle> ones (<linux/x.h> is the kernel's).
is_files_header() {	# INCLUDE-AS-WRITTEN QUOTE-CHAR
	local inc=$1 h
	case "$inc" in */files/* | files/*) return 0 ;; esac
	[ -e "module/files/$inc" ] && return 0
	[ "$2" = '"' ] || return 1
	for h in "${files_headers[@]}"; do
		[ "${h##*/}" = "${inc##*/}" ] && return 0
	done
	return 1
}
for f in "${core[@]}"; do
	[ -f "$f" ] || continue
	while IFS=: read -r line text; do
		q=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*(["<]).*/\1/' <<< "$text")
		inc=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]([^">]*)[">].*/\1/' <<< "$text")
		is_files_header "$inc" "$q" &&
			violation "$f:$line: includes $inc, which is module/files/'s: the core must not include the presentation layer (module/files/ includes the core, not the reverse)"
	done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]' "$f")
done

# 2. version tests and feature-grep results only in module/compat/: every
# .c and .h of the tree (build output and .git left out)
nsrc=0
while IFS= read -r -d '' f; do
	f=${f#./}
	nsrc=$((nsrc + 1))
	case "$f" in module/compat/*) continue ;; esac
	while IFS=: read -r line text; do
		what=LINUX_VERSION_CODE
		case "$text" in *LINUX_VERSION_CODE*) ;; *) what=TW_HAVE_ ;; esac
		violation "$f:$line: $what outside module/compat/: kernel version and feature tests belong in module/compat/ only"
	done < <(grep -nE 'LINUX_VERSION_CODE|TW_HAVE_' "$f")
done < <(find . -path ./.git -prune -o -type f \( -name '*.[ch]' ! -name '*.mod.c' \) -print0)

[ $bad -eq 0 ] || exit 1
echo "check-layers: ok: ${#core[@]} core files include nothing of module/files/ (${#files_headers[@]} headers), no version test outside module/compat/ in $nsrc .c/.h files"
