// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the kernel log parser (--faults): every format family
 * amdgpu printed from 5.10 to 7.x, every log prefix, grouping, decoding,
 * interleaving, ROCr's line, and the events around faults (cmocka).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../faults.h"

static struct fault_report *parse(const char *text)
{
	struct fault_report *r = NULL;

	assert_int_equal(faults_parse(text, strlen(text), &r), 0);
	assert_non_null(r);
	return r;
}

#define D "amdgpu 0000:03:00.0: "

static void status_fields(void **state)
{
	struct fault_status s;

	(void)state;
	fault_status_decode(0x00801031, &s);
	assert_int_equal(s.more_faults, 1);
	assert_int_equal(s.walker_error, 0);
	assert_int_equal(s.permission_faults, 3);
	assert_int_equal(s.mapping_error, 0);
	assert_int_equal(s.cid, 8);
	assert_string_equal(gfxhub_client_name(s.cid), "TCP");
	assert_int_equal(s.rw, 0);
	assert_int_equal(s.vmid, 8);
	fault_status_decode(0x00541a50, &s);
	assert_int_equal(s.cid, 13);
	assert_string_equal(gfxhub_client_name(s.cid), "SDMA0");
	assert_int_equal(s.rw, 1);
	assert_int_equal(s.permission_faults, 5);
	assert_null(gfxhub_client_name(0x1ff));
}

/* 5.10: process in the header, "from client 27", numeric CID, tabs */
static void format_5_10(void **state)
{
	struct fault_report *r;
	const struct fault *f;

	(void)state;
	r = parse("[ 1501.250000] " D "[gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:32771, "
		  "for process python3 pid 4242 thread python3 pid 4250)\n"
		  "[ 1501.250004] " D "  in page starting at address 0x00007f3a1c200000 from client 27\n"
		  "[ 1501.250008] " D "GCVM_L2_PROTECTION_FAULT_STATUS:0x00801031\n"
		  "[ 1501.250012] " D "\t Faulty UTCL2 client ID: 0x8\n"
		  "[ 1501.250016] " D "\t MORE_FAULTS: 0x1\n"
		  "[ 1501.250020] " D "\t RW: 0x0\n");
	assert_int_equal(r->nfaults, 1);
	f = &r->faults[0];
	assert_string_equal(f->device, "0000:03:00.0");
	assert_string_equal(f->hub, "gfxhub");
	assert_int_equal(f->retry, -1);
	assert_int_equal(f->vmid, 8);
	assert_int_equal(f->pasid, 32771);
	assert_string_equal(f->process, "python3");
	assert_int_equal(f->pid, 4242);
	assert_int_equal(f->tid, 4250);
	assert_true(f->address == 0x00007f3a1c200000ull);
	assert_int_equal(f->ih_client, 27);
	assert_true(f->has_status);
	assert_string_equal(f->client, "TCP");
	assert_string_equal(f->first_seen, "1501.250000");
	assert_false(f->gpu_lost);
	assert_non_null(strstr(f->explanation, "never mapped"));
	assert_non_null(strstr(f->explanation, "not a cache-coherency setting"));
	faults_free(r);
}

/* 6.1: "from client 0x1b (UTCL2)", named client, journalctl prefix, spaces */
static void format_6_1_journal(void **state)
{
	struct fault_report *r;
	const struct fault *f;

	(void)state;
	r = parse("Dec 02 17:55:01 rig kernel: " D "[gfxhub] page fault (src_id:0 ring:24 vmid:9 "
		  "pasid:32772, for process Web Content pid 5120 thread Renderer pid 5121)\n"
		  "Dec 02 17:55:01 rig kernel: " D "  in page starting at address "
		  "0x0000000000000000 from client 0x1b (UTCL2)\n"
		  "Dec 02 17:55:01 rig kernel: " D "GCVM_L2_PROTECTION_FAULT_STATUS:0x00901431\n"
		  "Dec 02 17:55:01 rig kernel: " D "     Faulty UTCL2 client ID: SQC (data) (0xa)\n");
	assert_int_equal(r->nfaults, 1);
	f = &r->faults[0];
	assert_string_equal(f->process, "Web Content");
	assert_string_equal(f->thread, "Renderer");
	assert_int_equal(f->tid, 5121);
	assert_int_equal(f->ih_client, 0x1b);
	assert_string_equal(f->ih_client_name, "UTCL2");
	assert_string_equal(f->client, "SQC (data)");
	assert_string_equal(f->first_seen, "Dec 02 17:55:01");
	assert_non_null(strstr(f->explanation, "NULL pointer"));
	faults_free(r);
}

