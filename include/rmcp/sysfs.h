/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysfs contract between rmcp.ko and rmcp-probe. One value per file.
 *
 *   /sys/module/rmcp/parameters/{enable,noretry,vm_fragment_size,
 *                                extra_ids,exclude_ids,apu}
 *   /sys/module/rmcp/status/{state,reason,kernel_abi,selftest,nmissed,version,
 *                            rejected}
 *   /sys/module/rmcp/devices/<pci-bdf>/{pci_id,family,gfx,matched,policy,
 *       noretry,vm_fragment_size,calls,cc_seen,cc_rewritten,rejected}
 *
 * Every file of status/ and devices/<bdf>/ is declared once, by name, in
 * rmcp/sysfs-files.h; rmcp.ko makes its attributes from that list. The
 * RMCP_S_* / RMCP_D_* strings below are the same names for readers.
 *
 * Changing this file changes both sides in one commit.
 */
#ifndef RMCP_SYSFS_H
#define RMCP_SYSFS_H

#define RMCP_SYSFS_MODULE	"/sys/module/rmcp"
#define RMCP_SYSFS_PARAMS	"parameters"
#define RMCP_SYSFS_STATUS	"status"
#define RMCP_SYSFS_DEVICES	"devices"

/* parameters/ */
#define RMCP_P_ENABLE		"enable"
#define RMCP_P_NORETRY		"noretry"
#define RMCP_P_VM_FRAGMENT_SIZE	"vm_fragment_size"
#define RMCP_P_EXTRA_IDS	"extra_ids"
#define RMCP_P_EXCLUDE_IDS	"exclude_ids"
#define RMCP_P_APU		"apu"

/* status/ */
#define RMCP_S_STATE		"state"
#define RMCP_S_REASON		"reason"
#define RMCP_S_KERNEL_ABI	"kernel_abi"
#define RMCP_S_SELFTEST		"selftest"
#define RMCP_S_NMISSED		"nmissed"
#define RMCP_S_VERSION		"version"
/* calls the device check turned away, for any device or none (a count) */
#define RMCP_S_REJECTED		"rejected"

/* status/state values */
#define RMCP_STATE_IDLE		"idle"
#define RMCP_STATE_ARMED	"armed"
#define RMCP_STATE_DEGRADED	"degraded"
#define RMCP_STATE_REFUSED	"refused"
#define RMCP_STATE_DISABLED	"disabled"

/* status/selftest values */
#define RMCP_SELFTEST_NOT_RUN	"not-run"
#define RMCP_SELFTEST_PASS	"pass"
#define RMCP_SELFTEST_FAIL	"fail"

/* devices/<bdf>/ */
#define RMCP_D_PCI_ID		"pci_id"
#define RMCP_D_FAMILY		"family"
#define RMCP_D_GFX		"gfx"
#define RMCP_D_MATCHED		"matched"
#define RMCP_D_POLICY		"policy"
#define RMCP_D_NORETRY		"noretry"
#define RMCP_D_VM_FRAGMENT_SIZE	"vm_fragment_size"
#define RMCP_D_CALLS		"calls"
#define RMCP_D_CC_SEEN		"cc_seen"
#define RMCP_D_CC_REWRITTEN	"cc_rewritten"
#define RMCP_D_REJECTED		"rejected"

/* devices/<bdf>/matched values: why a device is (not) matched */
#define RMCP_MATCH_TABLE	"table"
#define RMCP_MATCH_EXTRA	"extra_ids"
#define RMCP_MATCH_EXCLUDED	"exclude_ids"
#define RMCP_MATCH_APU_OFF	"apu-disabled"
#define RMCP_MATCH_NONE		"no"

/*
 * devices/<bdf>/{noretry,vm_fragment_size} until amdgpu has read its values
 * for the device (then the number it read)
 */
#define RMCP_VALUE_UNKNOWN	"unknown"

/* devices/<bdf>/policy values */
#define RMCP_POLICY_APPLIED	"applied"
#define RMCP_POLICY_TOO_LATE	"too-late"
#define RMCP_POLICY_SKIPPED	"skipped"
#define RMCP_POLICY_PENDING	"pending"

#endif /* RMCP_SYSFS_H */
