# Fetch Debian packages of other suites (bookworm-backports, sid) into the
# cache without touching the host: a private apt state per suite that reuses
# the mirror of the host's own sources, "apt-get download" and "dpkg -x".
# Sourced (after lib.sh), not run.
#
# Nothing here installs a package: the suites' lists live in a directory of
# their own that the host's apt never reads, so the host cannot upgrade
# from them; a preferences file pins a foreign suite low all the same, in
# case someone points apt at that directory by hand.

TW_APT_HOST_SOURCES=${TW_APT_HOST_SOURCES:-/etc/apt/sources.list.d/debian.sources}

# The host's main mirror (the first URIs: line of its sources), read at run
# time: it is never written anywhere but the cache.
tw_apt_mirror() {
	awk '/^URIs:/ { print $2; exit }' "$TW_APT_HOST_SOURCES"
}

# tw_apt SUITE APT-COMMAND [ARGS...]: run apt-get or apt-cache on SUITE's
# private state (created and updated at most every 12 hours).  SUITE
# "bookworm" reuses the host's sources file as it is (security included).
tw_apt() {
	local suite=$1 cmd=$2 dir
	shift 2
	dir=$TW_CACHE/apt/$suite
	if [ ! -f "$dir/sources.list" ] && [ ! -f "$dir/sources.sources" ]; then
		mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/preferences.d"
		: > "$dir/preferences"
		if [ "$suite" = bookworm ]; then
			cp "$TW_APT_HOST_SOURCES" "$dir/sources.sources"
		else
			[ -n "$(tw_apt_mirror)" ] || tw_die "no URIs: in $TW_APT_HOST_SOURCES"
			# SUITE-src: the source packages of SUITE
			case $suite in
			*-src) echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(tw_apt_mirror) ${suite%-src} main" ;;
			*) echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(tw_apt_mirror) $suite main" ;;
			esac > "$dir/sources.list"
			printf 'Package: *\nPin: release n=%s\nPin-Priority: 1\n' "$suite" > "$dir/preferences"
		fi
	fi
	local opts=(-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir"
		-o Dir::Cache::Archives="$dir/archives"
		-o Dir::Etc::Preferences="$dir/preferences" -o Dir::Etc::PreferencesParts="$dir/preferences.d"
		-o APT::Sandbox::User=root)
	if [ -f "$dir/sources.list" ]; then
		opts+=(-o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=-)
	else
		opts+=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$dir")
	fi
	if [ ! -f "$dir/.updated" ] || [ -n "$(find "$dir/.updated" -mmin +720)" ]; then
		apt-get -q "${opts[@]}" update >&2 || tw_die "apt-get update for $suite failed"
		touch "$dir/.updated"
	fi
	"$cmd" "${opts[@]}" "$@"
}

# tw_apt_candidate SUITE PACKAGE: the version apt would pick, or nothing.
tw_apt_candidate() {
	tw_apt "$1" apt-cache policy "$2" | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
}

# tw_apt_depends_on SUITE PACKAGE PATTERN: the first dependency of
# PACKAGE's candidate whose name matches the extended regex PATTERN.
tw_apt_depends_on() {
	tw_apt "$1" apt-cache depends "$2" |
		awk -v re="$3" '$1 == "Depends:" && $2 ~ re { print $2; exit }'
}

# tw_apt_unpack SUITE ROOT PACKAGE...: download the candidate of every
# PACKAGE and unpack it under ROOT (the .deb is not kept: ROOT is the
# cache).  Absolute
# symlinks inside ROOT are made to point into ROOT (linux-headers links
# its scripts/ to /usr/lib/linux-kbuild-*).
tw_apt_unpack() {
	local suite=$1 root=$2 p deb
	shift 2
	mkdir -p "$root"
	for p in "$@"; do
		(cd "$TW_CACHE/apt/$suite/archives" && tw_apt "$suite" apt-get -q download "$p" >&2) ||
			tw_die "apt-get download $p ($suite) failed"
		deb=$(ls -t "$TW_CACHE/apt/$suite/archives/${p}_"*.deb | head -n 1)
		dpkg -x "$deb" "$root" || tw_die "dpkg -x $deb failed"
		rm -f "$deb"
	done
	find "$root" -type l -lname '/*' | while read -r l; do
		ln -sfn "$root$(readlink "$l")" "$l"
	done
}