/* 6.10+: the process on its own line; dmesg -T */
static void format_process_line(void **state)
{
	struct fault_report *r;

	(void)state;
	r = parse("[Tue Dec  2 18:01:05 2026] " D "[gfxhub] page fault (src_id:0 ring:8 vmid:5 pasid:32773)\n"
		  "[Tue Dec  2 18:01:05 2026] " D " in process llama-server pid 6100 thread llama-server pid 6111\n"
		  "[Tue Dec  2 18:01:05 2026] " D "  in page starting at address 0x0000740012345000 from client 0x1b (UTCL2)\n"
		  "[Tue Dec  2 18:01:05 2026] " D "GCVM_L2_PROTECTION_FAULT_STATUS:0x00541A50\n");
	assert_int_equal(r->nfaults, 1);
	assert_string_equal(r->faults[0].process, "llama-server");
	assert_int_equal(r->faults[0].pid, 6100);
	assert_string_equal(r->faults[0].client, "SDMA0");
	assert_string_equal(r->faults[0].first_seen, "Tue Dec  2 18:01:05 2026");
	assert_non_null(strstr(r->faults[0].explanation, "DMA copy"));
	faults_free(r);
}

/* 7.x: "[gfxhub0] no-retry page fault", " Process", "from IH client", /dev/kmsg records */
static void format_7_kmsg(void **state)
{
	struct fault_report *r;
	const struct fault *f;

	(void)state;
	r = parse("3,900,92000111000,-;" D "[gfxhub0] no-retry page fault (src_id:0 ring:24 vmid:3 pasid:32775)\n"
		  " SUBSYSTEM=pci\n"
		  "3,901,92000111005,-;" D " Process pt_main_thread pid 7001 thread pt_main_thread pid 7013\n"
		  "3,902,92000111010,-;" D "  in page starting at address 0x00007ffe00000000 from IH client 0x1b (UTCL2)\n"
		  "3,903,92000111015,-;" D "GCVM_L2_PROTECTION_FAULT_STATUS:0x00301341\n"
		  "<3>" D "retry page fault is not printed by gfx10\n");
	assert_int_equal(r->nfaults, 1);
	f = &r->faults[0];
	assert_string_equal(f->hub, "gfxhub0");
	assert_int_equal(f->retry, 0);
	assert_string_equal(f->process, "pt_main_thread");
	assert_int_equal(f->ih_client, 0x1b);
	assert_string_equal(f->client, "SQC (inst)");
	assert_string_equal(f->first_seen, "92000.111000");
	assert_non_null(strstr(f->explanation, "instructions"));
	faults_free(r);
}

/*
 * 7.2's gfx10 shape (gmc_v10_0_process_interrupt, amdgpu_vm_print_task_info):
 * no retry kind, " Process" on the next line, "from client 0x1b (UTCL2)".
 */
static void format_7_2_gfx10(void **state)
{
	struct fault_report *r;
	const struct fault *f;

	(void)state;
	r = parse("[ 3100.000100] " D "[gfxhub] page fault (src_id:0 ring:24 vmid:4 pasid:32790)\n"
		  "[ 3100.000104] " D " Process infer pid 9100 thread infer pid 9123\n"
		  "[ 3100.000108] " D "  in page starting at address 0x00007c1200400000 from client 0x1b (UTCL2)\n"
		  "[ 3100.000112] " D "GCVM_L2_PROTECTION_FAULT_STATUS:0x00401031\n"
		  "[ 3100.000116] " D "\t Faulty UTCL2 client ID: TCP (0x8)\n"
		  "[ 3100.000120] " D "\t RW: 0x0\n");
	assert_int_equal(r->nfaults, 1);
	f = &r->faults[0];
	assert_string_equal(f->hub, "gfxhub");
	assert_int_equal(f->retry, -1);
	assert_string_equal(f->process, "infer");
	assert_int_equal(f->pid, 9100);
	assert_int_equal(f->tid, 9123);
	assert_int_equal(f->ih_client, 0x1b);
	assert_string_equal(f->client, "TCP");
	assert_int_equal(f->status.vmid, 4);
	faults_free(r);
}

