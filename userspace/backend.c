// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: backend common part: files under the root, libpci names. */
#include "backend.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RMCP_PROBE_NO_LIBPCI
#include <pci/pci.h>
#endif

int be_path(const struct backend *be, const char *path, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s%s", be->root, path);

	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

int be_init(struct backend *be, const char *root, char *err, size_t errlen)
{
	struct stat st;
	char p[BE_PATH_MAX];

	memset(be, 0, sizeof(*be));
	be->ops = &be_sys_ops;
	if (root && *root) {
		if (strlen(root) >= sizeof(be->root) - 128) {
			snprintf(err, errlen, "RMCP_PROBE_ROOT: path too long");
			return -ENAMETOOLONG;
		}
		be->ops = &be_fake_ops;
		snprintf(be->root, sizeof(be->root), "%s", root);
		while (strlen(be->root) > 1 && be->root[strlen(be->root) - 1] == '/')
			be->root[strlen(be->root) - 1] = '\0';
		be_path(be, "/", p, sizeof(p));
		if (stat(p, &st) || !S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "RMCP_PROBE_ROOT=%s: %s", root,
				 errno && !S_ISDIR(st.st_mode) ? strerror(errno) :
				 "not a directory");
			return -ENOENT;
		}
	}
	return be->ops->load_env(be, err, errlen);
}

void be_fini(struct backend *be)
{
#ifndef RMCP_PROBE_NO_LIBPCI
	if (be->pci)
		pci_cleanup(be->pci);
#endif
	be->pci = NULL;
	env_free(&be->env);
	env_free(&be->user_env);
}

static const struct be_overlay *overlay_of(const struct backend *be, const char *path)
{
	size_t i;

	for (i = 0; i < be->noverlay; i++)
		if (!strcmp(be->overlay[i].path, path))
			return &be->overlay[i];
	return NULL;
}

static void tap(const struct backend *be, const char *path, enum be_seen what)
{
	if (be->tap.seen)
		be->tap.seen(be->tap.ctx, be, path, what);
}

