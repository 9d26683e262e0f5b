/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The files of /sys/module/rmcp/status/ and /sys/module/rmcp/devices/<bdf>/,
 * each once, by name (see rmcp/sysfs.h for what they hold).
 *
 * No include guard on purpose: define RMCP_STATUS_FILE(name) and
 * RMCP_DEVICE_FILE(name) (either may expand to nothing) and include this
 * file where the list is needed, as with rmcp/id-table.h.
 */
RMCP_STATUS_FILE(state)
RMCP_STATUS_FILE(reason)
RMCP_STATUS_FILE(kernel_abi)
RMCP_STATUS_FILE(selftest)
RMCP_STATUS_FILE(nmissed)
RMCP_STATUS_FILE(version)
RMCP_STATUS_FILE(rejected)
RMCP_DEVICE_FILE(pci_id)
RMCP_DEVICE_FILE(family)
RMCP_DEVICE_FILE(gfx)
RMCP_DEVICE_FILE(matched)
RMCP_DEVICE_FILE(policy)
RMCP_DEVICE_FILE(noretry)
RMCP_DEVICE_FILE(vm_fragment_size)
RMCP_DEVICE_FILE(calls)
RMCP_DEVICE_FILE(cc_seen)
RMCP_DEVICE_FILE(cc_rewritten)
RMCP_DEVICE_FILE(rejected)