/*
 * gmc_v9_0.c's shape (gfx9: Vega, MI): "[gfxhub0] retry page fault", "from
 * IH client", VM_L2_PROTECTION_FAULT_STATUS. Its UTCL2 client IDs are not
 * gfx10's (gmc_v9_0.c gfxhub_client_ids[2] is "IA", gfxhub_v2_x's "GE1"): a
 * bare number there must not be named from the gfx10 table.
 */
static void format_gfx9_not_gfx10_names(void **state)
{
	struct fault_report *r;
	const struct fault *f;

	(void)state;
	r = parse(D "[gfxhub0] retry page fault (src_id:0 ring:0 vmid:3 pasid:32769, for process bench pid 300 thread bench pid 301)\n"
		  D "  in page starting at address 0x00007f5500001000 from IH client 0x1b (UTCL2)\n"
		  D "VM_L2_PROTECTION_FAULT_STATUS:0x00341431\n"
		  D "\t Faulty UTCL2 client ID: 0xa\n"
		  D "[gfxhub0] no-retry page fault (src_id:0 ring:0 vmid:3 pasid:32769, for process bench pid 300 thread bench pid 301)\n"
		  D "  in page starting at address 0x00007f5500002000 from IH client 0x1b (UTCL2)\n"
		  D "VM_L2_PROTECTION_FAULT_STATUS:0x00340431\n");
	assert_int_equal(r->nfaults, 2);
	f = &r->faults[0];
	assert_string_equal(f->hub, "gfxhub0");
	assert_int_equal(f->retry, 1);
	assert_true(f->has_status);
	assert_int_equal(f->status.cid, 0xa);
	assert_string_equal(f->client, "");
	assert_null(strstr(f->explanation, "SQC"));
	f = &r->faults[1];
	assert_int_equal(f->retry, 0);
	assert_int_equal(f->status.cid, 2);
	assert_string_equal(f->client, "");
	faults_free(r);
}

/* journalctl -o short-monotonic: "[ 1501.250000] host kernel: ", the stamp without brackets */
static void journal_monotonic_stamp(void **state)
{
	struct fault_report *r;

	(void)state;
	r = parse("[ 1501.250000] rig kernel: " D "[gfxhub] page fault (src_id:0 ring:24 vmid:4 pasid:7)\n"
		  "[ 1501.250004] rig kernel: " D "  in page starting at address 0x0000000000aa0000 from client 0x1b (UTCL2)\n"
		  "[ 1502.000000] rig kernel: " D "[gfxhub] page fault (src_id:0 ring:24 vmid:4 pasid:7)\n"
		  "[ 1502.000004] rig kernel: " D "  in page starting at address 0x0000000000aa0000 from client 0x1b (UTCL2)\n");
	assert_int_equal(r->nfaults, 1);
	assert_int_equal(r->faults[0].count, 2);
	assert_string_equal(r->faults[0].first_seen, "1501.250000");
	assert_string_equal(r->faults[0].last_seen, "1502.000000");
	faults_free(r);
}

/*
 * dmesg -x ("kern  :err   : " before the stamp) and dmesg --time-format=iso
 * (no brackets): the device is still found, the stamp kept.
 */
static void dmesg_decode_and_iso(void **state)
{
	struct fault_report *r;

	(void)state;
	r = parse("kern  :err   : [ 1501.250000] " D "[gfxhub] page fault (src_id:0 ring:24 vmid:4 pasid:7)\n"
		  "kern  :err   : [ 1501.250004] " D " Process hip_app pid 42 thread hip_app pid 43\n"
		  "kern  :err   : [ 1501.250008] " D "  in page starting at address 0x0000000000aa0000 from client 0x1b (UTCL2)\n"
		  "kern  :err   : [ 1501.250012] " D "GCVM_L2_PROTECTION_FAULT_STATUS:0x00401031\n"
		  "2026-12-02T17:55:01,123456+00:00 amdgpu 0000:0b:00.0: [gfxhub] page fault (src_id:0 ring:24 vmid:5 pasid:8)\n"
		  "2026-12-02T17:55:01,123460+00:00 amdgpu 0000:0b:00.0:  Process hip_app pid 44 thread hip_app pid 44\n"
		  "2026-12-02T17:55:01,123464+00:00 amdgpu 0000:0b:00.0:   in page starting at address 0x0000000000bb0000 from client 0x1b (UTCL2)\n"
		  "2026-12-02T17:55:01,123468+00:00 amdgpu 0000:0b:00.0: GCVM_L2_PROTECTION_FAULT_STATUS:0x00501431\n");
	assert_int_equal(r->nfaults, 2);
	assert_string_equal(r->faults[0].device, "0000:03:00.0");
	assert_string_equal(r->faults[0].process, "hip_app");
	assert_string_equal(r->faults[0].client, "TCP");
	assert_true(r->faults[0].address == 0xaa0000);
	assert_string_equal(r->faults[0].first_seen, "1501.250000");
	assert_string_equal(r->faults[1].device, "0000:0b:00.0");
	assert_int_equal(r->faults[1].pid, 44);
	assert_string_equal(r->faults[1].client, "SQC (data)");
	assert_string_equal(r->faults[1].first_seen, "2026-12-02T17:55:01,123456+00:00");
	faults_free(r);
}

