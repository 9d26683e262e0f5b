# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The clean run of tests/debug/run (guest side, as the payload's run.sh):
# the negative control's module with both bugs off, loaded and unloaded,
# then a kmemleak scan. The host's splat detector must find nothing.
# shellcheck source-path=SCRIPTDIR source=../../qemu/guest/guest.sh
. /lib/rmcp/guest.sh
# shellcheck source=../guest.sh
. /payload/debug-guest.sh

kmemleak_baseline || { tap_fail debug_clean "kmemleak is not available"; exit 1; }
if ! modprobe rmcp_debug_bad leak=0 uaf=0; then
	tap_fail debug_clean "modprobe rmcp_debug_bad leak=0 uaf=0 failed"
	exit 1
fi
if ! modprobe -r rmcp_debug_bad; then
	tap_fail debug_clean "modprobe -r rmcp_debug_bad failed"
	exit 1
fi
kmemleak_report || { tap_fail debug_clean "kmemleak scan failed"; exit 1; }
tap_ok debug_clean
