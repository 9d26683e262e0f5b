// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe: the fake backend's recorded DRM answers (RMCP_PROBE_ROOT).
 * Format: tests/README.md.
 */
#include "backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rmcp/sysfs.h>

#include "parse.h"

struct dev_ctx {
	struct drm_answer *a;
	char bad[64];		/* key whose value was bad, "" if none */
};

static int u16_of(const char *v, uint16_t *out)
{
	int64_t x;

	if (parse_int(v, strlen(v), 0, 0xffff, true, &x))
		return -1;
	*out = (uint16_t)x;
	return 0;
}

static int copy(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return -1;
	strcpy(dst, v);
	return 0;
}

static int dev_cb(void *ctx, const char *key, const char *v)
{
	struct dev_ctx *c = ctx;
	struct drm_answer *a = c->a;
	int64_t x;
	int r = 0;

	snprintf(c->bad, sizeof(c->bad), "%s", key);
	if (!strcmp(key, "vendor_id"))
		r = u16_of(v, &a->vendor_id);
	else if (!strcmp(key, "device_id"))
		r = u16_of(v, &a->device_id);
	else if (!strcmp(key, "render_node"))
		r = copy(a->render_node, sizeof(a->render_node), v);
	else if (!strcmp(key, "driver"))
		r = copy(a->driver, sizeof(a->driver), v);
	else if (!strcmp(key, "error"))
		r = copy(a->error, sizeof(a->error), v);
	else if (!strcmp(key, "runtime_status"))
		a->suspended = !strcmp(v, "suspended");
	else if (!strcmp(key, "marketing_name"))
		r = copy(a->marketing_name, sizeof(a->marketing_name), v);
	else if (!strcmp(key, "family_id")) {
		r = parse_int(v, strlen(v), 0, UINT32_MAX, true, &x) ? -1 : 0;
		a->family_id = (uint32_t)x;
		a->has_info = true;
	} else if (!strcmp(key, "ids_flags")) {
		r = parse_int(v, strlen(v), 0, INT64_MAX, true, &x) ? -1 : 0;
		a->ids_flags = (uint64_t)x;
		a->has_info = true;
	} else if (!strcmp(key, "ip_discovery_version")) {
		r = parse_int(v, strlen(v), 0, 0xffffff, true, &x) ? -1 : 0;
		a->ip_discovery_version = (uint32_t)x;
	} else {
		return -1; /* unknown key: a typo in a fixture must not pass */
	}
	if (!r)
		c->bad[0] = '\0';
	return r;
}

int fake_parse_device(const char *buf, size_t len, struct drm_answer *out,
		      char *err, size_t errlen)
{
	struct dev_ctx c = { .a = out, .bad = "" };
	unsigned int line = 0;

	if (parse_kv(buf, len, dev_cb, &c, &line)) {
		if (*c.bad)
			snprintf(err, errlen, "line %u: bad value for %s", line, c.bad);
		else
			snprintf(err, errlen, "line %u: %s", line,
				 parse_strerror(PARSE_BAD_LINE));
		return -EINVAL;
	}
	return 0;
}

static bool bdf_ok(const char *s)
{
	unsigned int d, b, dv, f;
	char tail;

	return strlen(s) == 12 &&
	       sscanf(s, "%4x:%2x:%2x.%1u%c", &d, &b, &dv, &f, &tail) == 4;
}

static int fake_drm_devices(struct backend *be, struct drm_answer **outp, size_t *n,
			    char *err, size_t errlen)
{
	char (*names)[BE_NAME_MAX], path[BE_PATH_MAX], buf[4096], perr[128];
	struct drm_answer *out;
	size_t cnt, i;
	ssize_t len;
	int r;

	*outp = NULL;
	*n = 0;
	r = be_list(be, "/drm", &names, &cnt, NULL);
	if (r == -ENOENT)
		return 0;
	if (r) {
		snprintf(err, errlen, "%s/drm: %s", be->root, strerror(-r));
		return r;
	}
	out = calloc(cnt ? cnt : 1, sizeof(*out));
	if (!out) {
		free(names);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < cnt; i++) {
		struct drm_answer *a = &out[*n];

		if (!bdf_ok(names[i])) {
			snprintf(err, errlen, "%s/drm/%s: not a PCI address", be->root,
				 names[i]);
			r = -EINVAL;
			goto fail;
		}
		snprintf(path, sizeof(path), "/drm/%s/device", names[i]);
		len = be_read(be, path, buf, sizeof(buf));
		if (len < 0) {
			snprintf(err, errlen, "%s%s: %s", be->root, path,
				 len == -EINVAL ? "not a regular file" : strerror((int)-len));
			r = (int)len;
			goto fail;
		}
		memset(a, 0, sizeof(*a));
		strcpy(a->bdf, names[i]);
		if (fake_parse_device(buf, (size_t)len, a, perr, sizeof(perr))) {
			snprintf(err, errlen, "%s%s: %s", be->root, path, perr);
			r = -EINVAL;
			goto fail;
		}
		(*n)++;
	}
	free(names);
	*outp = out;
	return 0;
fail:
	free(names);
	free(out);
	*n = 0;
	return r;
}

struct check_ctx {
	char map[128];
	struct opt {
		bool set;
		uint64_t v;
	} seen, rewritten;
};

static int check_cb(void *ctx, const char *key, const char *v)
{
	struct check_ctx *c = ctx;
	int64_t x;

	if (!strcmp(key, "map"))
		return copy(c->map, sizeof(c->map), v);
	if (!strcmp(key, "cc_seen_delta") || !strcmp(key, "cc_rewritten_delta")) {
		struct opt *o = key[3] == 's' ? &c->seen : &c->rewritten;

		if (parse_int(v, strlen(v), 0, 1000000, false, &x))
			return -1;
		o->set = true;
		o->v = (uint64_t)x;
		return 0;
	}
	return -1;
}

