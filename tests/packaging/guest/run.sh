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
#             (result: softdep_order)
#   sigenforce  booted with module.sig_enforce=1, rmcp.ko unsigned: modprobe
#             rmcp is refused and rmcp-probe explains it; the build signed
#             with dkms's own unenrolled MOK (/payload/rmcp-dkms-mok.bin) is
#             refused too (result: sig_enforce_refused)
# Each is one function run by guest.sh's `scenario` (a subshell, between
# dmesg_mark and dmesg_check); a failure reports the first reason it gave.
# shellcheck disable=SC2317 # the scenarios run through scenario
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

# the kernel's own log lines (not the test's RMCP- records)
klog() { dmesg | grep -v 'RMCP-'; }
# line NUMBER in klog of the first line matching ERE $1, or nothing
first_line() {
	klog | grep -nE "$1" | head -n 1 | cut -d: -f1
}
# kmod_runs: the root's kmod runs here (its libraries, its loader)
kmod_runs() {
	if ! $MP --version >/tmp/kv 2>&1; then
		say_file /tmp/kv "kmod: "
		because "the root's kmod does not run in the guest"
		return 1
	fi
	say "kmod: $(head -n 1 /tmp/kv); module: $dko"
}

softdep() {
	kmod_runs || return 1
	[ -f "$dko" ] || { because "no $dko in the image"; return 1; }
	[ ! -e /sys/module/rmcp ] || { because "rmcp loaded before the test"; return 1; }
	# Negative control: without /etc/modprobe.d (an empty config dir) kmod
	# does not plan rmcp; with it, rmcp.ko comes before amdgpu.ko.
	mkdir -p /tmp/noconf
	$MP -C /tmp/noconf --show-depends amdgpu >/tmp/plain 2>&1
	$MP --show-depends amdgpu >/tmp/plan 2>&1
	say_file /tmp/plan "plan: "
	if grep -q 'rmcp\.ko' /tmp/plain; then
		because "negative control: rmcp planned without modprobe.d"
		return 1
	fi
	# amdgpu's own dependencies come first; the softdep puts rmcp right
	# before amdgpu.ko itself
	p_rmcp=$(grep -n "^insmod $dko" /tmp/plan | head -n 1 | cut -d: -f1)
	p_amdgpu=$(grep -n '^insmod .*/amdgpu\.ko' /tmp/plan | head -n 1 | cut -d: -f1)
	if [ -z "$p_rmcp" ] || [ -z "$p_amdgpu" ] || [ "$p_rmcp" -ge "$p_amdgpu" ]; then
		because "modprobe --show-depends amdgpu does not plan $dko before amdgpu.ko"
		return 1
	fi
	t0=$(uptime_cs)
	if ! $MP amdgpu >/tmp/mp 2>&1; then
		say_file /tmp/mp "modprobe: "
		because "modprobe amdgpu (kmod) failed: $(head -n 1 /tmp/mp)"
		return 1
	fi
	rmcp_time amdgpu-kmod "$t0"
	klog | grep -E 'rmcp|amdgpu|\[drm\]' | tail -n 25 >/tmp/dm
	say_file /tmp/dm "dmesg: "
	[ -d /sys/module/rmcp ] || { because "/sys/module/rmcp absent after modprobe amdgpu"; return 1; }
	[ -d /sys/module/amdgpu ] || { because "/sys/module/amdgpu absent"; return 1; }
	# the loaded rmcp is the dkms-built one
	want=$("$KMOD"/modinfo -F srcversion "$dko" 2>/dev/null)
	have=$(cat /sys/module/rmcp/srcversion 2>/dev/null)
	if [ -z "$want" ] || [ "$want" != "$have" ]; then
		because "loaded rmcp srcversion '$have' is not $dko's '$want'"
		return 1
	fi
	# order in the kernel log: rmcp loaded, saw amdgpu COMING, then amdgpu
	l_rmcp=$(first_line 'rmcp: version .* loaded')
	l_coming=$(first_line 'rmcp: amdgpu coming')
	l_amdgpu=$(klog | grep -nE 'amdgpu' | grep -v 'rmcp' | head -n 1 | cut -d: -f1)
	say "kernel log lines: rmcp loaded $l_rmcp, rmcp saw amdgpu coming $l_coming, first amdgpu line $l_amdgpu"
	[ -n "$l_rmcp" ] || { because "kernel log lacks rmcp's 'version ... loaded'"; return 1; }
	[ -n "$l_coming" ] || { because "kernel log lacks rmcp's 'amdgpu coming'"; return 1; }
	[ -n "$l_amdgpu" ] || { because "kernel log lacks amdgpu's own lines"; return 1; }
	if [ "$l_rmcp" -ge "$l_amdgpu" ] || [ "$l_coming" -ge "$l_amdgpu" ]; then
		because "rmcp's lines ($l_rmcp, $l_coming) are not before amdgpu's ($l_amdgpu)"
		return 1
	fi
	# the options line in modprobe.d reached rmcp, and its policy was in
	# force before amdgpu probed the ati-vga device
	dev=/sys/module/rmcp/devices/0000:00:02.0
	for f in /sys/module/rmcp/status/state /sys/module/rmcp/parameters/extra_ids \
		"$dev/matched" "$dev/policy"; do
		[ -f "$f" ] && say "${f#/sys/module/rmcp/}: $(cat "$f")"
	done
	if [ "$(cat "$dev/matched" 2>/dev/null)" != extra_ids ]; then
		because "$dev/matched is '$(cat "$dev/matched" 2>/dev/null)', not extra_ids (options from modprobe.d)"
		return 1
	fi
	# The real amdgpu gives up on ati-vga (-ENODEV) before it reads noretry
	# or vm_fragment_size, so rmcp's policy, in place before that probe,
	# stays "pending" at amdgpu's readers; "too-late" would mean rmcp came
	# after amdgpu. ("applied" is proven with the fixture in tests/module.)
	case "$(cat "$dev/policy" 2>/dev/null)" in
	pending|applied) ;;
	*)
		because "$dev/policy is '$(cat "$dev/policy" 2>/dev/null)', not pending (in place before amdgpu's probe)"
		return 1
		;;
	esac
}

