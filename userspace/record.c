// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe --record DIR: the machine as a fixture (record.h). Only what the
 * probe itself read is written, and only from the places a fixture holds
 * (tests/README.md): sysfs, /proc/sys, /proc/cmdline, modprobe.d, rmcp's
 * module files; never /proc/<pid>, never a whole environment.
 */
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "env.h"

#define FILE_MAX	(64u << 20)

/* Where a recorded path may come from, and how its content is kept. */
enum keep {
	KEEP_NOT,		/* not recorded */
	KEEP_VALUE,		/* a sysfs/procfs value: as it is */
	KEEP_TEXT,		/* configuration text: masked */
	KEEP_BINARY,		/* a module file: as it is */
	KEEP_PRESENCE,		/* only that it exists (a program) */
};

static enum keep keep_of(const char *path)
{
	static const struct {
		const char *prefix;
		enum keep keep;
	} rules[] = {
		{ "/sys/", KEEP_VALUE },
		{ "/proc/sys/", KEEP_VALUE },
		{ "/proc/cmdline", KEEP_TEXT },
		{ "/etc/modprobe.d/", KEEP_TEXT },
		{ "/run/modprobe.d/", KEEP_TEXT },
		{ "/usr/lib/modprobe.d/", KEEP_TEXT },
		{ "/lib/modprobe.d/", KEEP_TEXT },
		{ "/lib/modules/", KEEP_BINARY },
		{ "/usr/sbin/", KEEP_PRESENCE },
		{ "/usr/bin/", KEEP_PRESENCE },
	};
	size_t i;

	if (strstr(path, "/../"))
		return KEEP_NOT;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strncmp(path, rules[i].prefix, strlen(rules[i].prefix)))
			return rules[i].keep;
	return KEEP_NOT;
}

static void fail(struct recorder *r, int e, const char *what)
{
	if (r->error)
		return;
	r->error = e < 0 ? e : -EIO;
	snprintf(r->err, sizeof(r->err), "--record: %s: %s", what, strerror(-r->error));
}

static int out_path(struct recorder *r, const char *path, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s%s", r->dir, path);

	if (n < 0 || (size_t)n >= outlen) {
		fail(r, -ENAMETOOLONG, path);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* mkdir -p of dir + path (path absolute, inside the recording). */
static int make_dirs(struct recorder *r, const char *path)
{
	char p[BE_PATH_MAX + BE_PATH_MAX];
	size_t i, base = strlen(r->dir);

	if (out_path(r, path, p, sizeof(p)))
		return -ENAMETOOLONG;
	for (i = base + 1; ; i++) {
		char c = p[i];

		if (c == '/' || c == '\0') {
			p[i] = '\0';
			if (mkdir(p, 0755) && errno != EEXIST) {
				fail(r, -errno, p);
				return -errno;
			}
			p[i] = c;
		}
		if (!c)
			return 0;
	}
}

static int make_parent(struct recorder *r, const char *path)
{
	char parent[BE_PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash || slash == path)
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	return make_dirs(r, parent);
}

static void write_file(struct recorder *r, const char *path, const char *data, size_t len)
{
	char p[BE_PATH_MAX + BE_PATH_MAX];
	size_t done = 0;
	int fd;

	if (make_parent(r, path) || out_path(r, path, p, sizeof(p)))
		return;
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		fail(r, -errno, p);
		return;
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail(r, n < 0 ? -errno : -EIO, p);
			break;
		}
		done += (size_t)n;
	}
	if (close(fd))
		fail(r, -errno, p);
}

static void write_masked(struct recorder *r, const char *path, const char *data, size_t len)
{
	size_t n;
	char *masked = mask_text(&r->mask, data, len, &n);

	if (!masked) {
		fail(r, -ENOMEM, path);
		return;
	}
	write_file(r, path, masked, n);
	free(masked);
}

/* A file of the machine (root + path) into the recording. */
static void copy_file(struct recorder *r, const struct backend *be, const char *path,
		      enum keep keep)
{
	char src[BE_PATH_MAX], dst[BE_PATH_MAX + BE_PATH_MAX], *data;
	const char *base = strrchr(path, '/');
	struct stat st;
	ssize_t n;

