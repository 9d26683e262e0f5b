#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo` guest payload: load rmcp (matching QEMU's ati-vga by extra_ids),
# load the real amdgpu, show rmcp's status, run rmcp-probe and, when present,
# the selftest scenario that drives the real gmc_v10_0_get_vm_pte.
# shellcheck source-path=SCRIPTDIR source=../qemu/guest/guest.sh
. /lib/rmcp/guest.sh

say() { rmcp_kmsg "RMCP-DEMO: $*"; }
show_dir() {
	for f in "$1"/*; do
		[ -f "$f" ] && say "  ${f#/sys/module/rmcp/}: $(cat "$f" 2>&1)"
	done
}

say "kernel $(uname -r), $(grep -c '^processor' /proc/cpuinfo) CPUs"
for p in /sys/bus/pci/devices/*; do
	[ "$(cat "$p/vendor")" = 0x1002 ] &&
		say "AMD PCI device ${p##*/}: $(sed 's/^0x//' "$p/vendor"):$(sed 's/^0x//' "$p/device") (QEMU ati-vga)"
done
if modprobe rmcp extra_ids=1002:5046; then
	say "modprobe rmcp extra_ids=1002:5046: ok"
else
	say "modprobe rmcp failed"
	tap_fail demo "modprobe rmcp failed"
	exit 0
fi
t0=$(uptime_cs)
# shellcheck disable=SC2119 # no amdgpu parameters
if load_amdgpu; then
	say "modprobe amdgpu: ok ($(( ($(uptime_cs) - t0) / 100 )) s)"
else
	say "modprobe amdgpu failed"
fi
say "gmc_v10_0_get_vm_pte in kallsyms: $(grep -c ' gmc_v10_0_get_vm_pte' /proc/kallsyms)"
for d in parameters status; do
	[ -d /sys/module/rmcp/$d ] && { say "/sys/module/rmcp/$d:"; show_dir /sys/module/rmcp/$d; }
done
for dev in /sys/module/rmcp/devices/*; do
	[ -d "$dev" ] && { say "$dev:"; show_dir "$dev"; }
done
if [ -x /payload/scenario.sh ]; then
	say "selftest scenario:"
	sh /payload/scenario.sh 2>&1 | while IFS= read -r l; do say "  $l"; done
	for dev in /sys/module/rmcp/devices/*; do
		[ -d "$dev" ] && { say "$dev after the scenario:"; show_dir "$dev"; }
	done
fi
if [ -x /payload/rmcp-probe ]; then
	say "rmcp-probe:"
	/payload/rmcp-probe 2>&1 | while IFS= read -r l; do say "  $l"; done
fi
dmesg | grep 'rmcp' | grep -v 'RMCP-' | tail -n 20 | while IFS= read -r l; do say "dmesg: $l"; done
tap_ok demo
