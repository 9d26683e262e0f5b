// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for classification, the HSA override rules, and collect() +
 * diagnose() against small fake roots built on the fly (cmocka).
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <rmcp/ids.h>

#include "../ids.h"
#include "../probe.h"
#include "../text.h"

static char root[256];

static void put(const char *path, const char *content, size_t len)
{
	char p[512], *s;
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, path);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, len, f), len);
	fclose(f);
}

#define PUT(path, str) put((path), (str), strlen(str))

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "%s/rmcp-probe-test-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A GPU at 0000:01:00.0 with the given device id, optional GC from sysfs. */
static void gpu_at(uint16_t device, const char *gc)
{
	char buf[16];

	PUT("/proc/sys/kernel/osrelease", "6.12.57+deb13-amd64\n");
	PUT("/sys/bus/pci/devices/0000:01:00.0/vendor", "0x1002\n");
	snprintf(buf, sizeof(buf), "0x%04x\n", device);
	PUT("/sys/bus/pci/devices/0000:01:00.0/device", buf);
	PUT("/sys/bus/pci/devices/0000:01:00.0/class", "0x030000\n");
	if (gc) {
		unsigned int a, b, c;
		char v[8];

		assert_int_equal(sscanf(gc, "%u.%u.%u", &a, &b, &c), 3);
		snprintf(v, sizeof(v), "%u\n", a);
		PUT("/sys/bus/pci/devices/0000:01:00.0/ip_discovery/die/0/11/0/major", v);
		snprintf(v, sizeof(v), "%u\n", b);
		PUT("/sys/bus/pci/devices/0000:01:00.0/ip_discovery/die/0/11/0/minor", v);
		snprintf(v, sizeof(v), "%u\n", c);
		PUT("/sys/bus/pci/devices/0000:01:00.0/ip_discovery/die/0/11/0/revision", v);
	}
}

/* amdgpu drives the GPU of gpu_at() (sysfs driver symlink). */
static void bind_amdgpu(void)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/sys/bus/pci/drivers/amdgpu", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/0000:01:00.0/driver", root);
	assert_int_equal(symlink("../../../bus/pci/drivers/amdgpu", p), 0);
}

static struct model *probe(void)
{
	struct backend be;
	struct model *m = model_new();
	char err[256];

	assert_non_null(m);
	assert_int_equal(be_init(&be, root, err, sizeof(err)), 0);
	assert_int_equal(collect(&be, m, NULL, err, sizeof(err)), 0);
	diagnose(m);
	be_fini(&be);
	return m;
}

static const struct finding *find(const struct model *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nfindings; i++)
		if (!strcmp(m->findings[i].id, id))
			return &m->findings[i];
	return NULL;
}

static void gc_targets(void **state)
{
	static const struct {
		struct version3 gc;
		const char *gfx;
		unsigned int rdna;
	} cases[] = {
		{ { 10, 1, 10 }, "gfx1010", 1 }, { { 10, 1, 1 }, "gfx1012", 1 },
		{ { 10, 1, 2 }, "gfx1011", 1 }, { { 10, 1, 3 }, "gfx1013", 1 },
		{ { 10, 1, 4 }, "gfx1013", 1 }, { { 10, 3, 0 }, "gfx1030", 2 },
		{ { 10, 3, 1 }, "gfx1033", 2 }, { { 10, 3, 2 }, "gfx1031", 2 },
		{ { 10, 3, 3 }, "gfx1035", 2 }, { { 10, 3, 4 }, "gfx1032", 2 },
		{ { 10, 3, 5 }, "gfx1034", 2 }, { { 10, 3, 6 }, "gfx1036", 2 },
		{ { 10, 3, 7 }, "gfx1036", 2 }, { { 11, 0, 0 }, "gfx1100", 3 },
		{ { 11, 5, 1 }, "gfx1151", 3 }, { { 12, 0, 1 }, "gfx1201", 4 },
		/* KFD's names, not gfx<maj><min><rev> (kfd_device.c) */
		{ { 11, 0, 3 }, "gfx1101", 3 }, { { 11, 0, 1 }, "gfx1103", 3 },
		{ { 11, 0, 4 }, "gfx1103", 3 }, { { 11, 0, 2 }, "gfx1102", 3 },
		{ { 9, 4, 2 }, "", 0 }, { { 10, 2, 0 }, "", 0 }, { { 10, 1, 99 }, "", 1 },
	};
	char out[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gc_gfx_target(&cases[i].gc, out, sizeof(out));
		assert_string_equal(out, cases[i].gfx);
		assert_int_equal(gc_rdna(&cases[i].gc), cases[i].rdna);
		assert_int_equal(gc_is_gfx10(&cases[i].gc),
				 cases[i].gc.major == 10 && cases[i].gc.minor != 2);
	}
}