	if (be_path(be, path, src, sizeof(src)) || stat(src, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		make_dirs(r, path);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		/* a FIFO or device where a value should be: kept as a FIFO */
		if (!make_parent(r, path) && !out_path(r, path, dst, sizeof(dst)) &&
		    mkfifo(dst, 0644) && errno != EEXIST)
			fail(r, -errno, dst);
		return;
	}
	if (keep == KEEP_PRESENCE) {
		write_file(r, path, "", 0);
		return;
	}
	/* serial numbers are not the probe's business: never copied */
	if (base && (strstr(base, "serial") || !strcmp(base, "/unique_id"))) {
		write_file(r, path, "masked\n", 7);
		return;
	}
	n = be_read_all(&(struct backend){ .root = "" }, src, &data, FILE_MAX);
	if (n < 0) {
		/* readable by the probe a moment ago; a sysfs file may refuse twice */
		if (n != -EACCES && n != -EPERM && n != -EIO)
			fail(r, (int)n, src);
		return;
	}
	if (keep == KEEP_TEXT)
		write_masked(r, path, data, (size_t)n);
	else
		write_file(r, path, data, (size_t)n);
	free(data);
	if (keep == KEEP_BINARY && !*r->modules && !strncmp(path, "/lib/modules/", 13)) {
		const char *rel_end = strchr(path + 13, '/');

		if (rel_end)
			snprintf(r->modules, sizeof(r->modules), "%.*s",
				 (int)(rel_end - path), path);
	}
}

static void copy_link(struct recorder *r, const struct backend *be, const char *path)
{
	char src[BE_PATH_MAX], dst[BE_PATH_MAX + BE_PATH_MAX], target[BE_PATH_MAX];
	ssize_t n;

	if (be_path(be, path, src, sizeof(src)))
		return;
	n = readlink(src, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	if (make_parent(r, path) || out_path(r, path, dst, sizeof(dst)))
		return;
	if (symlink(target, dst) && errno != EEXIST)
		fail(r, -errno, dst);
}

static void seen(void *ctx, const struct backend *be, const char *path, enum be_seen what)
{
	struct recorder *r = ctx;
	enum keep keep = keep_of(path);

	if (keep == KEEP_NOT || r->error)
		return;
	switch (what) {
	case BE_SEEN_FILE:
	case BE_SEEN_EXISTS:
		copy_file(r, be, path, keep);
		break;
	case BE_SEEN_LINK:
		copy_link(r, be, path);
		break;
	case BE_SEEN_DIR:
		make_dirs(r, path);
		break;
	}
}

static struct recorder *rec_of(struct backend *be)
{
	return be->tap.ctx;
}

/* libdrm's answers as drm/<bdf>/device files. */
static int rec_drm_devices(struct backend *be, struct drm_answer **out, size_t *n,
			   char *err, size_t errlen)
{
	struct recorder *r = rec_of(be);
	int ret = r->inner->drm_devices(be, out, n, err, errlen);
	size_t i;

	for (i = 0; !ret && i < *n; i++) {
		const struct drm_answer *a = &(*out)[i];
		char path[BE_PATH_MAX], buf[2048];
		int len = snprintf(buf, sizeof(buf), "vendor_id=0x%04x\ndevice_id=0x%04x\n",
				   a->vendor_id, a->device_id);

#define KV(key, cond, fmt, ...) \
		if ((cond) && len >= 0 && (size_t)len < sizeof(buf)) \
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, key "=" fmt "\n", \
					__VA_ARGS__)
		KV("render_node", *a->render_node, "%s", a->render_node);
		KV("driver", *a->driver, "%s", a->driver);
		KV("error", *a->error, "%s", a->error);
		KV("runtime_status", a->suspended, "%s", "suspended");
		KV("family_id", a->has_info, "%u", a->family_id);
		KV("ids_flags", a->has_info, "0x%llx", (unsigned long long)a->ids_flags);
		KV("ip_discovery_version", a->ip_discovery_version, "0x%06x",
		   a->ip_discovery_version);
		KV("marketing_name", *a->marketing_name, "%s", a->marketing_name);
#undef KV
		if (len < 0 || (size_t)len >= sizeof(buf)) {
			fail(r, -ENAMETOOLONG, a->bdf);
			break;
		}
		snprintf(path, sizeof(path), "/drm/%s/device", a->bdf);
		write_masked(r, path, buf, (size_t)len);
	}
	return ret;
}

/* --check: a recorded root's check file goes with it; a real GPU's result does not. */
static int rec_map_cc(struct backend *be, const struct drm_answer *gpu,
		      void (*mapped)(void *ctx), void *ctx, char *err, size_t errlen)
{
	struct recorder *r = rec_of(be);
	char path[BE_PATH_MAX], *data;
	ssize_t n;

	if (*be->root) {
		snprintf(path, sizeof(path), "/drm/%s/check", gpu->bdf);
		n = be_read_all(be, path, &data, 1 << 16);
		if (n >= 0) {
			write_file(r, path, data, (size_t)n);
			free(data);
		}
	}
	return r->inner->map_cc(be, gpu, mapped, ctx, err, errlen);
}

static int rec_load_env(struct backend *be, char *err, size_t errlen)
{
	return rec_of(be)->inner->load_env(be, err, errlen);
}

static int rec_read_log(struct backend *be, char **text, size_t *len, char *why,
			size_t whylen)
{
	return rec_of(be)->inner->read_log(be, text, len, why, whylen);
}

/* The answer as the recorded form: "" openable, else the error text. */
static int rec_dev_access(struct backend *be, const char *path)
{
	struct recorder *r = rec_of(be);
	int ret = r->inner->dev_access(be, path);
	char buf[128];

	if (ret != -ENODATA) {
		snprintf(buf, sizeof(buf), "%s%s", ret ? strerror(-ret) : "", ret ? "\n" : "");
		write_file(r, path, buf, strlen(buf));
	}
	return ret;
}

/* Only the variables the probe reads; SUDO_USER masked. */
static void write_env(struct recorder *r, const struct env *e, const char *path,
		      bool sudo_vars)
{
	size_t i, len = 0, cap = 0;
	char *buf = NULL;

	for (i = 0; i < e->n; i++) {
		const char *v = e->v[i];
		size_t l = strlen(v);
		bool keep = !strncmp(v, "HSA_OVERRIDE_GFX_VERSION", 24) ||
			    !strncmp(v, "ROCR_VISIBLE_DEVICES=", 21) ||
			    !strncmp(v, "HIP_VISIBLE_DEVICES=", 20) ||
			    (sudo_vars && (!strncmp(v, "SUDO_UID=", 9) ||
					   !strncmp(v, "SUDO_USER=", 10)));

		if (!keep)
			continue;
		if (!strncmp(v, "SUDO_USER=", 10)) {
			v = "SUDO_USER=user";
			l = strlen(v);
		}
		if (len + l + 2 > cap) {
			char *nb;

			cap = (len + l + 2) * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fail(r, -ENOMEM, path);
				return;
			}
			buf = nb;
		}
		memcpy(buf + len, v, l);
		len += l;
		buf[len++] = '\n';
	}
	write_file(r, path, buf ? buf : "", len);
	free(buf);
}

