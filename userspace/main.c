// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe: which AMD GPUs are gfx10 (RDNA1/RDNA2) and covered by rmcp's
 * table, and what state rmcp.ko reports.
 *
 * Exit codes: 0 ok, 1 problem found, 2 usage or system error, 3 no gfx10 GPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>

#include <rmcp/sysfs.h>

#include "ids.h"

#ifndef RMCP_VERSION
#define RMCP_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f, "usage: rmcp-probe [--version] [--help]\n"
		   "Lists AMD GPUs, says which are gfx10 (RDNA1/RDNA2) and covered by\n"
		   "rmcp, and shows the state rmcp.ko reports.\n"
		   "Exit: 0 ok, 1 problem found, 2 usage/system error, 3 no gfx10 GPU.\n");
}

/* Reads one sysfs value into buf without the trailing newline. */
static int read_value(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	drmDevicePtr devs[64];
	char state[64] = "", reason[256] = "";
	int i, n, gfx10 = 0, problems = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("rmcp-probe %s\n", RMCP_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		fprintf(stderr, "rmcp-probe: unknown option '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}

	n = drmGetDevices2(0, devs, 64);
	if (n < 0) {
		if (n != -ENODEV && n != -ENOENT) {
			fprintf(stderr, "rmcp-probe: drmGetDevices2: %s\n", strerror(-n));
			return 2;
		}
		n = 0;
	}
	for (i = 0; i < n; i++) {
		const struct rmcp_gpu_id *id;
		drmPciDeviceInfoPtr pci;

		if (devs[i]->bustype != DRM_BUS_PCI)
			continue;
		pci = devs[i]->deviceinfo.pci;
		if (pci->vendor_id != 0x1002)
			continue;
		id = rmcp_id_lookup(pci->vendor_id, pci->device_id);
		printf("%04x:%02x:%02x.%u 1002:%04x: %s\n",
		       devs[i]->businfo.pci->domain, devs[i]->businfo.pci->bus,
		       devs[i]->businfo.pci->dev, devs[i]->businfo.pci->func,
		       pci->device_id,
		       id ? "gfx10, in rmcp's table" : "not in rmcp's gfx10 table");
		if (id) {
			gfx10++;
			printf("  %s RDNA%u GC %u.%u.%u %s (%s)\n", id->chip, id->rdna,
			       id->gc_major, id->gc_minor, id->gc_rev, id->gfx,
			       id->kind ? "APU" : "dGPU");
		}
	}
	drmFreeDevices(devs, n);

	if (read_value(RMCP_SYSFS_MODULE "/" RMCP_SYSFS_STATUS "/" RMCP_S_STATE,
		       state, sizeof(state)) == 0) {
		read_value(RMCP_SYSFS_MODULE "/" RMCP_SYSFS_STATUS "/" RMCP_S_REASON,
			   reason, sizeof(reason));
		printf("rmcp: %s%s%s\n", state, *reason ? ": " : "", reason);
		if (strcmp(state, RMCP_STATE_ARMED) && strcmp(state, RMCP_STATE_IDLE))
			problems++;
	} else {
		printf("rmcp: not loaded\n");
	}

	if (!gfx10) {
		printf("no gfx10 (RDNA1/RDNA2) GPU found\n");
		return 3;
	}
	return problems ? 1 : 0;
}
