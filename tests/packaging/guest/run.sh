#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest payload of tests/packaging/install (QEMU, busybox initramfs). The
# image holds, from the throw-away root where rmcp-dkms was installed with
# apt: the dkms-built rmcp.ko at /lib/modules/RELEASE/updates/dkms/, the
# package's /etc/modprobe.d/rmcp.conf, and that root's kmod (/opt/kmod:
# the binary, its libraries, /lib64/ld-linux-x86-64.so.2), because busybox
# modprobe ignores softdeps. /payload/mode says what to check:
#
#   softdep   `modprobe amdgpu` through kmod loads rmcp first
#             (TAP: softdep_order)
#   sigenforce  booted with module.sig_enforce=1, rmcp.ko unsigned: modprobe
#             rmcp is refused and rmcp-probe explains it; the build signed
#             with dkms's own unenrolled MOK (/payload/rmcp-dkms-mok.bin) is
#             refused too (TAP: sig_enforce_refused)
# shellcheck disable=SC2119 # dmesg_mark/dmesg_check without a NAME
# shellcheck source-path=SCRIPTDIR source=../../qemu/guest/guest.sh
. /lib/rmcp/guest.sh

say() { rmcp_kmsg "RMCP-INFO: $*"; }
# say_file FILE PREFIX: a file, line by line, on the serial log
say_file() {
	while IFS= read -r l; do say "$2$l"; done <"$1"
}

KMOD=/opt/kmod
export LD_LIBRARY_PATH=$KMOD/lib
MP=$KMOD/modprobe
mode=$(cat /payload/mode 2>/dev/null)
dko=$RMCP_MODDIR/updates/dkms/rmcp.ko

if ! $MP --version >/tmp/kv 2>&1; then
	say_file /tmp/kv "kmod: "
	tap_fail "${mode}_kmod" "the root's kmod does not run in the guest"
	exit 0
fi
say "kmod: $(head -n 1 /tmp/kv); module: $dko"

# the kernel's own log lines (not the test's RMCP- records)
klog() { dmesg | grep -v 'RMCP-'; }
# line NUMBER in klog of the first line matching ERE $1, or nothing
first_line() {
	klog | grep -nE "$1" | head -n 1 | cut -d: -f1
}

softdep() {
	name=softdep_order
	[ -f "$dko" ] || { tap_fail $name "no $dko in the image"; return; }
	[ ! -e /sys/module/rmcp ] || { tap_fail $name "rmcp loaded before the test"; return; }
	# Negative control: without /etc/modprobe.d (an empty config dir) kmod
	# does not plan rmcp; with it, rmcp.ko comes before amdgpu.ko.
	mkdir -p /tmp/noconf
	$MP -C /tmp/noconf --show-depends amdgpu >/tmp/plain 2>&1
	$MP --show-depends amdgpu >/tmp/plan 2>&1
	say_file /tmp/plan "plan: "
	if grep -q 'rmcp\.ko' /tmp/plain; then
		tap_fail $name "negative control: rmcp planned without modprobe.d"
		return
	fi
	# amdgpu's own dependencies come first; the softdep puts rmcp right
	# before amdgpu.ko itself
	p_rmcp=$(grep -n "^insmod $dko" /tmp/plan | head -n 1 | cut -d: -f1)
	p_amdgpu=$(grep -n '^insmod .*/amdgpu\.ko' /tmp/plan | head -n 1 | cut -d: -f1)
	if [ -z "$p_rmcp" ] || [ -z "$p_amdgpu" ] || [ "$p_rmcp" -ge "$p_amdgpu" ]; then
		tap_fail $name "modprobe --show-depends amdgpu does not plan $dko before amdgpu.ko"
		return
	fi
	dmesg_mark
	t0=$(uptime_cs)
	if ! $MP amdgpu >/tmp/mp 2>&1; then
		say_file /tmp/mp "modprobe: "
		tap_fail $name "modprobe amdgpu (kmod) failed: $(head -n 1 /tmp/mp)"
		return
	fi
	rmcp_time amdgpu-kmod "$t0"
	klog | grep -E 'rmcp|amdgpu|\[drm\]' | tail -n 25 >/tmp/dm
	say_file /tmp/dm "dmesg: "
	[ -d /sys/module/rmcp ] || { tap_fail $name "/sys/module/rmcp absent after modprobe amdgpu"; return; }
	[ -d /sys/module/amdgpu ] || { tap_fail $name "/sys/module/amdgpu absent"; return; }
	# the loaded rmcp is the dkms-built one
	want=$($KMOD/modinfo -F srcversion "$dko" 2>/dev/null)
	have=$(cat /sys/module/rmcp/srcversion 2>/dev/null)
	if [ -z "$want" ] || [ "$want" != "$have" ]; then
		tap_fail $name "loaded rmcp srcversion '$have' is not $dko's '$want'"
		return
	fi
	# order in the kernel log: rmcp loaded, saw amdgpu COMING, then amdgpu
	l_rmcp=$(first_line 'rmcp: version .* loaded')
	l_coming=$(first_line 'rmcp: amdgpu coming')
	l_amdgpu=$(klog | grep -nE 'amdgpu' | grep -v 'rmcp' | head -n 1 | cut -d: -f1)
	say "kernel log lines: rmcp loaded $l_rmcp, rmcp saw amdgpu coming $l_coming, first amdgpu line $l_amdgpu"
	if [ -z "$l_rmcp" ] || [ -z "$l_coming" ] || [ -z "$l_amdgpu" ]; then
		tap_fail $name "kernel log lacks rmcp's load ($l_rmcp), its amdgpu-coming ($l_coming) or amdgpu's line ($l_amdgpu)"
		return
	fi
	if [ "$l_rmcp" -ge "$l_amdgpu" ] || [ "$l_coming" -ge "$l_amdgpu" ]; then
		tap_fail $name "rmcp's lines ($l_rmcp, $l_coming) are not before amdgpu's ($l_amdgpu)"
		return
	fi
	# the options line in modprobe.d reached rmcp, and its policy was in
	# force before amdgpu probed the ati-vga device
	dev=/sys/module/rmcp/devices/0000:00:02.0
	for f in /sys/module/rmcp/status/state /sys/module/rmcp/parameters/extra_ids \
		"$dev/matched" "$dev/policy"; do
		[ -f "$f" ] && say "${f#/sys/module/rmcp/}: $(cat "$f")"
	done
	if [ "$(cat "$dev/matched" 2>/dev/null)" != extra_ids ]; then
		tap_fail $name "$dev/matched is '$(cat "$dev/matched" 2>/dev/null)', not extra_ids (options from modprobe.d)"
		return
	fi
	if [ "$(cat "$dev/policy" 2>/dev/null)" != applied ]; then
		tap_fail $name "$dev/policy is '$(cat "$dev/policy" 2>/dev/null)', not applied"
		return
	fi
	dmesg_check || { tap_fail $name "dmesg: $DMESG_BAD"; return; }
	tap_ok $name
}