int record_start(struct recorder *r, struct backend *be, const char *dir,
		 char *err, size_t errlen)
{
	static const char *const user_vars[] = { "USER", "LOGNAME", "SUDO_USER" };
	struct utsname u;
	char (*names)[BE_NAME_MAX] = NULL;
	size_t n = 0, i;
	int e;

	memset(r, 0, sizeof(*r));
	if (strlen(dir) >= sizeof(r->dir) - 1) {
		snprintf(err, errlen, "--record %s: path too long", dir);
		return -ENAMETOOLONG;
	}
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	while (strlen(r->dir) > 1 && r->dir[strlen(r->dir) - 1] == '/')
		r->dir[strlen(r->dir) - 1] = '\0';
	if (mkdir(r->dir, 0755)) {
		e = errno;
		if (e != EEXIST ||
		    be_list(&(struct backend){ .root = "" }, r->dir, &names, &n, NULL) || n) {
			free(names);
			snprintf(err, errlen, "--record %s: %s", dir,
				 e == EEXIST ? "exists and is not an empty directory" :
				 strerror(e));
			return e == EEXIST ? -EEXIST : -e;
		}
		free(names);
	}
	/* the names the environment gives (no NSS lookup: the static build has none) */
	for (i = 0; i < sizeof(user_vars) / sizeof(user_vars[0]); i++)
		mask_add(&r->mask, be_getenv(be, user_vars[i]), "user");
	if (!uname(&u) && strlen(u.nodename) > 2 && strcmp(u.nodename, "localhost"))
		mask_add(&r->mask, u.nodename, "host");

	r->inner = be->ops;
	r->ops = (struct be_ops){
		.name = r->inner->name,
		.drm_devices = rec_drm_devices,
		.map_cc = rec_map_cc,
		.load_env = rec_load_env,
		.read_log = rec_read_log,
		.dev_access = rec_dev_access,
	};
	be->ops = &r->ops;
	be->tap.seen = seen;
	be->tap.ctx = r;

	write_env(r, &be->env, "/environ", true);
	if (be->sudo && be->user_env_known)
		write_env(r, &be->user_env, "/sudo-environ", false);
	if (r->error) {
		snprintf(err, errlen, "%s", r->err);
		return r->error;
	}
	return 0;
}