/* two GPUs' blocks interleaved line by line; one reads 0xFFFFFFFF */
static void interleaved_and_lost(void **state)
{
	struct fault_report *r;

	(void)state;
	r = parse("amdgpu 0000:03:00.0: [gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:1, for process a pid 1 thread a pid 1)\n"
		  "amdgpu 0000:0b:00.0: [gfxhub] page fault (src_id:0 ring:24 vmid:2 pasid:2, for process b pid 2 thread b pid 2)\n"
		  "amdgpu 0000:03:00.0:   in page starting at address 0x0000000000aa0000 from client 0x1b (UTCL2)\n"
		  "amdgpu 0000:0b:00.0:   in page starting at address 0x0000000000bb0000 from client 0x1b (UTCL2)\n"
		  "amdgpu 0000:03:00.0: GCVM_L2_PROTECTION_FAULT_STATUS:0x00801031\n"
		  "amdgpu 0000:0b:00.0: GCVM_L2_PROTECTION_FAULT_STATUS:0xFFFFFFFF\n");
	assert_int_equal(r->nfaults, 2);
	assert_string_equal(r->faults[0].device, "0000:03:00.0");
	assert_true(r->faults[0].address == 0xaa0000);
	assert_false(r->faults[0].gpu_lost);
	assert_string_equal(r->faults[1].device, "0000:0b:00.0");
	assert_true(r->faults[1].address == 0xbb0000);
	assert_true(r->faults[1].gpu_lost);
	assert_non_null(strstr(r->faults[1].explanation, "no longer answered"));
	faults_free(r);
}

/* the same fault again and again is one line with a count; another client is another */
static void grouping(void **state)
{
	char log[8192] = "";
	struct fault_report *r;
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		char b[512];

		snprintf(b, sizeof(b),
			 "[ 10.00000%d] " D "[gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:9, for process p pid 7 thread p pid 7)\n"
			 "[ 10.00000%d] " D "  in page starting at address 0x00000000001%d0000 from client 0x1b (UTCL2)\n"
			 "[ 10.00000%d] " D "GCVM_L2_PROTECTION_FAULT_STATUS:0x%08X\n", i, i, i, i,
			 i == 4 ? 0x00801431 : 0x00801031);
		strcat(log, b);
	}
	r = parse(log);
	assert_int_equal(r->blocks, 5);
	assert_int_equal(r->nfaults, 2);
	assert_int_equal(r->faults[0].count, 4);
	assert_string_equal(r->faults[0].first_seen, "10.000000");
	assert_string_equal(r->faults[0].last_seen, "10.000003");
	assert_string_equal(r->faults[1].client, "SQC (data)");
	faults_free(r);
}

