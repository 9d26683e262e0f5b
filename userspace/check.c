// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe --check: map a small BO with AMDGPU_VM_MTYPE_CC on a covered
 * GPU and show that rmcp saw and rewrote it (cc_seen / cc_rewritten moved).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rmcp/sysfs.h>

#include "parse.h"
#include "probe.h"

struct counters {
	struct backend *be;
	const char *bdf;
	bool ok;
	uint64_t seen, rewritten;
};

static bool read_counter(struct backend *be, const char *bdf, const char *name,
			 uint64_t *out)
{
	char path[BE_PATH_MAX], buf[64];
	ssize_t n;

	snprintf(path, sizeof(path), RMCP_SYSFS_MODULE "/" RMCP_SYSFS_DEVICES "/%s/%s",
		 bdf, name);
	n = be_read(be, path, buf, sizeof(buf));
	return n >= 0 && !parse_u64(buf, (size_t)n, out);
}

static void snapshot(void *ctx)
{
	struct counters *c = ctx;

	c->ok = read_counter(c->be, c->bdf, RMCP_D_CC_SEEN, &c->seen) &&
		read_counter(c->be, c->bdf, RMCP_D_CC_REWRITTEN, &c->rewritten);
}

static void check_gpu(struct backend *be, struct model *m, struct gpu *g)
{
	struct gpu_check *c = &g->check;
	struct counters before = { .be = be, .bdf = g->bdf };
	struct counters during = { .be = be, .bdf = g->bdf };
	struct drm_answer a;
	char err[256] = "";
	int r;

	if (!m->rmcp_loaded || strcmp(m->rmcp_state, RMCP_STATE_ARMED) || !g->covered) {
		c->result = CHECK_CANNOT_PROVE;
		snprintf(c->detail, sizeof(c->detail),
			 "rmcp is not armed for this GPU, so a CC mapping is neither "
			 "rewritten nor counted: nothing can be proven");
		return;
	}
	snapshot(&before);
	if (!before.ok) {
		c->result = CHECK_ERROR;
		snprintf(c->detail, sizeof(c->detail), "cannot read %s/%s/%s/%s",
			 RMCP_SYSFS_MODULE, RMCP_SYSFS_DEVICES, g->bdf, RMCP_D_CC_SEEN);
		return;
	}
	memset(&a, 0, sizeof(a));
	snprintf(a.bdf, sizeof(a.bdf), "%s", g->bdf);
	snprintf(a.render_node, sizeof(a.render_node), "%s", g->render_node);
	r = be->ops->map_cc(be, &a, snapshot, &during, err, sizeof(err));
	if (r && !during.ok) {
		c->result = CHECK_ERROR;
		snprintf(c->detail, sizeof(c->detail), "%s", err);
		return;
	}
	if (!during.ok) {
		c->result = CHECK_ERROR;
		snprintf(c->detail, sizeof(c->detail), "cannot read the counters while mapped");
		return;
	}
	c->cc_seen_delta = during.seen - before.seen;
	c->cc_rewritten_delta = during.rewritten - before.rewritten;
	if (during.seen < before.seen || during.rewritten < before.rewritten) {
		c->result = CHECK_FAIL;
		snprintf(c->detail, sizeof(c->detail), "counters went backwards");
	} else if (c->cc_seen_delta >= 1 && c->cc_rewritten_delta == c->cc_seen_delta) {
		c->result = CHECK_PASS;
		snprintf(c->detail, sizeof(c->detail),
			 "a 4 KiB GTT buffer mapped with AMDGPU_VM_MTYPE_CC: cc_seen +%llu, "
			 "cc_rewritten +%llu (every CC request became NC)",
			 (unsigned long long)c->cc_seen_delta,
			 (unsigned long long)c->cc_rewritten_delta);
	} else {
		c->result = CHECK_FAIL;
		snprintf(c->detail, sizeof(c->detail),
			 "a 4 KiB GTT buffer mapped with AMDGPU_VM_MTYPE_CC: cc_seen +%llu, "
			 "cc_rewritten +%llu; expected both to move by the same amount, at least 1",
			 (unsigned long long)c->cc_seen_delta,
			 (unsigned long long)c->cc_rewritten_delta);
	}
	if (r && c->result == CHECK_PASS) {
		/* mapped and counted, but unmapping failed */
		c->result = CHECK_ERROR;
		snprintf(c->detail, sizeof(c->detail), "%s", err);
	}
}

void run_check(struct backend *be, struct model *m)
{
	size_t i;

	m->check_requested = true;
	for (i = 0; i < m->ngpus; i++)
		if (m->gpus[i].in_scope)
			check_gpu(be, m, &m->gpus[i]);
}
