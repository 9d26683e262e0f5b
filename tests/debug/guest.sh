# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Guest helpers for payloads on the debug kernel (busybox sh), sourced after
# /lib/rmcp/guest.sh: copy this file into the payload and
# `. /payload/debug-guest.sh`. The host judges the serial log with
# tests/debug/splats.
#
#   kmemleak_baseline   scan once and forget what boot left unreferenced, so
#                       the report covers the payload only (the count is
#                       logged as "RMCP-KMEMLEAK: baseline N")
#   kmemleak_report     wait past kmemleak's minimum object age, scan twice
#                       (an object whose contents changed since the last
#                       scan is not reported yet), print the report on the
#                       console and log "RMCP-KMEMLEAK: scanned, N leaks";
#                       returns 1 if kmemleak is not there
KMEMLEAK=/sys/kernel/debug/kmemleak

_kmemleak_count() {
	grep -c '^unreferenced object' "$KMEMLEAK" 2>/dev/null || true
}

kmemleak_baseline() {
	[ -w "$KMEMLEAK" ] || { rmcp_kmsg "RMCP-KMEMLEAK: unavailable"; return 1; }
	echo scan >"$KMEMLEAK" || return 1
	rmcp_kmsg "RMCP-KMEMLEAK: baseline $(_kmemleak_count)"
	echo clear >"$KMEMLEAK"
}

kmemleak_report() {
	[ -w "$KMEMLEAK" ] || { rmcp_kmsg "RMCP-KMEMLEAK: unavailable"; return 1; }
	# A finished task's kernel stack stays in the vmap stack cache, which
	# kmemleak scans: the last pointer to a leak would hide it. Short-lived
	# tasks reuse (and overwrite) the cached stacks.
	_i=0
	while [ $_i -lt 64 ]; do
		/bin/true
		_i=$((_i + 1))
	done
	# MSECS_MIN_AGE in mm/kmemleak.c: 5 s
	sleep 6
	echo scan >"$KMEMLEAK" || return 1
	echo scan >"$KMEMLEAK" || return 1
	cat "$KMEMLEAK"
	rmcp_kmsg "RMCP-KMEMLEAK: scanned, $(_kmemleak_count) leaks"
}
