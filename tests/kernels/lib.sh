# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Shared helpers for the kernel test bed: cache layout, private apt state per
# Debian suite, kernel-set resolution. Sourced, not run.
#
# The archive URIs come from this machine's apt configuration; nothing here
# names an archive host. Other suites' packages are only downloaded and
# unpacked (or installed into a cached build root of that suite), never
# installed on this system.

RMCP_CACHE=${RMCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rmcp}
export RMCP_CACHE
RMCP_DEBS=$RMCP_CACHE/debs
RMCP_KDIR=$RMCP_CACHE/kernels
RMCP_ROOTS=$RMCP_CACHE/roots
RMCP_APT=$RMCP_CACHE/apt

# Suites we resolve by default, oldest first.
RMCP_SUITES="bullseye bookworm trixie sid"

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# archive_uris: sets RMCP_MAIN_URI and RMCP_SEC_URI from the host's apt config.
# shellcheck disable=SC2016 # $(REPO_URI) is apt's own field syntax
archive_uris() {
	[ -n "${RMCP_MAIN_URI:-}" ] && return 0
	local host_codename uri rel
	host_codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	while read -r uri rel; do
		case "$rel" in
		*-security) RMCP_SEC_URI=${RMCP_SEC_URI:-$uri} ;;
		"$host_codename"|"$host_codename"-updates) RMCP_MAIN_URI=${RMCP_MAIN_URI:-$uri} ;;
		esac
	done < <(apt-get indextargets --no-release-info \
		--format '$(REPO_URI) $(RELEASE)' 2>/dev/null | sort -u)
	[ -n "${RMCP_MAIN_URI:-}" ] ||
		die "no Debian archive URI for '$host_codename' in this machine's apt configuration"
	if [ -z "${RMCP_SEC_URI:-}" ]; then
		# Conventional layout: the security archive sits beside the main one.
		RMCP_SEC_URI=${RMCP_MAIN_URI%/}-security/
	fi
	export RMCP_MAIN_URI RMCP_SEC_URI
}

# suite_sources SUITE: the sources.list lines a suite's private apt state
# tries. The archive drops a release's -backports (and, at the end of its
# life, -updates): apt_state_update keeps only the ones the archive has, in
# $RMCP_APT/SUITE/sources.list, which is what the suite's users read.
suite_sources() {
	local s=$1
	archive_uris
	case "$s" in
	sid)
		echo "deb $RMCP_MAIN_URI sid main"
		;;
	*)
		echo "deb $RMCP_MAIN_URI $s main"
		echo "deb $RMCP_MAIN_URI $s-updates main"
		echo "deb $RMCP_MAIN_URI $s-backports main"
		echo "deb ${RMCP_SEC_URI} $s-security main"
		;;
	esac
}

# apt_opts SUITE: prints the options that select the private state, one per line.
apt_opts() {
	local d=$RMCP_APT/$1
	printf '%s\n' \
		-o "Dir::Etc::SourceList=$d/sources.list" \
		-o "Dir::Etc::SourceParts=$d/empty" \
		-o "Dir::Etc::Preferences=$d/empty/none" \
		-o "Dir::Etc::PreferencesParts=$d/empty" \
		-o "Dir::State=$d/state" \
		-o "Dir::State::Lists=$d/lists" \
		-o "Dir::State::Status=$d/status" \
		-o "Dir::Cache=$d/cache" \
		-o "Dir::Cache::Archives=$RMCP_DEBS" \
		-o "APT::Architecture=amd64" \
		-o "APT::Architectures=amd64" \
		-o "Acquire::Languages=none" \
		-o "Debug::NoLocking=true" \
		-o "quiet=2"
	# sid's Release file may be past its Valid-Until date on a mirror snapshot.
	[ "$1" = sid ] && printf '%s\n' -o "Acquire::Check-Valid-Until=false"
	return 0
}

# papt SUITE CMD ARGS...: run apt-get/apt-cache against the private state.
papt() {
	local suite=$1 cmd=$2
	shift 2
	local -a opts
	mapfile -t opts < <(apt_opts "$suite")
	"$cmd" "${opts[@]}" "$@"
}