/* The table's gfx names agree with the GC -> target mapping, row by row. */
static void table_agrees_with_gc_mapping(void **state)
{
	char out[16];
	size_t i;

	(void)state;
	assert_int_equal(rmcp_id_count(), RMCP_ID_COUNT);
	for (i = 0; i < rmcp_id_count(); i++) {
		const struct rmcp_gpu_id *id = rmcp_id_at(i);
		struct version3 gc = { id->gc_major, id->gc_minor, id->gc_rev };

		gc_gfx_target(&gc, out, sizeof(out));
		assert_string_equal(out, id->gfx);
		assert_int_equal(gc_rdna(&gc), id->rdna);
		assert_true(gc_is_gfx10(&gc));
	}
}

static void hsa_rules(void **state)
{
	char t[16];

	(void)state;
	assert_int_equal(hsa_compare(NULL, "gfx1030", t, sizeof(t)), HSA_UNSET);
	assert_int_equal(hsa_compare("10.3.0", "gfx1030", t, sizeof(t)), HSA_SAME);
	assert_int_equal(hsa_compare("10.3.0", "gfx1010", t, sizeof(t)), HSA_MISMATCH);
	assert_string_equal(t, "gfx1030");
	/* RX 6700 XT / 6600 owners' setup: same ISA family, ROCm runs it */
	assert_int_equal(hsa_compare("10.3.0", "gfx1031", t, sizeof(t)), HSA_COMPATIBLE);
	assert_int_equal(hsa_compare("10.3.0", "gfx1032", t, sizeof(t)), HSA_COMPATIBLE);
	assert_int_equal(hsa_compare("11.0.0", "gfx1101", t, sizeof(t)), HSA_COMPATIBLE);
	assert_int_equal(hsa_compare("10.1.0", "gfx1012", t, sizeof(t)), HSA_COMPATIBLE);
	/* one family, but code that uses instructions the GPU lacks */
	assert_int_equal(hsa_compare("10.1.2", "gfx1010", t, sizeof(t)), HSA_MISMATCH);
	assert_int_equal(hsa_compare("10.1.3", "gfx1010", t, sizeof(t)), HSA_MISMATCH);
	assert_int_equal(hsa_compare("10.1.3", "gfx1012", t, sizeof(t)), HSA_MISMATCH);
	assert_int_equal(hsa_compare("10.1.1", "gfx1012", t, sizeof(t)), HSA_COMPATIBLE);
	assert_int_equal(hsa_compare("10.1.0", "gfx1013", t, sizeof(t)), HSA_COMPATIBLE);
	assert_int_equal(hsa_compare("10.3.0", "gfx1036", t, sizeof(t)), HSA_COMPATIBLE);
	/* RDNA1 running RDNA2 code: a real problem */
	assert_int_equal(hsa_compare("10.3.0", "gfx1012", t, sizeof(t)), HSA_MISMATCH);
	/* the runtime's parser: exactly three numbers and nothing after */
	assert_int_equal(hsa_compare("10.3.0 ", "gfx1030", t, sizeof(t)), HSA_INVALID);
	assert_int_equal(hsa_compare("10.3.0\n", "gfx1030", t, sizeof(t)), HSA_INVALID);
	assert_int_equal(hsa_compare("10.3.\xff", "gfx1030", t, sizeof(t)), HSA_INVALID);
	assert_int_equal(hsa_compare("64.0.0", "gfx1030", t, sizeof(t)), HSA_INVALID);
	assert_int_equal(hsa_compare("11.0.0", "gfx1030", t, sizeof(t)), HSA_MISMATCH);
	assert_string_equal(t, "gfx1100");
	assert_int_equal(hsa_compare("9.0.10", "gfx1030", t, sizeof(t)), HSA_MISMATCH);
	assert_string_equal(t, "gfx90a");
	assert_int_equal(hsa_compare("10.3.0", "", t, sizeof(t)), HSA_UNKNOWN_TARGET);
	assert_int_equal(hsa_compare("10.3", "gfx1030", t, sizeof(t)), HSA_INVALID);
	assert_int_equal(hsa_compare("", "gfx1030", t, sizeof(t)), HSA_INVALID);
	assert_int_equal(hsa_compare("gfx1030", "gfx1030", t, sizeof(t)), HSA_INVALID);
	/* accepted by the runtime, but no ISA of that name exists */
	assert_int_equal(hsa_compare("10.10.0", "gfx1030", t, sizeof(t)), HSA_MISMATCH);
	assert_int_equal(hsa_compare("10.3.16", "gfx1030", t, sizeof(t)), HSA_MISMATCH);
}

