/* SPDX-License-Identifier: GPL-2.0 */
/* rmcp-probe: collect, check, diagnose, render. */
#ifndef RMCP_PROBE_PROBE_H
#define RMCP_PROBE_PROBE_H

#include <stdio.h>

#include "backend.h"
#include "model.h"

#define RMCP_PROBE_SCHEMA 2

/*
 * Fills m from be. only_bdf: keep only that GPU (NULL: all). Returns 0, or
 * -errno with err naming the call that failed (exit code 2).
 */
int collect(struct backend *be, struct model *m, const char *only_bdf,
	    char *err, size_t errlen);
/* The kernel log into m (once); false with m->log_why when unreadable. */
bool collect_log(struct backend *be, struct model *m);
/* --check on every covered GPU; results go to gpu->check. */
void run_check(struct backend *be, struct model *m);
/* Adds findings, counts, and sets m->exit_code. */
void diagnose(struct model *m);

void add_finding(struct model *m, const char *id, enum severity sev,
		 const char *gpu, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Any problem finding names this GPU. */
bool gpu_has_problem(const struct model *m, const struct gpu *g);

void render_text(FILE *f, const struct model *m, bool quiet);
void render_json(FILE *f, const struct model *m);
/* --format=prometheus: node_exporter textfile collector format. */
void render_prometheus(FILE *f, const struct model *m);
/* --json when the probe could not run: the error and exit 2. */
void render_json_error(FILE *f, const char *error);

#endif
