# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# /lib/rmcp/guest.sh: helpers for payload scripts run inside the rmcp QEMU
# test guest (busybox sh). Source it: `. /lib/rmcp/guest.sh`.
#
# Results are written to /dev/kmsg, so they reach the serial log as whole
# kernel log records (never torn by concurrent console output) and carry a
# timestamp; the host (tests/qemu/boot) reads only such records:
#   RMCP-TAP: ok NAME | RMCP-TAP: not ok NAME # REASON | ... # SKIP REASON
#   RMCP-TIME: WHAT SECONDS
#
# Functions:
#   tap_ok NAME                 tap_fail NAME REASON...     tap_skip NAME REASON...
#   tap_check NAME CMD [ARG...] run CMD; ok if it exits 0, else not ok
#   load_amdgpu [ARGS...]       modprobe amdgpu ARGS, logs RMCP-TIME: amdgpu S
#   unload_amdgpu               modprobe -r amdgpu (and the deps it pulled in)
#   dmesg_mark [NAME]           start a dmesg_check window here
#   dmesg_check [NAME]          fail if the kernel log since the last mark (or
#                               since boot) shows a warning/oops/lockdep splat;
#                               with NAME it also prints the TAP line
#   kallsyms_has SYMBOL         SYMBOL is in /proc/kallsyms
#   scenario NAME FUNC [ARG...] run FUNC in a subshell (no scenario sees another
#                               one's shell variables) between dmesg_mark and
#                               dmesg_check: ok if FUNC returns 0 and the log is
#                               clean, SKIP if it returns 4 after `because`,
#                               else not ok with the first reason it gave
#   because REASON...           record why the running scenario fails (first wins)
#   expect WHAT CMD [ARG...]    run CMD; if it fails: because WHAT, return 1
#   uptime_cs / rmcp_time WHAT START_CS   timing helpers (centiseconds)

# shellcheck disable=SC2034 # for payloads
RMCP_RELEASE=$(uname -r)
# shellcheck disable=SC2034
RMCP_MODDIR=/lib/modules/$RMCP_RELEASE

# rmcp_kmsg TEXT...: one kernel log record at level 2 (crit), so it is
# printed on the console even with `quiet`/loglevel=4 on the command line.
rmcp_kmsg() {
	printf '<2>%s\n' "$(printf '%s' "$*" | tr '\n\r' '  ')" >/dev/kmsg
}

tap_ok() {
	rmcp_kmsg "RMCP-TAP: ok $1"
}

tap_fail() {
	_n=$1
	shift
	rmcp_kmsg "RMCP-TAP: not ok $_n # ${*:-failed}"
}

tap_skip() {
	_n=$1
	shift
	rmcp_kmsg "RMCP-TAP: ok $_n # SKIP ${*:-skipped}"
}

# tap_check NAME CMD [ARG...]
tap_check() {
	_n=$1
	shift
	if "$@"; then
		tap_ok "$_n"
	else
		_rc=$?
		tap_fail "$_n" "'$*' exited $_rc"
		return "$_rc"
	fi
}

# uptime_cs: seconds since boot, in hundredths.
uptime_cs() {
	read -r _up _ </proc/uptime
	_s=${_up%.*}
	_f=${_up#*.}
	# strip leading zeros so sh arithmetic does not read octal
	_f=${_f#0}
	echo $((_s * 100 + ${_f:-0}))
}

# rmcp_time WHAT START_CS: log RMCP-TIME: WHAT <seconds since START_CS>.
rmcp_time() {
	_d=$(($(uptime_cs) - $2))
	rmcp_kmsg "$(printf 'RMCP-TIME: %s %d.%02d' "$1" $((_d / 100)) $((_d % 100)))"
}

# load_amdgpu [ARGS...]: modprobe amdgpu with module parameters ARGS.
load_amdgpu() {
	_t0=$(uptime_cs)
	modprobe amdgpu "$@"
	_rc=$?
	rmcp_time amdgpu "$_t0"
	[ "$_rc" -eq 0 ] || echo "load_amdgpu: modprobe amdgpu $* exited $_rc" >&2
	return "$_rc"
}

# unload_amdgpu: remove amdgpu and the modules it pulled in.
unload_amdgpu() {
	modprobe -r amdgpu || return $?
	[ ! -e /sys/module/amdgpu ] || {
		echo "unload_amdgpu: /sys/module/amdgpu still present" >&2
		return 1
	}
}

# The lines dmesg_check treats as a failure.
RMCP_DMESG_BAD='WARNING:|BUG:|Oops|KASAN|UBSAN|possible circular locking|general protection fault|Call Trace|Kernel panic|kernel BUG'

dmesg_mark() {
	rmcp_kmsg "RMCP-MARK ${1:-}"
}

# dmesg_check [NAME]: 0 if clean. Sets DMESG_BAD to the first bad line.
dmesg_check() {
	DMESG_BAD=$(dmesg | awk '/RMCP-MARK/ { n = 0; delete l; next } { l[++n] = $0 }
		END { for (i = 1; i <= n; i++) print l[i] }' |
		grep -v 'RMCP-' | grep -E "$RMCP_DMESG_BAD")
	if [ -z "$DMESG_BAD" ]; then
		[ -z "${1:-}" ] || tap_ok "$1"
		return 0
	fi
	echo "dmesg_check: kernel log since the last mark has:" >&2
	printf '%s\n' "$DMESG_BAD" | sed 's/^/dmesg_check: /' >&2
	DMESG_BAD=$(printf '%s\n' "$DMESG_BAD" | head -n 1 | sed 's/^\[ *[0-9.]*\] *//')
	[ -z "${1:-}" ] || tap_fail "$1" "dmesg: $DMESG_BAD"
	return 1
}

# kallsyms_has SYMBOL
kallsyms_has() {
	grep -qE "^[0-9a-f]+ [a-zA-Z] $1(	|\$)" /proc/kallsyms
}

# ---- scenarios: one function each, the first reason is the one reported ----
RMCP_REASON=/tmp/.rmcp-reason

because() {
	[ -s "$RMCP_REASON" ] || printf '%s\n' "$*" >"$RMCP_REASON"
}

expect() {
	_what=$1
	shift
	"$@" && return 0
	because "$_what"
	return 1
}

scenario() {
	_sn=$1
	shift
	: >"$RMCP_REASON"
	dmesg_mark "$_sn"
	("$@")
	_src=$?
	_why=$(head -n 1 "$RMCP_REASON")
	if [ "$_src" -eq 4 ]; then
		tap_skip "$_sn" "${_why:-skipped}"
	elif [ "$_src" -ne 0 ]; then
		tap_fail "$_sn" "${_why:-exited $_src}"
	else
		dmesg_check "$_sn"
	fi
}