sigenforce() {
	name=sig_enforce_refused
	se=$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)
	[ "$se" = Y ] || { tap_fail $name "sig_enforce is '$se', not Y"; return; }
	[ -f "$dko" ] || { tap_fail $name "no $dko in the image"; return; }
	if grep -q '~Module signature appended~' "$dko"; then
		tap_fail $name "$dko is signed; the test needs an unsigned build"
		return
	fi
	# Positive control: a module Debian signed loads under enforcement.
	ctl=$(sed -n 's/^\(.*\/drm\.ko\):.*/\1/p' "$RMCP_MODDIR/modules.dep" | head -n 1)
	if [ -n "$ctl" ] && ! $MP drm >/tmp/ctl 2>&1; then
		say_file /tmp/ctl "modprobe drm: "
		tap_fail $name "control: the Debian-signed drm.ko is refused too"
		return
	fi
	dmesg_mark
	if $MP rmcp >/tmp/mp 2>&1; then
		tap_fail $name "modprobe rmcp succeeded under sig_enforce"
		return
	fi
	say_file /tmp/mp "modprobe rmcp: "
	klog | grep -iE 'rmcp|reject|signature' >/tmp/dm
	say_file /tmp/dm "dmesg: "
	[ ! -e /sys/module/rmcp ] || { tap_fail $name "/sys/module/rmcp exists"; return; }
	if ! grep -q 'Key was rejected by service' /tmp/mp &&
		! grep -q 'Loading of unsigned module is rejected' /tmp/dm; then
		tap_fail $name "neither modprobe nor dmesg says the key/unsigned module was rejected"
		return
	fi
	# dkms's default build, signed with its own MOK (/var/lib/dkms/mok.key)
	# that this kernel does not trust: refused as well
	if [ -f /payload/rmcp-dkms-mok.bin ]; then
		if $KMOD/insmod /payload/rmcp-dkms-mok.bin >/tmp/ins 2>&1; then
			tap_fail $name "the build signed with dkms's unenrolled MOK loaded under sig_enforce"
			return
		fi
		say_file /tmp/ins "insmod (dkms MOK-signed build): "
		klog | grep -iE 'unavailable key|rejected' | tail -n 1 >/tmp/dm2
		say_file /tmp/dm2 "dmesg: "
	fi
	if [ ! -x /payload/rmcp-probe ]; then
		tap_fail $name "no rmcp-probe in the payload"
		return
	fi
	/payload/rmcp-probe >/tmp/probe 2>&1
	prc=$?
	say "rmcp-probe exit $prc:"
	say_file /tmp/probe "rmcp-probe: "
	# its rmcp line: "rmcp: not loaded (/lib/modules/.../rmcp.ko: not signed)"
	if ! grep -qiE '^rmcp:.*not loaded' /tmp/probe; then
		tap_fail $name "rmcp-probe does not say rmcp is not loaded"
		return
	fi
	if ! grep -iE '^rmcp:.*not loaded' /tmp/probe | grep -qi 'sig'; then
		tap_fail $name "rmcp-probe's rmcp line does not mention the signature"
		return
	fi
	tap_ok $name
}

case "$mode" in
softdep) softdep ;;
sigenforce) sigenforce ;;
*) tap_fail payload "unknown mode '$mode'" ;;
esac
exit 0
