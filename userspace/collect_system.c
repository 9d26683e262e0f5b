// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: the system, amdgpu's parameters and the environment. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors.h"
#include "modinfo.h"
#include "reader.h"
#include "text.h"

#define AMDGPU_PARAMS	"/sys/module/amdgpu/parameters"
#define SECURE_BOOT_VAR	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0f5a6f4bd8a"

/* Kernel series rmcp's ABI rows were proven on (design.md §3). */
static const struct {
	unsigned int major, minor;
} tested_kernels[] = { { 5, 10 }, { 6, 1 }, { 6, 12 }, { 7, 2 } };
#define NTESTED (sizeof(tested_kernels) / sizeof(tested_kernels[0]))

int kernel_cmp(unsigned int a1, unsigned int b1, unsigned int a2, unsigned int b2)
{
	return a1 != a2 ? (a1 < a2 ? -1 : 1) : b1 != b2 ? (b1 < b2 ? -1 : 1) : 0;
}

void collect_system(struct backend *be, struct model *m)
{
	char buf[64];
	size_t i;
	int n;

	read_str(be, m, "/proc/sys/kernel/osrelease", m->kernel_release,
		 sizeof(m->kernel_release), true);
	if (*m->kernel_release &&
	    !parse_kernel_release(m->kernel_release, strlen(m->kernel_release),
				  &m->kernel_major, &m->kernel_minor)) {
		m->kernel_known = true;
		m->kernel_range = 1;
		if (kernel_cmp(m->kernel_major, m->kernel_minor, tested_kernels[0].major,
			       tested_kernels[0].minor) < 0)
			m->kernel_range = -1;
		else if (kernel_cmp(m->kernel_major, m->kernel_minor,
				    tested_kernels[NTESTED - 1].major,
				    tested_kernels[NTESTED - 1].minor) > 0)
			m->kernel_range = 2;
		for (i = 0; i < NTESTED; i++)
			if (!kernel_cmp(m->kernel_major, m->kernel_minor,
					tested_kernels[i].major, tested_kernels[i].minor))
				m->kernel_range = 0;
	}

	m->efi.known = true;
	m->efi.v = be_exists(be, "/sys/firmware/efi");
	if (m->efi.v) {
		n = read_raw(be, m, SECURE_BOOT_VAR, buf, sizeof(buf), false);
		if (n >= 0) {
			enum parse_err e = parse_efivar_bool(buf, (size_t)n, &m->secure_boot.v);

			if (e)
				bad_value(m, SECURE_BOOT_VAR, e, buf, n);
			else
				m->secure_boot.known = true;
		}
	} else {
		m->secure_boot.known = true;
		m->secure_boot.v = false;
	}
	n = read_raw(be, m, "/sys/kernel/security/lockdown", buf, sizeof(buf), false);
	if (n >= 0) {
		enum lockdown l;
		enum parse_err e = parse_lockdown(buf, (size_t)n, &l);

		if (e) {
			bad_value(m, "/sys/kernel/security/lockdown", e, buf, n);
		} else {
			m->lockdown.known = true;
			m->lockdown.v = l;
		}
	}
	read_bool(be, m, "/sys/module/module/parameters/sig_enforce", &m->sig_enforce, false);
	if (be_exists(be, "/usr/sbin/update-initramfs"))
		snprintf(m->initramfs_cmd, sizeof(m->initramfs_cmd), "update-initramfs -u");
	else if (be_exists(be, "/usr/bin/dracut") || be_exists(be, "/usr/sbin/dracut"))
		snprintf(m->initramfs_cmd, sizeof(m->initramfs_cmd), "dracut -f");
	else
		snprintf(m->initramfs_cmd, sizeof(m->initramfs_cmd),
			 "update-initramfs -u, or dracut -f");
}

#define HSA_VAR "HSA_OVERRIDE_GFX_VERSION"

/* "HSA_OVERRIDE_GFX_VERSION_<n>=v" as the runtime names it ("%d"): node n. */
static bool per_node_var(const char *s, unsigned int *node, const char **value)
{
	const char *p = s + sizeof(HSA_VAR);
	unsigned long n = 0;

	if (strncmp(s, HSA_VAR "_", sizeof(HSA_VAR)) || *p < '0' || *p > '9' ||
	    (*p == '0' && p[1] != '='))
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > 65535)
			return false;
	}
	if (*p != '=')
		return false;
	*node = (unsigned int)n;
	*value = p + 1;
	return true;
}

/*
 * The environment ROCm jobs see: rmcp-probe's own, or under sudo the
 * invoking user's (sudo resets the environment, so root's says nothing).
 */