# apt_state_update SUITE: create and refresh a suite's private state. Offline,
# with lists already cached, it warns and carries on with those. A candidate
# source the archive does not have (no Release file: bullseye-backports) is
# dropped from the state, with a word on stderr.
apt_state_update() {
	local s=$1 d=$RMCP_APT/$1 gone
	mkdir -p "$d/empty" "$d/state" "$d/lists/partial" "$d/cache/archives/partial" \
		"$RMCP_DEBS/partial"
	[ -f "$d/status" ] || : >"$d/status"
	if [ -n "${RMCP_OFFLINE:-}" ] && [ -f "$d/sources.list" ] &&
		ls "$d/lists/"*Packages* >/dev/null 2>&1; then
		return 0
	fi
	suite_sources "$s" >"$d/sources.list.new"
	mv "$d/sources.list.new" "$d/sources.list"
	if ! papt "$s" apt-get update >"$d/update.log" 2>&1; then
		# "The repository 'URI DIST Release' does not have a Release file."
		gone=$(sed -nE "s/.*repository '[^ ]+ ([^ ]+) Release' does not have a Release file.*/\1/p" \
			"$d/update.log" | sort -u)
		if [ -n "$gone" ]; then
			log "apt: $s: the archive has no $(echo "$gone" | paste -sd' ' -); using the rest"
			grep -vwF -f <(echo "$gone") "$d/sources.list" >"$d/sources.list.new" || true
			mv "$d/sources.list.new" "$d/sources.list"
			papt "$s" apt-get update >"$d/update.log" 2>&1 && return 0
		fi
		if ls "$d/lists/"*Packages* >/dev/null 2>&1; then
			log "warning: apt update for $s failed; using cached package lists ($d/update.log)"
			return 0
		fi
		log "error: apt update for $s failed and nothing is cached:"
		tail -n 5 "$d/update.log" >&2
		return 1
	fi
}

# suite_of RELEASE: the suite whose private state offers linux-image-RELEASE.
suite_of() {
	local r=$1 s
	[ -f "$RMCP_KDIR/$r/suite" ] && { cat "$RMCP_KDIR/$r/suite"; return 0; }
	for s in $RMCP_SUITES; do
		if papt "$s" apt-cache show "linux-image-$r" >/dev/null 2>&1; then
			echo "$s"
			return 0
		fi
	done
	return 1
}

# newest_release SUITE: `uname -r` of the suite's current linux-image-amd64.
newest_release() {
	local s=$1 dep
	dep=$(papt "$s" apt-cache depends --no-recommends --no-suggests \
		linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(.*-amd64\)$/\1/p' | head -n 1)
	[ -n "$dep" ] || return 1
	echo "$dep"
}

# in_root ROOT CMD...: run CMD chrooted in a build root, with /proc (objtool
# needs it) and /dev mounted in a private mount namespace that ends with the
# command, so nothing stays mounted inside the cache.
# shellcheck disable=SC2016 # expanded by the inner shell
in_root() {
	local rt=$1
	shift
	unshare --mount --propagation private -- sh -c \
		'mount -t proc proc "$1/proc" && mount --bind /dev "$1/dev" && exec chroot "$@"' \
		in_root "$rt" "$@"
}

# side_by_side DIR FUNC RELEASE...: run `FUNC RELEASE` for every release, up to
# RMCP_JOBS (default: the number of CPUs) at once; a guest under
# single-threaded TCG keeps one host CPU busy. Each run's stdout and stderr go
# to DIR/RELEASE.tap and DIR/RELEASE.err and are printed afterwards in the
# order given, as if the runs had been one after the other. Returns non-zero
# if any run did.
side_by_side() {
	local dir=$1 fn=$2 r running=0 rc=0
	shift 2
	mkdir -p "$dir"
	for r in "$@"; do
		if [ "$running" -ge "${RMCP_JOBS:-$(nproc)}" ]; then
			wait -n || true
			running=$((running - 1))
		fi
		if "$fn" "$r" >"$dir/$r.tap" 2>"$dir/$r.err"; then
			echo 0
		else
			echo $?
		fi >"$dir/$r.rc" &
		running=$((running + 1))
	done
	wait
	for r in "$@"; do
		cat "$dir/$r.err" >&2
		cat "$dir/$r.tap"
		[ "$(cat "$dir/$r.rc" 2>/dev/null)" = 0 ] || rc=1
	done
	return $rc
}
