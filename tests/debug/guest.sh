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
	# MSECS_MIN_AGE in mm/kmemleak.c: 5 s
	sleep 6
	echo scan >"$KMEMLEAK" || return 1
	echo scan >"$KMEMLEAK" || return 1
	cat "$KMEMLEAK"
	rmcp_kmsg "RMCP-KMEMLEAK: scanned, $(_kmemleak_count) leaks"
}