/*
 * What modprobe would load, for rmcp and an out-of-tree amdgpu: modules.dep's
 * lines that name them, and modules.dep.bin as it is (libkmod reads the index).
 */
static void write_modules_dep(struct recorder *r, const struct backend *be,
			      const struct model *m)
{
	char path[BE_PATH_MAX + 16], src[BE_PATH_MAX], *data, *line, *save = NULL;
	struct { char *buf; size_t len; } out = { NULL, 0 };
	ssize_t n;

	if (!*r->modules && *m->amdgpu_module && m->kernel_known)
		snprintf(r->modules, sizeof(r->modules), "/lib/modules/%s", m->kernel_release);
	if (!*r->modules)
		return;
	snprintf(path, sizeof(path), "%s/modules.dep.bin", r->modules);
	copy_file(r, be, path, KEEP_BINARY);
	snprintf(path, sizeof(path), "%s/modules.dep", r->modules);
	if (be_path(be, path, src, sizeof(src)))
		return;
	n = be_read_all(&(struct backend){ .root = "" }, src, &data, FILE_MAX);
	if (n < 0)
		return;
	out.buf = malloc((size_t)n + 1);
	if (!out.buf) {
		free(data);
		fail(r, -ENOMEM, path);
		return;
	}
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *slash;

		if (!colon)
			continue;
		*colon = '\0';
		slash = strrchr(line, '/');
		slash = slash ? slash + 1 : line;
		if (strncmp(slash, "rmcp.ko", 7) && strncmp(slash, "amdgpu.ko", 9))
			continue;
		*colon = ':';
		out.len += (size_t)sprintf(out.buf + out.len, "%s\n", line);
	}
	write_file(r, path, out.buf, out.len);
	free(out.buf);
	free(data);
}

/* The names libpci gave, as a pci.ids excerpt; a damaged pci.ids as it is. */
static void write_pci_ids(struct recorder *r, const struct backend *be, const struct model *m)
{
	char buf[4096] = "";
	size_t i, len = 0;

	if (be->pci_failed) {
		copy_file(r, be, "/usr/share/misc/pci.ids", KEEP_BINARY);
		return;
	}
	for (i = 0; i < m->ngpus; i++) {
		const struct gpu *g = &m->gpus[i];

		if (!*g->pci_name || len + STR_LONG + 64 > sizeof(buf))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%04x  Vendor %04x\n"
					"\t%04x  %s\n", g->vendor_id, g->vendor_id,
					g->device_id, g->pci_name);
	}
	if (len)
		write_file(r, "/usr/share/misc/pci.ids", buf, len);
}

int record_finish(struct recorder *r, struct backend *be, const struct model *m,
		  const char *args, char *err, size_t errlen)
{
	char *log = NULL, why[STR_LONG * 2] = "", readme[1024];
	size_t len = 0;

	/* the log the report was made from, or the running kernel's */
	if (m->log_tried && m->log_ok)
		write_masked(r, "/dmesg", m->log, m->log_len);
	else if (!m->log_tried && !r->inner->read_log(be, &log, &len, why, sizeof(why)))
		write_masked(r, "/dmesg", log, len);
	else if (m->log_tried)
		snprintf(why, sizeof(why), "%s", m->log_why);
	free(log);
	write_pci_ids(r, be, m);
	write_modules_dep(r, be, m);
	if (*args) {
		snprintf(readme, sizeof(readme), "%s\n", args);
		write_file(r, "/args", readme, strlen(readme));
	}
	snprintf(readme, sizeof(readme),
		 "A machine recorded by rmcp-probe --record.\n"
		 "Replay: RMCP_PROBE_ROOT=<this directory> rmcp-probe%s%s\n"
		 "User names, the host name and serial numbers are masked.\n"
		 "Kernel log: %s%s\n", *args ? " " : "", args,
		 *why ? "not recorded: " : "recorded (dmesg)", why);
	write_masked(r, "/README", readme, strlen(readme));
	be->tap.seen = NULL;
	be->ops = r->inner;
	if (r->error) {
		snprintf(err, errlen, "%s", r->err);
		return r->error;
	}
	return 0;
}