sigenforce() {
	kmod_runs || return 1
	se=$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)
	[ "$se" = Y ] || { because "sig_enforce is '$se', not Y"; return 1; }
	[ -f "$dko" ] || { because "no $dko in the image"; return 1; }
	if grep -q '~Module signature appended~' "$dko"; then
		because "$dko is signed; the test needs an unsigned build"
		return 1
	fi
	# Positive control: a module Debian signed loads under enforcement.
	ctl=$(sed -n 's/^\(.*\/drm\.ko\):.*/\1/p' "$RMCP_MODDIR/modules.dep" | head -n 1)
	if [ -n "$ctl" ] && ! $MP drm >/tmp/ctl 2>&1; then
		say_file /tmp/ctl "modprobe drm: "
		because "control: the Debian-signed drm.ko is refused too"
		return 1
	fi
	if $MP rmcp >/tmp/mp 2>&1; then
		because "modprobe rmcp succeeded under sig_enforce"
		return 1
	fi
	say_file /tmp/mp "modprobe rmcp: "
	klog | grep -iE 'rmcp|reject|signature' >/tmp/dm
	say_file /tmp/dm "dmesg: "
	[ ! -e /sys/module/rmcp ] || { because "/sys/module/rmcp exists"; return 1; }
	if ! grep -q 'Key was rejected by service' /tmp/mp &&
		! grep -q 'Loading of unsigned module is rejected' /tmp/dm; then
		because "neither modprobe nor dmesg says the key/unsigned module was rejected"
		return 1
	fi
	# dkms's default build, signed with its own MOK (/var/lib/dkms/mok.key)
	# that this kernel does not trust: refused as well
	if [ -f /payload/rmcp-dkms-mok.bin ]; then
		if "$KMOD"/insmod /payload/rmcp-dkms-mok.bin >/tmp/ins 2>&1; then
			because "the build signed with dkms's unenrolled MOK loaded under sig_enforce"
			return 1
		fi
		say_file /tmp/ins "insmod (dkms MOK-signed build): "
		klog | grep -iE 'unavailable key|rejected' | tail -n 1 >/tmp/dm2
		say_file /tmp/dm2 "dmesg: "
	fi
	[ -x /payload/rmcp-probe ] || { because "no rmcp-probe in the payload"; return 1; }
	/payload/rmcp-probe >/tmp/probe 2>&1
	prc=$?
	say "rmcp-probe exit $prc:"
	say_file /tmp/probe "rmcp-probe: "
	# its rmcp line: "rmcp: not loaded (/lib/modules/.../rmcp.ko: not signed)"
	if ! grep -qiE '^rmcp:.*not loaded' /tmp/probe; then
		because "rmcp-probe does not say rmcp is not loaded"
		return 1
	fi
	if ! grep -iE '^rmcp:.*not loaded' /tmp/probe | grep -qi 'sig'; then
		because "rmcp-probe's rmcp line does not mention the signature"
		return 1
	fi
}

case "$mode" in
softdep) scenario softdep_order softdep ;;
sigenforce) scenario sig_enforce_refused sigenforce ;;
*) tap_fail payload "unknown mode '$mode'" ;;
esac
exit 0