/* Moves one counter of devices/<bdf>/ by delta in the overlay. */
static void bump(struct backend *be, const char *bdf, const char *name, uint64_t delta)
{
	char path[BE_PATH_MAX], buf[32];
	uint64_t v = 0;
	ssize_t len;
	size_t i;

	snprintf(path, sizeof(path), RMCP_SYSFS_MODULE "/" RMCP_SYSFS_DEVICES "/%s/%s",
		 bdf, name);
	len = be_read(be, path, buf, sizeof(buf));
	if (len < 0 || parse_u64(buf, (size_t)len, &v))
		return; /* nothing to move: the check will say so */
	for (i = 0; i < be->noverlay; i++)
		if (!strcmp(be->overlay[i].path, path))
			break;
	if (i == sizeof(be->overlay) / sizeof(be->overlay[0]))
		return;
	if (i == be->noverlay)
		be->noverlay++;
	strcpy(be->overlay[i].path, path);
	snprintf(be->overlay[i].value, sizeof(be->overlay[i].value), "%llu\n",
		 (unsigned long long)(v + delta));
}

static int fake_map_cc(struct backend *be, const struct drm_answer *gpu,
		void (*mapped)(void *ctx), void *ctx, char *err, size_t errlen)
{
	struct check_ctx c;
	char path[BE_PATH_MAX], buf[1024];
	unsigned int line;
	ssize_t len;

	memset(&c, 0, sizeof(c));
	if (!*gpu->render_node) {
		snprintf(err, errlen, "%s has no render node", gpu->bdf);
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "/drm/%s/check", gpu->bdf);
	len = be_read(be, path, buf, sizeof(buf));
	if (len < 0) {
		/* no recording: as if the kernel had refused the mapping */
		snprintf(err, errlen, "amdgpu_bo_va_op_raw(MAP, AMDGPU_VM_MTYPE_CC): %s",
			 strerror(ENOTSUP));
		return -ENOTSUP;
	}
	if (parse_kv(buf, (size_t)len, check_cb, &c, &line)) {
		snprintf(err, errlen, "%s%s: line %u: bad", be->root, path, line);
		return -EINVAL;
	}
	if (strcmp(c.map, "ok")) {
		snprintf(err, errlen, "amdgpu_bo_va_op_raw(MAP, AMDGPU_VM_MTYPE_CC): %s",
			 *c.map ? c.map : "failed");
		return -EIO;
	}
	bump(be, gpu->bdf, RMCP_D_CC_SEEN, c.seen.v);
	bump(be, gpu->bdf, RMCP_D_CC_REWRITTEN, c.rewritten.v);
	bump(be, gpu->bdf, RMCP_D_CALLS, c.seen.v);
	mapped(ctx);
	return 0;
}

/* environ: this process's environment; sudo-environ: the sudo user's. */
static int fake_load_env(struct backend *be, char *err, size_t errlen)
{
	char *buf;
	ssize_t n = be_read_all(be, "/environ", &buf, 1 << 20);
	int r;

	if (n == -ENOENT)
		return 0;
	if (n < 0) {
		snprintf(err, errlen, "%s/environ: %s", be->root,
			 n == -EINVAL ? "not a regular file" : strerror((int)-n));
		return (int)n;
	}
	r = env_parse(&be->env, buf, (size_t)n, true);
	free(buf);
	if (r) {
		snprintf(err, errlen, "%s/environ: %s", be->root,
			 r == -EINVAL ? "a line without '='" : strerror(-r));
		return r;
	}
	if (!env_get(&be->env, "SUDO_UID") || !env_get(&be->env, "SUDO_USER"))
		return 0;
	be->sudo = true;
	n = be_read_all(be, "/sudo-environ", &buf, 1 << 20);
	if (n < 0) {
		snprintf(be->user_env_why, sizeof(be->user_env_why), "%s/sudo-environ: %s",
			 be->root, strerror((int)-n));
		return 0;
	}
	r = env_parse(&be->user_env, buf, (size_t)n, true);
	free(buf);
	if (r) {
		snprintf(err, errlen, "%s/sudo-environ: bad line", be->root);
		return r;
	}
	be->user_env_known = true;
	return 0;
}

/* dmesg: the recorded kernel log, in any form --faults reads. */
static int fake_read_log(struct backend *be, char **text, size_t *len, char *why,
			 size_t whylen)
{
	ssize_t n = be_read_all(be, "/dmesg", text, 64u << 20);

	*len = 0;
	if (n < 0) {
		snprintf(why, whylen, "%s/dmesg: %s", be->root,
			 n == -EINVAL ? "not a regular file" : strerror((int)-n));
		return (int)n;
	}
	*len = (size_t)n;
	return 0;
}

/*
 * dev/kfd (or any device path): empty = this user can open it read-write;
 * otherwise the error text, e.g. "Permission denied". Absent: not recorded.
 */
static int fake_dev_access(struct backend *be, const char *path)
{
	char buf[128];
	ssize_t n = be_read(be, path, buf, sizeof(buf) - 1);
	int e;

	if (n < 0)
		return -ENODATA;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	if (!n)
		return 0;
	for (e = 1; e < 134; e++)
		if (!strcmp(buf, strerror(e)))
			return -e;
	return -EIO;
}

const struct be_ops be_fake_ops = {
	.name = "recorded",
	.drm_devices = fake_drm_devices,
	.map_cc = fake_map_cc,
	.load_env = fake_load_env,
	.read_log = fake_read_log,
	.dev_access = fake_dev_access,
};