static void collect_env(struct backend *be, struct model *m)
{
	const struct env *e = &be->env;
	const char *h;
	size_t i;

	m->env_source = ENV_PROCESS;
	if (be->sudo) {
		h = be_getenv(be, "SUDO_USER");
		text_printable(h ? h : "", h ? strlen(h) : 0, m->sudo_user, sizeof(m->sudo_user));
		if (be->user_env_known) {
			e = &be->user_env;
			m->env_source = ENV_SUDO_USER;
		} else {
			m->env_source = ENV_SUDO_ROOT;
			snprintf(m->env_why, sizeof(m->env_why), "%s", be->user_env_why);
		}
	}
	h = env_get(e, HSA_VAR);
	if (h) {
		m->hsa_set = true;
		m->hsa_raw_truncated = strlen(h) >= sizeof(m->hsa_raw);
		snprintf(m->hsa_raw, sizeof(m->hsa_raw), "%s", h);
		text_printable(h, strlen(h), m->hsa_override, sizeof(m->hsa_override));
	}
	h = env_get(e, "ROCR_VISIBLE_DEVICES");
	if (h) {
		m->rocr_visible_set = true;
		text_printable(h, strlen(h), m->rocr_visible, sizeof(m->rocr_visible));
	}
	h = env_get(e, "HIP_VISIBLE_DEVICES");
	if (h) {
		m->hip_visible_set = true;
		text_printable(h, strlen(h), m->hip_visible, sizeof(m->hip_visible));
	}
	for (i = 0; i < e->n; i++) {
		struct hsa_node_var *v;
		unsigned int node;
		const char *val;

		if (!per_node_var(e->v[i], &node, &val))
			continue;
		v = realloc(m->hsa_nodes, (m->nhsa_nodes + 1) * sizeof(*v));
		if (!v) {
			m->oom = true;
			return;
		}
		m->hsa_nodes = v;
		v = &m->hsa_nodes[m->nhsa_nodes++];
		memset(v, 0, sizeof(*v));
		v->node = node;
		snprintf(v->value, sizeof(v->value), "%s", val);
	}
}

/* "amdgpu.noretry=" on the command line wins; else an options line in modprobe.d. */
static void noretry_origin(struct backend *be, struct model *m)
{
	static const char *const dirs[] = { "/etc/modprobe.d", "/run/modprobe.d",
					    "/usr/lib/modprobe.d", "/lib/modprobe.d" };
	char buf[4096], path[BE_PATH_MAX];
	char (*names)[BE_NAME_MAX];
	size_t i, k, n;
	ssize_t l;

	l = be_read(be, "/proc/cmdline", buf, sizeof(buf) - 1);
	if (l > 0) {
		buf[l] = '\0';
		if (strstr(buf, "amdgpu.noretry=")) {
			snprintf(m->noretry_origin, sizeof(m->noretry_origin),
				 "the kernel command line (/proc/cmdline)");
			return;
		}
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (be_list(be, dirs[i], &names, &n, NULL))
			continue;
		for (k = 0; k < n; k++) {
			char *line, *save = NULL;

			if (strlen(names[k]) < 6 || strcmp(names[k] + strlen(names[k]) - 5, ".conf"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i], names[k]);
			l = be_read(be, path, buf, sizeof(buf) - 1);
			if (l <= 0)
				continue;
			buf[l] = '\0';
			for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
				const char *p = line;

				while (*p == ' ' || *p == '\t')
					p++;
				if (!strncmp(p, "options", 7) && strstr(p, " amdgpu ") &&
				    strstr(p, "noretry=")) {
					snprintf(m->noretry_origin, sizeof(m->noretry_origin), "%s", path);
					free(names);
					return;
				}
			}
		}
		free(names);
	}
}

void collect_amdgpu(struct backend *be, struct model *m)
{
	char taint[32];
	ssize_t n;

	m->amdgpu_loaded = be_exists(be, "/sys/module/amdgpu/initstate") ||
			   be_exists(be, AMDGPU_PARAMS);
	if (!m->amdgpu_loaded)
		return;
	read_int(be, m, AMDGPU_PARAMS "/noretry", -1, 1, false, &m->amdgpu_noretry, false);
	read_int(be, m, AMDGPU_PARAMS "/vm_fragment_size", -1, 9, false,
		 &m->amdgpu_vm_fragment_size, false);
	/* provenance: an out-of-tree amdgpu (amdgpu-dkms) carries taint O */
	n = be_read(be, "/sys/module/amdgpu/taint", taint, sizeof(taint) - 1);
	if (n >= 0) {
		taint[n] = '\0';
		m->amdgpu_out_of_tree.known = true;
		m->amdgpu_out_of_tree.v = strchr(taint, 'O') != NULL;
	}
	read_str(be, m, "/sys/module/amdgpu/version", m->amdgpu_version,
		 sizeof(m->amdgpu_version), false);
	read_str(be, m, "/sys/module/amdgpu/srcversion", m->amdgpu_srcversion,
		 sizeof(m->amdgpu_srcversion), false);
	/*
	 * An out-of-tree amdgpu (amdgpu-dkms): which file modprobe loads, from
	 * modules.dep through libkmod. Not asked for the in-tree one: libkmod is
	 * loaded only when needed (start-up time).
	 */
	if (m->amdgpu_out_of_tree.known && m->amdgpu_out_of_tree.v && m->kernel_known) {
		char dir[BE_PATH_MAX], moddir[BE_PATH_MAX], file[BE_PATH_MAX];
		char root[PATH_MAX] = "";
		const char *shown = file;
		size_t rl;

		/* libkmod answers with an absolute path: the recorded root is not shown */
		if (*be->root && !realpath(be->root, root))
			root[0] = '\0';
		rl = strlen(root);
		snprintf(dir, sizeof(dir), "/lib/modules/%s", m->kernel_release);
		if (!be_path(be, dir, moddir, sizeof(moddir)) &&
		    !modinfo_lookup(moddir, "amdgpu", file, sizeof(file))) {
			if (rl && !strncmp(file, root, rl) && file[rl] == '/')
				shown = file + rl;
			text_printable(shown, strlen(shown), m->amdgpu_module,
				       sizeof(m->amdgpu_module));
		}
	}
	if (m->amdgpu_noretry.known && m->amdgpu_noretry.v != -1)
		noretry_origin(be, m);
}

void collect_environment(struct backend *be, struct model *m)
{
	collect_env(be, m);
}
