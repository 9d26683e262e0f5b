/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe --faults: amdgpu's GPU VM fault blocks and the events around
 * them, parsed from a kernel log in any of the forms users save it (dmesg,
 * dmesg -T, journalctl -k, syslog, /dev/kmsg records), as every kernel from
 * 5.10 to 7.x prints them. Pure: text in, report out; fuzzed.
 */
#ifndef RMCP_PROBE_FAULTS_H
#define RMCP_PROBE_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* GCVM_L2_PROTECTION_FAULT_STATUS fields (gc_10_1_0_sh_mask.h). */
struct fault_status {
	uint32_t raw;
	unsigned int more_faults, walker_error, permission_faults, mapping_error;
	unsigned int cid, rw, vmid;
};
void fault_status_decode(uint32_t raw, struct fault_status *out);
/*
 * gfxhub_v2_x gfxhub_client_ids[cid], NULL past the table. Only for a
 * GCVM_L2_PROTECTION_FAULT_STATUS: gfx9's VM_L2_ one numbers its clients
 * differently (gmc_v9_0.c gfxhub_client_ids[]).
 */
const char *gfxhub_client_name(unsigned int cid);

/* One fault, or a group of identical ones (same device, process, client, type). */
struct fault {
	char device[16];		/* PCI BDF, "" when the log has none */
	char hub[16];			/* gfxhub, mmhub, gfxhub0 ... */
	int retry;			/* 1 retry, 0 no-retry, -1 not printed */
	int src_id, ring, vmid;
	long long pasid;		/* -1 unknown */
	char process[64], thread[64];
	long long pid, tid;		/* -1 unknown */
	uint64_t address;		/* the group's first faulting page */
	uint64_t *pages;		/* every distinct page of the group */
	size_t npages, pages_cap;
	int ih_client;			/* IH client id, -1 unknown */
	char ih_client_name[24];
	bool has_status;
	bool gcvm;			/* the status was GCVM_L2_... (gfx10 and later) */
	struct fault_status status;
	char client[24];		/* UTCL2 client (from CID), "" unknown */
	bool gpu_lost;			/* status 0xFFFFFFFF: the GPU no longer answers */
	unsigned int count;
	char first_seen[40], last_seen[40];	/* log timestamps, "" when absent */
	unsigned int first_line, last_line;
	char explanation[512];
};

enum log_event_kind {
	EV_GPU_RESET,
	EV_RING_TIMEOUT,
	EV_FIRMWARE,
	EV_PROBE_FAILED,
	EV_GPU_HANG,
};

struct log_event {
	enum log_event_kind kind;
	char device[16];
	char text[200];
	char first_seen[40];
	unsigned int line, count;
};

/* ROCr: "Memory access fault by GPU node-N (Agent handle: ...) on address A. Reason: R." */
struct rocr_fault {
	int node;
	uint64_t address;
	char reason[96];
	unsigned int line, count;
	long long fault;		/* index into faults, -1 none at that page */
	char device[16];		/* from the KFD topology, filled by the caller */
};

struct fault_report {
	size_t nfaults, nevents, nrocr, lines;
	struct fault *faults;
	struct log_event *events;
	struct rocr_fault *rocr;
	unsigned int blocks;		/* fault blocks before grouping */
};

/* Returns 0 or -ENOMEM; *out is always set (free with faults_free). */
int faults_parse(const char *text, size_t len, struct fault_report **out);
void faults_free(struct fault_report *r);
/* Sets rocr[].fault; again after rocr[].device is known from the KFD topology. */
void faults_match_rocr(struct fault_report *r);
const char *log_event_name(enum log_event_kind k);

#endif
