// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe: is this machine's gfx10 (RDNA1/RDNA2) GPU covered by rmcp, is
 * the policy in force, and what do the GPU faults in the kernel log mean.
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
#include "record.h"

#ifndef RMCP_VERSION
#define RMCP_VERSION "unknown"
#endif

#define LOG_MAX		(256u << 20)

static void usage(FILE *f)
{
	fputs("usage: rmcp-probe [--json | --format=text|json|prometheus] [--check]\n"
	      "                  [--faults [FILE|-]] [--device BDF] [--quiet]\n"
	      "                  [--record DIR] [--version] [--help]\n"
	      "Lists AMD GPUs, says which are gfx10 (RDNA1/RDNA2) and covered by rmcp,\n"
	      "shows rmcp's state and the amdgpu parameters in force, and points at the\n"
	      "likelier causes of GPU memory faults it can see.\n"
	      "  --json          machine-readable output (schema 2); --format=json\n"
	      "  --format=prometheus  metrics for node_exporter's textfile collector\n"
	      "  --check         map a small buffer with MTYPE_CC and show rmcp rewrote it\n"
	      "  --faults [FILE] explain the GPU faults in a saved kernel log (dmesg or\n"
	      "                  journalctl -k output; - for stdin), or with no FILE in\n"
	      "                  the running kernel's log\n"
	      "  --device BDF    only the GPU at this PCI address (0000:03:00.0 or 03:00.0)\n"
	      "  --quiet         print only problems; the exit code says the rest\n"
	      "  --record DIR    also write what was read, and the kernel log, to DIR\n"
	      "                  (user names, host name, serial numbers masked);\n"
	      "                  RMCP_PROBE_ROOT=DIR rmcp-probe replays it\n"
	      "Exit: 0 ok, 1 problem found, 2 usage/system error, 3 no gfx10 GPU.\n", f);
}

static int read_stream(FILE *in, char **out, size_t *len)
{
	size_t cap = 1 << 16, got = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		size_t n;

		if (got + 1 >= cap) {
			char *nb;

			if (cap >= LOG_MAX) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + got, 1, cap - 1 - got, in);
		got += n;
		if (n == 0) {
			if (ferror(in)) {
				free(buf);
				return -EIO;
			}
			break;
		}
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

static int load_log_file(struct model *m, const char *file, char *err, size_t errlen)
{
	FILE *in = strcmp(file, "-") ? fopen(file, "r") : stdin;
	int r;

	if (!in) {
		snprintf(err, errlen, "--faults %s: %s", file, strerror(errno));
		return -errno;
	}
	r = read_stream(in, &m->log, &m->log_len);
	if (in != stdin)
		fclose(in);
	if (r) {
		snprintf(err, errlen, "--faults %s: %s", file, strerror(-r));
		return r;
	}
	m->log_tried = m->log_ok = true;
	snprintf(m->faults_source, sizeof(m->faults_source), "%s",
		 strcmp(file, "-") ? file : "standard input");
	return 0;
}

/* "--" + a prefix of long of at least min characters, as getopt_long takes it */
static bool long_prefix(const char *arg, size_t len, const char *lng, size_t min)
{
	return len >= min && len <= strlen(lng) && !strncmp(arg, lng, len);
}

/*
 * Whether the command line asks for JSON, read before getopt so that a
 * usage error anywhere on it still answers in JSON (exit 2): --json,
 * --format=json and --format json, abbreviated as getopt_long allows;
 * the last of them wins, as it does when the options are parsed.
 */
static bool wants_json(int argc, char **argv)
{
	bool json = false;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);

		if (!strcmp(a, "-d") && i + 1 < argc) {
			i++;	/* -d's argument is not an option */
			continue;
		}
		if (strncmp(a, "--", 2))
			continue;
		if (!eq && long_prefix(a, len, "--json", 3))
			json = true;
		else if (long_prefix(a, len, "--format", 4)) {
			const char *v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : "";

			json = !strcmp(v, "json");
		} else if (!eq && (long_prefix(a, len, "--device", 3) ||
				   long_prefix(a, len, "--record", 3)) && i + 1 < argc) {
			i++;	/* their argument is not an option */
		}
	}
	return json;
}

