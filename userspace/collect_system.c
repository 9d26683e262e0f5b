// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: the system, amdgpu's parameters and the environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors.h"
#include "reader.h"
#include "text.h"

#define AMDGPU_PARAMS	"/sys/module/amdgpu/parameters"
#define SECURE_BOOT_VAR	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0f5a6f4bd8a"

/* Kernel series rmcp's ABI rows were proven on (design.md §3). */
static const struct {
	unsigned int major, minor;
} tested_kernels[] = { { 6, 1 }, { 6, 12 }, { 7, 2 } };
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

void collect_amdgpu(struct backend *be, struct model *m)
{
	m->amdgpu_loaded = be_exists(be, "/sys/module/amdgpu/initstate") ||
			   be_exists(be, AMDGPU_PARAMS);
	if (!m->amdgpu_loaded)
		return;
	read_int(be, m, AMDGPU_PARAMS "/noretry", -1, 1, false, &m->amdgpu_noretry, false);
	read_int(be, m, AMDGPU_PARAMS "/vm_fragment_size", -1, 9, false,
		 &m->amdgpu_vm_fragment_size, false);
}

void collect_environment(struct backend *be, struct model *m)
{
	collect_env(be, m);
}