/* Every PCI ID of the table, seen through sysfs only, is classified as its row. */
static void every_table_id_classified(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < rmcp_id_count(); i++) {
		const struct rmcp_gpu_id *id = rmcp_id_at(i);
		struct model *m;

		gpu_at(id->device, NULL);
		m = probe();
		assert_int_equal(m->ngpus, 1);
		assert_true(m->gpus[0].in_table);
		assert_true(m->gpus[0].gfx10);
		assert_true(m->gpus[0].in_scope);
		assert_int_equal(m->gpus[0].gc_source, GC_TABLE);
		assert_string_equal(m->gpus[0].gfx_target, id->gfx);
		assert_string_equal(m->gpus[0].chip, id->chip);
		assert_int_equal(m->gpus[0].apu, id->kind == RMCP_KIND_APU);
		assert_int_equal(m->gpus[0].rdna, id->rdna);
		assert_non_null(find(m, "rmcp-not-loaded"));
		assert_int_equal(m->exit_code, 1);
		model_free(m);
	}
}

static void gc_from_sysfs_wins_and_missing_id_gets_extra_ids_line(void **state)
{
	struct model *m;

	(void)state;
	gpu_at(0x164e, "10.3.6"); /* Raphael iGPU: GC 10.3.6, not in the table */
	m = probe();
	assert_false(m->gpus[0].in_table);
	assert_true(m->gpus[0].gfx10);
	assert_int_equal(m->gpus[0].gc_source, GC_SYSFS);
	assert_string_equal(m->gpus[0].gfx_target, "gfx1036");
	assert_string_equal(m->gpus[0].extra_ids_line, "options rmcp extra_ids=1002:164e");
	assert_non_null(find(m, "not-in-table"));
	model_free(m);
}

static void gfx11_is_out_of_scope(void **state)
{
	struct model *m;

	(void)state;
	gpu_at(0x744c, "11.0.0");
	m = probe();
	assert_false(m->gpus[0].gfx10);
	assert_false(m->gpus[0].in_scope);
	assert_string_equal(m->gpus[0].gfx_target, "gfx1100");
	assert_int_equal(m->exit_code, 3);
	model_free(m);
}

static void unknown_amd_device_is_not_gfx10(void **state)
{
	struct model *m;

	(void)state;
	gpu_at(0x5046, NULL);
	m = probe();
	assert_int_equal(m->gpus[0].gc_source, GC_NONE);
	assert_false(m->gpus[0].in_scope);
	assert_int_equal(m->exit_code, 3);
	model_free(m);
}

static void armed_rmcp(void)
{
	PUT("/sys/module/rmcp/status/state", "armed\n");
	PUT("/sys/module/rmcp/status/reason", "\n");
	PUT("/sys/module/rmcp/status/kernel_abi", "6.12\n");
	PUT("/sys/module/rmcp/status/selftest", "pass\n");
	PUT("/sys/module/rmcp/status/nmissed", "0\n");
	PUT("/sys/module/rmcp/status/version", "0.1.0\n");
	PUT("/sys/module/rmcp/parameters/enable", "Y\n");
	PUT("/sys/module/rmcp/parameters/noretry", "1\n");
	PUT("/sys/module/rmcp/parameters/vm_fragment_size", "9\n");
	PUT("/sys/module/rmcp/parameters/extra_ids", "\n");
	PUT("/sys/module/rmcp/parameters/exclude_ids", "\n");
	PUT("/sys/module/rmcp/parameters/apu", "N\n");
}

