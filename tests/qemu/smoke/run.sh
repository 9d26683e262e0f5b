#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Smoke payload (issue 3): the real amdgpu loads on this kernel, the hook
# target is visible, rmcp.ko loads and unloads, and the kernel log stays clean.
# shellcheck source-path=SCRIPTDIR source=../guest/guest.sh
. /lib/rmcp/guest.sh

# shellcheck disable=SC2119 # no module parameters
if load_amdgpu; then
	if grep -q '^amdgpu ' /proc/modules; then
		tap_ok amdgpu_loads
	else
		tap_fail amdgpu_loads "modprobe succeeded but amdgpu is not in /proc/modules"
	fi
else
	tap_fail amdgpu_loads "modprobe amdgpu failed"
fi

if kallsyms_has gmc_v10_0_get_vm_pte; then
	tap_ok kallsyms_get_vm_pte
else
	tap_fail kallsyms_get_vm_pte "gmc_v10_0_get_vm_pte not in /proc/kallsyms"
fi

rmcp_load_unload() {
	if ! modprobe rmcp; then
		tap_fail rmcp_load_unload "modprobe rmcp failed"
		return
	fi
	if [ ! -d /sys/module/rmcp ]; then
		tap_fail rmcp_load_unload "/sys/module/rmcp missing after modprobe"
		return
	fi
	if ! modprobe -r rmcp; then
		tap_fail rmcp_load_unload "modprobe -r rmcp failed"
		return
	fi
	if [ -e /sys/module/rmcp ]; then
		tap_fail rmcp_load_unload "/sys/module/rmcp still present after modprobe -r"
		return
	fi
	tap_ok rmcp_load_unload
}
if [ -f "$RMCP_MODDIR/extra/rmcp.ko" ]; then
	rmcp_load_unload
else
	tap_skip rmcp_load_unload "no rmcp.ko in this initramfs (boot --rmcp)"
fi

if grep -q '^amdgpu ' /proc/modules; then
	tap_check amdgpu_unloads unload_amdgpu
else
	tap_skip amdgpu_unloads "amdgpu not loaded"
fi

dmesg_check dmesg_clean