static int fail(bool json, const char *err)
{
	fprintf(stderr, "rmcp-probe: %s\n", err);
	if (json) {
		render_json_error(stdout, err);
		fflush(stdout);
	}
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "check", no_argument, NULL, 'c' },
		{ "faults", optional_argument, NULL, 'f' },
		{ "device", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'F' },
		{ "record", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, check = false, quiet = false, faults = false, prom = false;
	const char *device = NULL, *root, *log_file = NULL, *record_dir = NULL;
	struct recorder rec;
	char args[128] = "";
	struct backend be;
	struct model *m;
	char err[512] = "";
	int c, r;

	json = wants_json(argc, argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jcd:qVh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'c': check = true; break;
		case 'f':
			faults = true;
			log_file = optarg;
			/* "--faults FILE": an operand right after it is the file */
			if (!log_file && optind < argc &&
			    (argv[optind][0] != '-' || !strcmp(argv[optind], "-")))
				log_file = argv[optind++];
			break;
		case 'd': device = optarg; break;
		case 'q': quiet = true; break;
		case 'r': record_dir = optarg; break;
		case 'F':
			json = !strcmp(optarg, "json");
			prom = !strcmp(optarg, "prometheus");
			if (!json && !prom && strcmp(optarg, "text")) {
				snprintf(err, sizeof(err), "--format %s: not text, json or "
					 "prometheus", optarg);
				usage(stderr);
				return fail(false, err);
			}
			break;
		case 'V':
			printf("rmcp-probe %s (JSON schema %d)\n", RMCP_VERSION, RMCP_PROBE_SCHEMA);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt == 'd')
				snprintf(err, sizeof(err), "--device needs a PCI address");
			else if (optopt == 'r')
				snprintf(err, sizeof(err), "--record needs a directory");
			else if (optopt == 'F')
				snprintf(err, sizeof(err), "--format needs text, json or prometheus");
			else
				snprintf(err, sizeof(err), "unknown option '%s'", argv[optind - 1]);
			usage(stderr);
			return fail(json, err);
		}
	}
	if (optind < argc) {
		snprintf(err, sizeof(err), "unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return fail(json, err);
	}

	root = getenv("RMCP_PROBE_ROOT");
	r = be_init(&be, root, err, sizeof(err));
	if (r) {
		be_fini(&be);
		return fail(json, err);
	}
	m = model_new();
	if (!m) {
		be_fini(&be);
		return fail(json, "out of memory");
	}
	if (record_dir) {
		r = record_start(&rec, &be, record_dir, err, sizeof(err));
		if (r) {
			model_free(m);
			be_fini(&be);
			return fail(json, err);
		}
		snprintf(args, sizeof(args), "%s%s%s%s", faults ? "--faults " : "",
			 check ? "--check " : "", device ? "--device " : "", device ? device : "");
		if (*args && args[strlen(args) - 1] == ' ')
			args[strlen(args) - 1] = '\0';
	}
	m->faults_requested = faults;
	if (log_file && load_log_file(m, log_file, err, sizeof(err))) {
		model_free(m);
		be_fini(&be);
		return fail(json, err);
	}
	r = collect(&be, m, device, err, sizeof(err));
	if (r) {
		model_free(m);
		be_fini(&be);
		return fail(json, err);
	}
	if (faults)
		collect_log(&be, m);
	if (check)
		run_check(&be, m);
	diagnose(m);
	if (record_dir && record_finish(&rec, &be, m, args, err, sizeof(err))) {
		model_free(m);
		be_fini(&be);
		return fail(json, err);
	}
	if (json)
		render_json(stdout, m);
	else if (prom)
		render_prometheus(stdout, m);
	else
		render_text(stdout, m, quiet);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "rmcp-probe: writing the report: %s\n", strerror(errno));
		r = 2;
	} else {
		r = m->exit_code;
	}
	model_free(m);
	be_fini(&be);
	return r;
}