static void rocr_and_events(void **state)
{
	struct fault_report *r;

	(void)state;
	r = parse(D "[gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:9, for process p pid 7 thread p pid 7)\n"
		  D "  in page starting at address 0x00007f3a1c200000 from client 27\n"
		  "Memory access fault by GPU node-1 (Agent handle: 0x55d0c0a1b2c0) on address 0x7f3a1c2003f0. "
		  "Reason: Page not present or supervisor privilege.\n"
		  "Memory access fault by GPU node-2 (Agent handle: 0x1) on address 0x1000. Reason: Unknown.\n"
		  D "Direct firmware load for amdgpu/navi10_sos.bin failed with error -2\n"
		  "amdgpu: probe of 0000:0b:00.0 failed with error -22\n"
		  D "[drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring gfx_0.0.0 timeout, signaled seq=1, emitted seq=3\n"
		  D "GPU reset begin!\n" D "GPU reset begin!\n");
	assert_int_equal(r->nrocr, 2);
	assert_int_equal(r->rocr[0].node, 1);
	assert_true(r->rocr[0].address == 0x7f3a1c2003f0ull);
	assert_int_equal(r->rocr[0].fault, 0);
	assert_string_equal(r->rocr[0].reason, "Page not present or supervisor privilege");
	assert_int_equal(r->rocr[1].fault, -1);
	assert_int_equal(r->nevents, 4);
	assert_int_equal(r->events[0].kind, EV_FIRMWARE);
	assert_string_equal(r->events[0].device, "0000:03:00.0");
	assert_int_equal(r->events[1].kind, EV_PROBE_FAILED);
	assert_string_equal(r->events[1].device, "0000:0b:00.0");
	assert_int_equal(r->events[2].kind, EV_RING_TIMEOUT);
	assert_int_equal(r->events[3].kind, EV_GPU_RESET);
	assert_int_equal(r->events[3].count, 2);
	faults_free(r);
}

/*
 * Grouped faults at several pages: ROCr's address may be any of them, not
 * only the group's first (the runtime reports the fault it saw, which is not
 * the first the kernel printed when the shader faulted again and again).
 */
static void rocr_later_page_of_group(void **state)
{
	char log[8192] = "";
	struct fault_report *r;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		char b[512];

		snprintf(b, sizeof(b),
			 "[ 20.00000%d] " D "[gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:9, for process p pid 7 thread p pid 7)\n"
			 "[ 20.00000%d] " D "  in page starting at address 0x00007f00000%d0000 from client 0x1b (UTCL2)\n"
			 "[ 20.00000%d] " D "GCVM_L2_PROTECTION_FAULT_STATUS:0x00801031\n", i, i, i + 1, i);
		strcat(log, b);
	}
	strcat(log, "Memory access fault by GPU node-1 (Agent handle: 0x1) on address 0x7f0000030a08. "
		    "Reason: Page not present or supervisor privilege.\n"
		    "Memory access fault by GPU node-1 (Agent handle: 0x1) on address 0x7f0000040000. "
		    "Reason: Page not present or supervisor privilege.\n");
	r = parse(log);
	assert_int_equal(r->nfaults, 1);
	assert_int_equal(r->faults[0].count, 3);
	assert_true(r->faults[0].address == 0x00007f0000010000ull);
	assert_int_equal(r->nrocr, 2);
	assert_int_equal(r->rocr[0].fault, 0);
	assert_int_equal(r->rocr[1].fault, -1);
	faults_free(r);
}

/* negative controls: nothing that is not a fault block becomes one */
static void not_faults(void **state)
{
	static const char *const logs[] = {
		"",
		"\n\n\n",
		"[gfxhub] page fault (src_id:",
		"[    1.000000] [drm] amdgpu kernel modesetting enabled.\n",
		"[gfxhub page fault (src_id:0 ring:0 vmid:0 pasid:0)\n",
		"  in page starting at address 0x1000 from client 27\n",
		"GCVM_L2_PROTECTION_FAULT_STATUS:0x00801031\n",
		"\xff\xfe[\x01] page fault (src_id:\x80\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		struct fault_report *r = parse(logs[i]);

		assert_int_equal(r->nfaults, i == 2 ? 1 : 0);
		faults_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_fields),
		cmocka_unit_test(format_5_10),
		cmocka_unit_test(format_6_1_journal),
		cmocka_unit_test(format_process_line),
		cmocka_unit_test(format_7_kmsg),
		cmocka_unit_test(format_7_2_gfx10),
		cmocka_unit_test(format_gfx9_not_gfx10_names),
		cmocka_unit_test(journal_monotonic_stamp),
		cmocka_unit_test(dmesg_decode_and_iso),
		cmocka_unit_test(interleaved_and_lost),
		cmocka_unit_test(grouping),
		cmocka_unit_test(rocr_and_events),
		cmocka_unit_test(rocr_later_page_of_group),
		cmocka_unit_test(not_faults),
	};

	return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