/* Opens root + path for reading without blocking; regular files only. */
static int open_regular(const struct backend *be, const char *path)
{
	char p[BE_PATH_MAX];
	struct stat st;
	int fd, r = be_path(be, path, p, sizeof(p));

	if (r)
		return r;
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	tap(be, path, BE_SEEN_FILE);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

ssize_t be_read(const struct backend *be, const char *path, char *buf, size_t len)
{
	const struct be_overlay *o = overlay_of(be, path);
	size_t got = 0;
	int fd, r;

	if (o) {
		size_t l = strlen(o->value);

		if (l > len)
			return -EFBIG;
		memcpy(buf, o->value, l);
		return (ssize_t)l;
	}
	fd = open_regular(be, path);
	if (fd < 0)
		return fd;
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

ssize_t be_read_all(const struct backend *be, const char *path, char **out, size_t max)
{
	size_t cap = 4096, got = 0;
	char *buf = NULL;
	int fd = open_regular(be, path);

	*out = NULL;
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n;

		if (got + 1 >= cap || !buf) {
			char *nb;

			if (buf)
				cap *= 2;
			if (cap > max + 1)
				cap = max + 1;
			if (got + 1 >= cap) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;

			free(buf);
			close(fd);
			return r;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	return (ssize_t)got;
}

bool be_exists(const struct backend *be, const char *path)
{
	char p[BE_PATH_MAX];

	if (be_path(be, path, p, sizeof(p)) || access(p, F_OK))
		return false;
	tap(be, path, BE_SEEN_EXISTS);
	return true;
}

int be_readlink_base(const struct backend *be, const char *path, char *out,
		     size_t outlen)
{
	char p[BE_PATH_MAX], target[BE_PATH_MAX];
	const char *base;
	ssize_t n;
	int r = be_path(be, path, p, sizeof(p));

	if (r)
		return r;
	n = readlink(p, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	tap(be, path, BE_SEEN_LINK);
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

int be_list(const struct backend *be, const char *path, char (**names)[BE_NAME_MAX],
	    size_t *n, size_t *skipped)
{
	char p[BE_PATH_MAX], (*v)[BE_NAME_MAX] = NULL;
	size_t cap = 0;
	struct dirent *d;
	DIR *dir;
	int r = be_path(be, path, p, sizeof(p));

	*n = 0;
	*names = NULL;
	if (skipped)
		*skipped = 0;
	if (r)
		return r;
	dir = opendir(p);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (strlen(d->d_name) >= BE_NAME_MAX) {
			if (skipped)
				(*skipped)++;
			continue;
		}
		if (*n == cap) {
			char (*nv)[BE_NAME_MAX];

			cap = cap ? cap * 2 : 32;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(dir);
				*n = 0;
				return -ENOMEM;
			}
			v = nv;
		}
		strcpy(v[(*n)++], d->d_name);
	}
	closedir(dir);
	tap(be, path, BE_SEEN_DIR);
	if (*n)
		qsort(v, *n, sizeof(v[0]), cmp_name);
	*names = v;
	return 0;
}

const char *be_getenv(const struct backend *be, const char *name)
{
	return env_get(&be->env, name);
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
/*
 * libpci's error callback must not return (it is declared noreturn and its
 * default exits the program): a damaged pci.ids jumps back here instead.
 */
static jmp_buf pci_jmp;
static char pci_msg[200];

static void pci_fatal(char *msg, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void pci_fatal(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_msg, sizeof(pci_msg), msg, ap);
	va_end(ap);
	longjmp(pci_jmp, 1);
}

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

static struct pci_access *pci_open(struct backend *be)
{
	struct pci_access *a = pci_alloc();
	char p[BE_PATH_MAX];
	struct stat st;

	if (!a)
		return NULL;
	a->error = pci_fatal;
	a->warning = pci_quiet;
	a->debug = pci_quiet;
	if (*be->root) {
		char *copy;

		if (be_path(be, "/usr/share/misc/pci.ids", p, sizeof(p)) ||
		    !(copy = strdup(p))) {
			pci_cleanup(a);
			return NULL;
		}
		pci_set_name_list_path(a, copy, 1); /* libpci frees it */
	}
	/* libpci fopen()s the list: a FIFO there would block the probe */
	if (a->id_file_name && !stat(a->id_file_name, &st) && !S_ISREG(st.st_mode)) {
		snprintf(be->pci_error, sizeof(be->pci_error), "libpci: %s: not a regular "
			 "file", *be->root ? "/usr/share/misc/pci.ids" : a->id_file_name);
		pci_cleanup(a);
		return NULL;
	}
	pci_init(a);
	return a;
}

void be_pci_name(struct backend *be, uint16_t vendor, uint16_t device,
		 char *out, size_t outlen)
{
	struct pci_access *volatile a = be->pci;
	char buf[256];
	const char *name;

	out[0] = '\0';
	if (be->pci_failed)
		return;
	if (setjmp(pci_jmp)) {
		char *nl = strchr(pci_msg, '\n');

		if (nl)
			*nl = '\0';
		snprintf(be->pci_error, sizeof(be->pci_error), "libpci: %s", pci_msg);
		be->pci_failed = true;
		if (a)
			pci_cleanup(a);
		be->pci = NULL;
		return;
	}
	if (!a) {
		a = pci_open(be);
		if (!a) {
			be->pci_failed = true;
			if (!*be->pci_error)
				snprintf(be->pci_error, sizeof(be->pci_error),
					 "libpci: cannot initialise");
			return;
		}
		be->pci = a;
	}
	name = pci_lookup_name(a, buf, sizeof(buf),
			       PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS |
			       (*be->root ? PCI_LOOKUP_NO_HWDB : 0),
			       vendor, device);
	if (name && strlen(name) < outlen)
		strcpy(out, name);
}
#endif
