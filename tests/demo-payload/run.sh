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
ko=$(grep -o '^[^:]*/rmcp\.ko' "/lib/modules/$(uname -r)/modules.dep" || true)
if modprobe rmcp extra_ids=1002:5046; then
	say "modprobe rmcp extra_ids=1002:5046: ok (/lib/modules/$(uname -r)/${ko:-?}, as dkms installed it)"
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
# The real gmc_v10_0_get_vm_pte of this kernel's amdgpu.ko, called by the
# tests-only rmcp_selftest.ko with a mapping that asks for CC.
CTL=/sys/kernel/debug/rmcp_selftest/ctl
ctl() { echo "$*" >"$CTL" && cat "$CTL"; }
mtype() { echo $((($1 >> 48) & 7)); }
name_of() { case $1 in 0) echo NC ;; 1) echo WC ;; 2) echo CC ;; 3) echo UC ;; *) echo "?$1" ;; esac; }
if [ -f /payload/rmcp_selftest.ko ] && insmod /payload/rmcp_selftest.ko && ctl resolve >/dev/null; then
	DV=$(echo /sys/module/rmcp/devices/*)
	counters() { echo "calls $(cat "$DV/calls"), cc_seen $(cat "$DV/cc_seen"), cc_rewritten $(cat "$DV/cc_rewritten")"; }
	say "selftest: the real gmc_v10_0_get_vm_pte, asked for CC (counters of ${DV##*/})"
	say "  before:                 $(counters)"
	v=$(ctl call good cc 0)
	say "  rmcp armed:    PTE $v  MTYPE $(name_of "$(mtype "$v")")  -> $(counters)"
	echo 0 >/sys/module/rmcp/parameters/enable
	v=$(ctl call good cc 0)
	say "  rmcp enable=0: PTE $v  MTYPE $(name_of "$(mtype "$v")")  (negative control: the driver's own answer)"
	echo 1 >/sys/module/rmcp/parameters/enable
	v=$(ctl call good cc 0)
	say "  rmcp armed:    PTE $v  MTYPE $(name_of "$(mtype "$v")")  -> $(counters)"
	rmmod rmcp_selftest
fi
if [ -x /payload/rmcp-probe ]; then
	say "rmcp-probe:"
	/payload/rmcp-probe 2>&1 | while IFS= read -r l; do say "  $l"; done
fi
dmesg | grep 'rmcp' | grep -v 'RMCP-' | tail -n 20 | while IFS= read -r l; do say "dmesg: $l"; done
tap_ok demo
