/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe: the model. collect.c fills it from a backend, diagnose.c adds
 * findings, render_text.c and render_json.c print it. Nothing is printed
 * while collecting, so text and JSON cannot disagree.
 */
#ifndef RMCP_PROBE_MODEL_H
#define RMCP_PROBE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "faults.h"
#include "parse.h"

#define STR_SHORT	64
#define BE_FW_NAME	32
#define STR_LONG	256

/* Tri-state values read from files: unknown when missing or unparsable. */
struct opt_int {
	bool known;
	int64_t v;
};
struct opt_u64 {
	bool known;
	uint64_t v;
};
struct opt_bool {
	bool known;
	bool v;
};

enum gc_source {
	GC_NONE,	/* not known */
	GC_HW_IP,	/* AMDGPU_INFO_HW_IP_INFO ip_discovery_version */
	GC_SYSFS,	/* ip_discovery/die/0/11/0 in sysfs */
	GC_TABLE,	/* rmcp's PCI-ID table */
};

struct rmcp_dev_state {
	bool present;		/* /sys/module/rmcp/devices/<bdf> exists */
	char matched[STR_SHORT];	/* table, extra_ids, exclude_ids, apu-disabled, no */
	char policy[STR_SHORT];		/* applied, too-late, skipped, pending */
	char family[STR_SHORT];
	char gfx[STR_SHORT];
	char pci_id[STR_SHORT];
	struct opt_int noretry, vm_fragment_size;
	struct opt_u64 calls, cc_seen, cc_rewritten, rejected;
};

enum check_result {
	CHECK_NOT_RUN,
	CHECK_PASS,
	CHECK_FAIL,
	CHECK_CANNOT_PROVE,
	CHECK_ERROR,
};

struct gpu_check {
	enum check_result result;
	uint64_t cc_seen_delta, cc_rewritten_delta;
	char detail[STR_LONG];
};

/* One file of amdgpu's fw_version/ directory: mec_fw_version -> "mec". */
struct fw_version {
	char name[BE_FW_NAME];
	uint32_t v;
};

/* Who drives the PCI function on this host. */
enum binding {
	BIND_NONE,			/* no driver bound */
	BIND_AMDGPU,
	BIND_PASSTHROUGH,		/* vfio-pci, pci-stub: handed to a VM */
	BIND_OTHER,
};

struct gpu {
	char bdf[16];			/* 0000:03:00.0 */
	enum binding binding;
	uint16_t drm_device_id;		/* what libdrm said, 0 when it did not */
	bool suspended;			/* runtime-suspended: libdrm not asked */
	bool igpu_trap;			/* an APU next to an in-scope dGPU: hide it from ROCm */
	char probe_failure[STR_LONG];	/* kernel log: why amdgpu did not bind */
	int kfd_node;			/* KFD topology node, -1 when none */
	char kfd_gfx_target[16];	/* from the node's gfx_target_version */
	/* HSA override as the runtime reads it for this GPU's node */
	char hsa_var[48];		/* HSA_OVERRIDE_GFX_VERSION[_<n>], "" unset */
	char hsa_value[STR_SHORT];	/* printable (invalid bytes as \\xNN) */
	int hsa_verdict;		/* enum hsa_verdict */
	char hsa_target[16];
	uint16_t vendor_id, device_id, subvendor_id, subdevice_id;
	uint8_t revision;
	bool has_subsys;
	char render_node[STR_SHORT];	/* "" when none */
	bool render_access_known;	/* the backend answered for render_node */
	int render_access;		/* 0 read-write for this process, else -errno */
	char driver[STR_SHORT];		/* kernel driver bound, "" when none */
	char drm_error[STR_LONG];	/* why libdrm could not answer, "" when it did */
	char pci_name[STR_LONG];	/* from pci.ids via libpci */
	char marketing_name[STR_LONG];	/* from libdrm amdgpu.ids */
	struct opt_int family_id;
	struct opt_bool apu_flag;	/* AMDGPU_IDS_FLAGS_FUSION */

	struct version3 gc;
	enum gc_source gc_source;

	/* classification */
	bool in_table;
	bool gfx10;			/* GC 10.1.x / 10.3.x */
	unsigned int rdna;		/* 1, 2 or 0 */
	char gfx_target[16];		/* gfx1030, "" when unknown */
	char chip[STR_SHORT];
	bool apu;			/* by table or IDS flag */
	bool kind_known;

	struct rmcp_dev_state rmcp;
	bool covered;			/* rmcp matched it and is armed */
	bool in_scope;			/* gfx10, or matched via extra_ids */
	char extra_ids_line[STR_LONG + 64];	/* options line when missing from the table */
	struct opt_int noretry_effective;
	char noretry_basis[STR_SHORT];	/* where noretry_effective comes from */

