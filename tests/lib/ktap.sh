# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Result lines of the host-side test steps, in KTAP
# (Documentation/dev-tools/ktap.rst), with one naming rule:
#
#   ok N <step> <kernel|-> <name>
#   not ok N <step> <kernel|-> <name> # <the one reason it failed>
#   ok N <step> <kernel|-> <name> # SKIP <why>
#
# Sourced, not run. Model: the kernel's
# tools/testing/selftests/kselftest/ktap_helpers.sh. Set KTAP_STEP (and
# KTAP_KERNEL, default "-") before the first result. N counts per process;
# tests/ktap.py, the one parser, renumbers when it merges steps.
#
#   ktap_pass NAME              ktap_fail NAME REASON      ktap_skip NAME REASON
#   ktap_scenario NAME FUNC [ARG...]
#       run FUNC in a subshell (so no scenario sees another one's shell
#       variables); ok if it returns 0; skip if it returns 4 (KSFT_SKIP) after
#       `because`; else not ok with the first reason it gave with `because`
#       or `expect`.
#   because REASON              record why (the first reason wins)
#   expect WHAT CMD [ARG...]    run CMD; if it fails: because "WHAT", return 1

KTAP_STEP=${KTAP_STEP:-}
KTAP_KERNEL=${KTAP_KERNEL:--}
KTAP_TESTNUM=${KTAP_TESTNUM:-0}
KSFT_SKIP=4

_ktap_line() {
	local st=$1 name=$2 dir=${3:-}
	[ -n "$KTAP_STEP" ] || { echo "ktap.sh: KTAP_STEP is not set" >&2; return 1; }
	KTAP_TESTNUM=$((KTAP_TESTNUM + 1))
	# A reason is one line; '#' would start a second directive.
	dir=$(printf '%s' "$dir" | tr '\n\r#' '  _' | cut -c1-300)
	printf '%s %d %s %s %s%s\n' "$st" "$KTAP_TESTNUM" "$KTAP_STEP" "$KTAP_KERNEL" \
		"$name" "${dir:+ # $dir}"
}

ktap_pass() { _ktap_line ok "$1"; }
ktap_fail() { _ktap_line "not ok" "$1" "${2:-failed}"; }
ktap_skip() { _ktap_line ok "$1" "SKIP ${2:-skipped}"; }

_KTAP_REASON=

because() {
	[ -n "$_KTAP_REASON" ] || return 0
	[ -s "$_KTAP_REASON" ] || printf '%s\n' "$*" >"$_KTAP_REASON"
}

expect() {
	local what=$1
	shift
	if "$@"; then
		return 0
	fi
	because "$what"
	return 1
}

ktap_scenario() {
	local name=$1 rc why
	shift
	_KTAP_REASON=$(mktemp)
	("$@")
	rc=$?
	why=$(head -n 1 "$_KTAP_REASON")
	rm -f "$_KTAP_REASON"
	_KTAP_REASON=
	case "$rc" in
	0) ktap_pass "$name" ;;
	"$KSFT_SKIP") ktap_skip "$name" "${why:-skipped}" ;;
	*) ktap_fail "$name" "${why:-exited $rc}" ;;
	esac
	[ "$rc" = 0 ] || [ "$rc" = "$KSFT_SKIP" ]
}