/* A status file: missing, empty, truncated, non-numeric, huge, unexpected. */
static void bad_sysfs_values_are_named(void **state)
{
	static const struct {
		const char *content;
		size_t len;
		const char *says;
	} cases[] = {
		{ NULL, 0, "No such file or directory" },
		{ "", 0, "empty" },
		{ "1", 1, NULL },		/* truncated, no newline: still a number */
		{ "12x\n", 4, "not a number" },
		{ "-5\n", 3, "out of range" },
		{ "99999999999999999999999\n", 24, "out of range" },
		{ "\xff\xfe\n", 3, "not a number" },
	};
	char big[100];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]) + 1; i++) {
		const struct finding *f;
		const char *says;
		struct model *m;

		teardown(NULL);
		assert_int_equal(setup(NULL), 0);
		gpu_at(0x73bf, NULL);
		armed_rmcp();
		if (i == sizeof(cases) / sizeof(cases[0])) {
			memset(big, '1', sizeof(big)); /* larger than a counter can be */
			put("/sys/module/rmcp/status/nmissed", big, sizeof(big));
			says = "file too large";
		} else {
			says = cases[i].says;
			if (cases[i].content)
				put("/sys/module/rmcp/status/nmissed", cases[i].content,
				    cases[i].len);
			else
				remove(strcat(strcpy(big, root), "/sys/module/rmcp/status/nmissed"));
		}
		m = probe();
		f = find(m, "sysfs-value");
		if (!says) {
			assert_null(f);
			assert_true(m->rmcp_nmissed.known);
		} else {
			assert_non_null(f);
			assert_non_null(strstr(f->message, "/sys/module/rmcp/status/nmissed"));
			assert_non_null(strstr(f->message, says));
			assert_false(m->rmcp_nmissed.known);
		}
		model_free(m);
	}
}

static void unexpected_state_word(void **state)
{
	struct model *m;

	(void)state;
	gpu_at(0x73bf, NULL);
	armed_rmcp();
	PUT("/sys/module/rmcp/status/state", "armed-ish\n");
	m = probe();
	assert_non_null(find(m, "sysfs-value"));
	assert_non_null(find(m, "rmcp-state-unknown"));
	assert_int_equal(m->exit_code, 1);
	model_free(m);
}

static void device_filter_and_bad_root(void **state)
{
	struct backend be;
	struct model *m = model_new();
	char err[256];

	(void)state;
	gpu_at(0x73bf, NULL);
	assert_int_equal(be_init(&be, root, err, sizeof(err)), 0);
	assert_int_not_equal(collect(&be, m, "0000:02:00.0", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "0000:02:00.0"));
	model_free(m);
	m = model_new();
	assert_int_equal(collect(&be, m, "01:00.0", err, sizeof(err)), 0);
	assert_int_equal(m->ngpus, 1);
	model_free(m);
	m = model_new();
	/* lspci -s forms through pci_filter_parse_slot */
	assert_int_equal(collect(&be, m, "1:0.0", err, sizeof(err)), 0);
	assert_int_equal(m->ngpus, 1);
	model_free(m);
	m = model_new();
	assert_int_not_equal(collect(&be, m, "zz:00.0", err, sizeof(err)), 0);
	model_free(m);
	m = model_new();
	assert_int_equal(collect(&be, m, "01:00.0", err, sizeof(err)), 0);
	assert_int_equal(m->ngpus, 1);
	model_free(m);
	/* no domain: any domain, as lspci -s; with one: only that one */
	PUT("/sys/bus/pci/devices/0001:01:00.0/vendor", "0x1002\n");
	PUT("/sys/bus/pci/devices/0001:01:00.0/device", "0x73bf\n");
	PUT("/sys/bus/pci/devices/0001:01:00.0/class", "0x030000\n");
	m = model_new();
	assert_int_equal(collect(&be, m, "01:00.0", err, sizeof(err)), 0);
	assert_int_equal(m->ngpus, 2);
	model_free(m);
	m = model_new();
	assert_int_equal(collect(&be, m, "0001:01:00.0", err, sizeof(err)), 0);
	assert_int_equal(m->ngpus, 1);
	assert_string_equal(m->gpus[0].bdf, "0001:01:00.0");
	model_free(m);
	m = model_new();
	be_fini(&be);
	assert_int_not_equal(be_init(&be, "/nonexistent/rmcp-probe-root", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "/nonexistent/rmcp-probe-root"));
	model_free(m);
}

/* JSON from any recorded file name stays UTF-8 (json-c copies key bytes as they are). */
static void json_is_utf8_for_any_file_name(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	struct model *m;
	FILE *f;

	(void)state;
	gpu_at(0x73bf, "10.3.0");
	armed_rmcp();
	bind_amdgpu();
	PUT("/sys/bus/pci/devices/0000:01:00.0/fw_version/mec_fw_version", "0x00000076\n");
	PUT("/sys/bus/pci/devices/0000:01:00.0/fw_version/m\xff\"c_fw_version", "0x00000001\n");
	m = probe();
	assert_int_equal(m->gpus[0].nfw, 2);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	render_json(f, m);
	fclose(f);
	assert_true(utf8_valid(buf, len));
	assert_non_null(strstr(buf, "\"mec\": \"0x00000076\""));
	free(buf);
	model_free(m);
}