	struct gpu_check check;

	/* firmware amdgpu loaded (sysfs fw_version/), malloc'ed; NULL: none read */
	struct fw_version *fw;
	size_t nfw;
};

enum severity {
	SEV_INFO,
	SEV_WARNING,
	SEV_PROBLEM,
};

struct finding {
	char id[STR_SHORT];
	enum severity sev;
	char gpu[16];			/* BDF or "" */
	char message[512];
	char fix[512];
};

struct kfd_node {
	unsigned int id;
	char bdf[16];			/* "" for a CPU node */
	uint32_t gfx_target_version;	/* 0 for a CPU node */
};

enum env_source {
	ENV_PROCESS,			/* rmcp-probe's own environment */
	ENV_SUDO_USER,			/* under sudo: the invoking user's */
	ENV_SUDO_ROOT,			/* under sudo, the user's could not be read */
};

struct hsa_node_var {
	unsigned int node;
	char value[STR_SHORT];
	bool mapped;			/* a GPU has this KFD node */
};

struct model {
	/* system */
	char kernel_release[STR_LONG];
	bool kernel_known;
	unsigned int kernel_major, kernel_minor;
	int kernel_range;		/* -1 older, 0 tested, 1 untested in range, 2 newer */
	struct opt_bool efi;
	struct opt_bool secure_boot;
	struct opt_int lockdown;	/* enum lockdown */
	struct opt_bool sig_enforce;
	bool hsa_set;
	char hsa_override[STR_SHORT];	/* printable; raw in hsa_raw */
	char hsa_raw[STR_SHORT];
	bool hsa_raw_truncated;
	char rocr_visible[STR_SHORT];	/* ROCR_VISIBLE_DEVICES, printable, "" unset */
	char hip_visible[STR_SHORT];	/* HIP_VISIBLE_DEVICES */
	bool rocr_visible_set, hip_visible_set;
	enum env_source env_source;
	char sudo_user[STR_SHORT];
	char env_why[STR_LONG];
	size_t nhsa_nodes;
	struct hsa_node_var *hsa_nodes;
	char initramfs_cmd[STR_SHORT];	/* update-initramfs -u, dracut -f */

	/* KFD topology */
	bool kfd_present;
	size_t nkfd;
	struct kfd_node *kfd;
	bool kfd_access_known;		/* the backend answered for /dev/kfd */
	int kfd_access;			/* 0 read-write for this process, else -errno */

	/* kernel log, read when something needs it */
	bool log_tried, log_ok;
	char *log;
	size_t log_len;
	char log_why[STR_LONG * 2];
	bool faults_requested;
	char faults_source[STR_LONG];	/* file, "-", or "/dev/kmsg" */
	struct fault_report *faults;

	/* amdgpu */
	bool amdgpu_loaded;
	struct opt_int amdgpu_noretry, amdgpu_vm_fragment_size;
	struct opt_bool amdgpu_out_of_tree;	/* taint O: amdgpu-dkms or another build */
	char amdgpu_version[STR_SHORT];		/* /sys/module/amdgpu/version, "" none */
	char amdgpu_srcversion[STR_SHORT];
	char amdgpu_module[STR_LONG];		/* out-of-tree: the file modules.dep names */
	char noretry_origin[STR_LONG];		/* where amdgpu.noretry was set, "" nowhere */

	/* rmcp */
	bool rmcp_loaded;
	char rmcp_version[STR_SHORT];
	char rmcp_state[STR_SHORT];
	char rmcp_reason[STR_LONG];
	char rmcp_kernel_abi[STR_LONG];
	char rmcp_selftest[STR_SHORT];
	struct opt_u64 rmcp_nmissed;
	struct opt_bool p_enable, p_apu;
	struct opt_int p_noretry, p_vm_fragment_size;
	char p_extra_ids[STR_LONG], p_exclude_ids[STR_LONG];
	struct pci_id_list extra_ids, exclude_ids;
	int module_signed;		/* -1 unknown, 0 no, 1 yes */
	char module_sig_basis[600];
	char module_signer[128];

	size_t ngpus, gpus_cap;
	struct gpu *gpus;
	bool check_requested;
	bool oom;			/* an allocation failed: exit 2 */

	size_t nfindings, findings_cap;
	struct finding *findings;
	unsigned int problems, warnings;
	unsigned int in_scope, covered;
	int exit_code;
};

struct model *model_new(void);
void model_free(struct model *m);
/* The GPU at bdf, added when new (NULL only when out of memory). */
struct gpu *model_gpu(struct model *m, const char *bdf);

const char *gc_source_name(enum gc_source s);
const char *binding_name(enum binding b);
const char *severity_name(enum severity s);
const char *check_result_name(enum check_result r);
const char *lockdown_name(int l);

#endif
