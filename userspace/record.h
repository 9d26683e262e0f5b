/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe --record DIR: the machine as a fixture. What the probe reads
 * while it runs (through the backend's tap and ops table) is written under
 * DIR in the fake-root format of tests/README.md, with the kernel log; user
 * names, the host name and serial numbers masked (mask.h). RMCP_PROBE_ROOT=DIR
 * replays it.
 */
#ifndef RMCP_PROBE_RECORD_H
#define RMCP_PROBE_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "mask.h"
#include "model.h"

struct recorder {
	char dir[BE_PATH_MAX];
	const struct be_ops *inner;	/* the backend's own ops */
	struct be_ops ops;		/* inner, plus writing what they answer */
	struct mask mask;
	char modules[BE_PATH_MAX];	/* /lib/modules/<release> of a module seen */
	int error;			/* first failure, -errno */
	char err[BE_PATH_MAX + 64];
};

/*
 * Creates dir (it must not exist, or be empty), watches be from now on and
 * writes the environment variables the probe reads. 0 or -errno with err.
 */
int record_start(struct recorder *r, struct backend *be, const char *dir,
		 char *err, size_t errlen);
/*
 * Writes what is known only at the end (the kernel log, pci.ids names,
 * modules.dep, args) and stops watching. args: the options to replay with
 * ("--faults", "--check", "--device BDF"). 0 or -errno with err.
 */
int record_finish(struct recorder *r, struct backend *be, const struct model *m,
		  const char *args, char *err, size_t errlen);

#endif
