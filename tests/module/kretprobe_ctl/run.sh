#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest payload of tests/module/kretprobe_ctl/run: while two rmcp_selftest
# threads call the real gmc_v10_0_get_vm_pte, put a kretprobe on it and take
# it off again, N times. MODE (kernel command line uul.mode=):
#   rmcp   modprobe rmcp extra_ids=1002:5046 / modprobe -r rmcp
#   ctl    modprobe rmcp_krp_ctl / modprobe -r rmcp_krp_ctl (bare kretprobe)
#   trace  the kernel's own kprobe_events: r:uul/vmpte gmc_v10_0_get_vm_pte
# One TAP line: ok after N clean cycles, not ok at the first bad kernel line.
# shellcheck disable=SC2119 # load_amdgpu, dmesg_check: their arguments are optional
# shellcheck source-path=SCRIPTDIR source=../../qemu/guest/guest.sh
. /lib/rmcp/guest.sh

CTL=/sys/kernel/debug/rmcp_selftest/ctl
T=/sys/kernel/tracing
MODE=$(sed -n 's/.*uul\.mode=\([a-z]*\).*/\1/p' /proc/cmdline)
N=$(sed -n 's/.*uul\.n=\([0-9]*\).*/\1/p' /proc/cmdline)
MODE=${MODE:-ctl}
N=${N:-20}

ctl() {
	echo "$*" >"$CTL" || return 1
	cat "$CTL"
}

on() {
	case $MODE in
	rmcp) modprobe rmcp extra_ids=1002:5046 ;;
	ctl) modprobe rmcp_krp_ctl ;;
	trace) echo 'r:uul/vmpte gmc_v10_0_get_vm_pte' >>$T/kprobe_events &&
		echo 1 >$T/events/uul/vmpte/enable ;;
	esac
}

off() {
	case $MODE in
	rmcp) modprobe -r rmcp ;;
	ctl) modprobe -r rmcp_krp_ctl ;;
	trace) echo 0 >$T/events/uul/vmpte/enable &&
		echo '-:uul/vmpte' >>$T/kprobe_events ;;
	esac
}

load_amdgpu || tap_fail "kretprobe_$MODE" "amdgpu did not load"
modprobe rmcp_selftest || tap_fail "kretprobe_$MODE" "no rmcp_selftest"
ctl resolve >/dev/null || tap_fail "kretprobe_$MODE" "no gmc_v10_0_get_vm_pte"
ctl hammer 2 >/dev/null
dmesg_mark "kretprobe_$MODE"
i=0
bad=
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	on || bad="on $i failed"
	sleep 0.3
	dmesg_check || bad="on $i: $DMESG_BAD"
	[ -z "$bad" ] || break
	off || bad="off $i failed"
	sleep 0.3
	dmesg_check || bad="off $i: $DMESG_BAD"
	[ -z "$bad" ] || break
done
if [ -n "$bad" ]; then
	# the hammer threads may be dead: do not wait for them
	tap_fail "kretprobe_$MODE" "$bad"
else
	# shellcheck disable=SC2046
	set -- $(ctl stop)
	rmcp_kmsg "RMCP-INFO: $N cycles, calls=$1 nc=$2 cc=$3 other=$4"
	tap_ok "kretprobe_$MODE $N cycles"
fi