/* Under sudo, /dev/kfd opens for root: that says nothing about the user. */
static void sudo_device_access_is_roots(void **state)
{
	const struct finding *f;
	struct model *m;

	(void)state;
	gpu_at(0x73bf, "10.3.0");
	armed_rmcp();
	bind_amdgpu();
	PUT("/environ", "SUDO_UID=1000\nSUDO_USER=alice\n");
	PUT("/sudo-environ", "HOME=/home/alice\n");
	PUT("/dev/kfd", "");
	m = probe();
	f = find(m, "sudo-device-access");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_INFO);
	assert_non_null(strstr(f->message, "alice"));
	model_free(m);
}

/*
 * ROCr's node-N is one card; the same virtual page can fault on two cards
 * (one process, one address space): its line goes with that card's fault.
 */
static void rocr_fault_on_its_own_card(void **state)
{
	struct backend be;
	struct model *m = model_new();
	char err[256];

	(void)state;
	PUT("/proc/sys/kernel/osrelease", "6.12.57+deb13-amd64\n");
	PUT("/sys/class/kfd/kfd/topology/nodes/0/properties", "simd_count 0\n");
	PUT("/sys/class/kfd/kfd/topology/nodes/1/properties",
	    "simd_count 72\ngfx_target_version 100300\nlocation_id 768\ndomain 0\n");
	PUT("/sys/class/kfd/kfd/topology/nodes/2/properties",
	    "simd_count 72\ngfx_target_version 100300\nlocation_id 2816\ndomain 0\n");
	PUT("/dmesg",
	    "amdgpu 0000:03:00.0: [gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:9, for process t pid 5 thread t pid 5)\n"
	    "amdgpu 0000:03:00.0:   in page starting at address 0x00007f0000aa0000 from client 0x1b (UTCL2)\n"
	    "amdgpu 0000:03:00.0: GCVM_L2_PROTECTION_FAULT_STATUS:0x00801031\n"
	    "amdgpu 0000:0b:00.0: [gfxhub] page fault (src_id:0 ring:24 vmid:2 pasid:9, for process t pid 5 thread t pid 5)\n"
	    "amdgpu 0000:0b:00.0:   in page starting at address 0x00007f0000aa0000 from client 0x1b (UTCL2)\n"
	    "amdgpu 0000:0b:00.0: GCVM_L2_PROTECTION_FAULT_STATUS:0x00201431\n"
	    "Memory access fault by GPU node-2 (Agent handle: 0x1) on address 0x7f0000aa0040. Reason: Unknown.\n");
	assert_non_null(m);
	assert_int_equal(be_init(&be, root, err, sizeof(err)), 0);
	assert_int_equal(collect(&be, m, NULL, err, sizeof(err)), 0);
	assert_true(collect_log(&be, m));
	be_fini(&be);
	assert_non_null(m->faults);
	assert_int_equal(m->faults->nfaults, 2);
	assert_int_equal(m->faults->nrocr, 1);
	assert_string_equal(m->faults->rocr[0].device, "0000:0b:00.0");
	assert_true(m->faults->rocr[0].fault >= 0);
	assert_string_equal(m->faults->faults[m->faults->rocr[0].fault].device, "0000:0b:00.0");
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gc_targets),
		cmocka_unit_test(table_agrees_with_gc_mapping),
		cmocka_unit_test(hsa_rules),
		cmocka_unit_test_setup_teardown(every_table_id_classified, setup, teardown),
		cmocka_unit_test_setup_teardown(gc_from_sysfs_wins_and_missing_id_gets_extra_ids_line,
						setup, teardown),
		cmocka_unit_test_setup_teardown(gfx11_is_out_of_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_amd_device_is_not_gfx10, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_sysfs_values_are_named, setup, teardown),
		cmocka_unit_test_setup_teardown(unexpected_state_word, setup, teardown),
		cmocka_unit_test_setup_teardown(device_filter_and_bad_root, setup, teardown),
		cmocka_unit_test_setup_teardown(json_is_utf8_for_any_file_name, setup, teardown),
		cmocka_unit_test_setup_teardown(sudo_device_access_is_roots, setup, teardown),
		cmocka_unit_test_setup_teardown(rocr_fault_on_its_own_card, setup, teardown),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
