// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe: is this machine's gfx10 (RDNA1/RDNA2) GPU covered by rmcp, is
 * the policy in force, and what else is the likelier cause of GPU faults.
 *
 * Exit codes: 0 ok, 1 problem found, 2 usage or system error, 3 no gfx10 GPU.
 * RMCP_PROBE_ROOT=dir runs against a recorded machine (tests/README.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#ifndef RMCP_VERSION
#define RMCP_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fputs("usage: rmcp-probe [--json] [--check] [--device BDF] [--quiet] [--version] [--help]\n"
	      "Lists AMD GPUs, says which are gfx10 (RDNA1/RDNA2) and covered by rmcp,\n"
	      "shows rmcp's state and the amdgpu parameters in force, and points at the\n"
	      "likelier causes of GPU memory faults it can see.\n"
	      "  --json        machine-readable output (schema 1)\n"
	      "  --check       map a small buffer with MTYPE_CC and show rmcp rewrote it\n"
	      "  --device BDF  only the GPU at this PCI address (0000:03:00.0 or 03:00.0)\n"
	      "  --quiet       print only problems; the exit code says the rest\n"
	      "Exit: 0 ok, 1 problem found, 2 usage/system error, 3 no gfx10 GPU.\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "check", no_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, check = false, quiet = false;
	const char *device = NULL, *root;
	struct backend be;
	struct model *m;
	char err[512] = "";
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "jcd:qVh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'c': check = true; break;
		case 'd': device = optarg; break;
		case 'q': quiet = true; break;
		case 'V':
			printf("rmcp-probe %s (JSON schema %d)\n", RMCP_VERSION, RMCP_PROBE_SCHEMA);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt == 'd')
				fprintf(stderr, "rmcp-probe: --device needs a PCI address\n");
			else
				fprintf(stderr, "rmcp-probe: unknown option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rmcp-probe: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	root = getenv("RMCP_PROBE_ROOT");
	r = be_init(&be, root, err, sizeof(err));
	if (r) {
		fprintf(stderr, "rmcp-probe: %s\n", err);
		return 2;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		fprintf(stderr, "rmcp-probe: out of memory\n");
		be_fini(&be);
		return 2;
	}
	r = collect(&be, m, device, err, sizeof(err));
	if (r) {
		fprintf(stderr, "rmcp-probe: %s\n", err);
		free(m);
		be_fini(&be);
		return 2;
	}
	if (check)
		run_check(&be, m);
	diagnose(m);
	if (json)
		render_json(stdout, m);
	else
		render_text(stdout, m, quiet);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "rmcp-probe: writing the report: %s\n", strerror(errno));
		r = 2;
	} else {
		r = m->exit_code;
	}
	free(m);
	be_fini(&be);
	return r;
}
