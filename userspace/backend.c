// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: backend common part: files under the root, env, libpci. */
#include "backend.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RMCP_PROBE_NO_LIBPCI
#include <pci/pci.h>
#endif

#include "parse.h"

static int full_path(const struct backend *be, const char *path, char *out,
		     size_t outlen)
{
	int n = snprintf(out, outlen, "%s%s", be->root, path);

	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

static int load_fake_env(struct backend *be, char *err, size_t errlen)
{
	char buf[8192];
	ssize_t n = be_read(be, "/environ", buf, sizeof(buf));
	const char *s, *end;

	if (n == -ENOENT)
		return 0;
	if (n < 0) {
		snprintf(err, errlen, "%s/environ: %s", be->root, strerror((int)-n));
		return (int)n;
	}
	/* NAME=value per line, like /proc/<pid>/environ with newlines */
	for (s = buf, end = buf + n; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (l && *s != '#') {
			if (be->nenv == BE_MAX_ENV || l >= sizeof(be->env[0]) ||
			    !memchr(s, '=', l)) {
				snprintf(err, errlen, "%s/environ: bad line", be->root);
				return -EINVAL;
			}
			memcpy(be->env[be->nenv], s, l);
			be->env[be->nenv][l] = '\0';
			be->nenv++;
		}
		s += l + 1;
	}
	return 0;
}

int be_init(struct backend *be, const char *root, char *err, size_t errlen)
{
	memset(be, 0, sizeof(*be));
	if (!root || !*root)
		return 0;
	if (strlen(root) >= sizeof(be->root) - 128) {
		snprintf(err, errlen, "RMCP_PROBE_ROOT: path too long");
		return -ENAMETOOLONG;
	}
	be->fake = true;
	strcpy(be->root, root);
	while (strlen(be->root) > 1 && be->root[strlen(be->root) - 1] == '/')
		be->root[strlen(be->root) - 1] = '\0';
	if (!be_exists(be, "/")) {
		snprintf(err, errlen, "RMCP_PROBE_ROOT=%s: %s", root, strerror(errno));
		return -ENOENT;
	}
	return load_fake_env(be, err, errlen);
}

void be_fini(struct backend *be)
{
#ifndef RMCP_PROBE_NO_LIBPCI
	if (be->pci)
		pci_cleanup(be->pci);
#endif
	be->pci = NULL;
}

ssize_t be_read(const struct backend *be, const char *path, char *buf, size_t len)
{
	char p[BE_PATH_MAX];
	size_t i, got = 0;
	int fd, r;

	for (i = 0; i < be->noverlay; i++)
		if (!strcmp(be->overlay[i].path, path)) {
			size_t l = strlen(be->overlay[i].value);

			if (l > len)
				return -EFBIG;
			memcpy(buf, be->overlay[i].value, l);
			return (ssize_t)l;
		}
	r = full_path(be, path, p, sizeof(p));
	if (r)
		return r;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (got == len) {
			char extra;

			n = read(fd, &extra, 1);
			close(fd);
			return n > 0 ? -EFBIG : (ssize_t)got;
		}
		n = read(fd, buf + got, len - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			close(fd);
			return r;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (ssize_t)got;
}

bool be_exists(const struct backend *be, const char *path)
{
	char p[BE_PATH_MAX];

	return !full_path(be, path, p, sizeof(p)) && access(p, F_OK) == 0;
}

int be_readlink_base(const struct backend *be, const char *path, char *out,
		     size_t outlen)
{
	char p[BE_PATH_MAX], target[BE_PATH_MAX];
	const char *base;
	ssize_t n;
	int r = full_path(be, path, p, sizeof(p));

	if (r)
		return r;
	n = readlink(p, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= outlen)
		return -ENAMETOOLONG;
	strcpy(out, base);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

int be_list(const struct backend *be, const char *path, char (*names)[64],
	    size_t max, size_t *n)
{
	char p[BE_PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int r = full_path(be, path, p, sizeof(p));

	*n = 0;
	if (r)
		return r;
	dir = opendir(p);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (*n == max || strlen(d->d_name) >= 64)
			continue; /* too many or odd names: ignored */
		strcpy(names[(*n)++], d->d_name);
	}
	closedir(dir);
	qsort(names, *n, sizeof(names[0]), cmp_name);
	return 0;
}

const char *be_getenv(const struct backend *be, const char *name)
{
	size_t i, l = strlen(name);

	if (!be->fake)
		return getenv(name);
	for (i = 0; i < be->nenv; i++)
		if (!strncmp(be->env[i], name, l) && be->env[i][l] == '=')
			return be->env[i] + l + 1;
	return NULL;
}

int be_drm_devices(struct backend *be, struct drm_answer *out, size_t max,
		   size_t *n, char *err, size_t errlen)
{
	memset(out, 0, max * sizeof(*out));
	*n = 0;
	return be->fake ? fake_drm_devices(be, out, max, n, err, errlen)
			: sys_drm_devices(be, out, max, n, err, errlen);
}

int be_map_cc(struct backend *be, const struct drm_answer *gpu,
	      void (*mapped)(void *ctx), void *ctx, char *err, size_t errlen)
{
	return be->fake ? fake_map_cc(be, gpu, mapped, ctx, err, errlen)
			: sys_map_cc(be, gpu, mapped, ctx, err, errlen);
}

#ifdef RMCP_PROBE_NO_LIBPCI
/* The static build has no libpci (Debian ships no libpci.a): no pci.ids names. */
void be_pci_name(struct backend *be, uint16_t vendor, uint16_t device,
		 char *out, size_t outlen)
{
	(void)be;
	(void)vendor;
	(void)device;
	if (outlen)
		out[0] = '\0';
}
#else
static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

void be_pci_name(struct backend *be, uint16_t vendor, uint16_t device,
		 char *out, size_t outlen)
{
	struct pci_access *a = be->pci;
	char buf[256];
	const char *name;

	out[0] = '\0';
	if (!a) {
		a = pci_alloc();
		if (!a)
			return;
		a->warning = pci_quiet;
		a->debug = pci_quiet;
		if (be->fake) {
			char p[BE_PATH_MAX];

			if (full_path(be, "/usr/share/misc/pci.ids", p, sizeof(p))) {
				pci_cleanup(a);
				return;
			}
			char *copy = strdup(p);

			if (!copy) {
				pci_cleanup(a);
				return;
			}
			pci_set_name_list_path(a, copy, 1); /* libpci frees it */
		}
		be->pci = a;
	}
	name = pci_lookup_name(a, buf, sizeof(buf),
			       PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS |
			       (be->fake ? PCI_LOOKUP_NO_HWDB : 0),
			       vendor, device);
	if (name && strlen(name) < outlen)
		strcpy(out, name);
}
#endif
