// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: collect everything about the machine into the model. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rmcp/ids.h>
#include <rmcp/sysfs.h>

#include "ids.h"
#include "probe.h"

#define AMDGPU_PARAMS	"/sys/module/amdgpu/parameters"
#define PCI_DEVICES	"/sys/bus/pci/devices"
#define SECURE_BOOT_VAR	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0f5a6f4bd8a"
#define GC_HWID		"11"	/* GC_HWID in amdgpu's soc15_hw_ip.h */

const char *gc_source_name(enum gc_source s)
{
	static const char *const n[] = { "none", "hw_ip", "ip_discovery", "pci_id" };

	return s <= GC_TABLE ? n[s] : "none";
}

const char *severity_name(enum severity s)
{
	return s == SEV_PROBLEM ? "problem" : s == SEV_WARNING ? "warning" : "info";
}

const char *check_result_name(enum check_result r)
{
	static const char *const n[] = { "not-run", "pass", "fail", "cannot-prove", "error" };

	return r <= CHECK_ERROR ? n[r] : "error";
}

const char *lockdown_name(int l)
{
	static const char *const n[] = { "none", "integrity", "confidentiality" };

	return l >= 0 && l <= 2 ? n[l] : "unknown";
}

void add_finding(struct model *m, const char *id, enum severity sev,
		 const char *gpu, const char *fix, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (m->nfindings == MAX_FINDINGS)
		return;
	f = &m->findings[m->nfindings++];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->sev = sev;
	snprintf(f->gpu, sizeof(f->gpu), "%s", gpu ? gpu : "");
	snprintf(f->fix, sizeof(f->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
}

/*
 * Reads one value. Missing files are silent (-ENOENT) unless must is set;
 * every other failure becomes a "sysfs-value" warning that names the file.
 */
static int read_raw(struct backend *be, struct model *m, const char *path,
		    char *buf, size_t len, bool must)
{
	ssize_t n = be_read(be, path, buf, len);

	if (n >= 0)
		return (int)n;
	if (n != -ENOENT || must)
		add_finding(m, "sysfs-value", SEV_WARNING, NULL, NULL, "%s: %s", path,
			    n == -EFBIG ? "file too large" : strerror((int)-n));
	return (int)n;
}

static void bad_value(struct model *m, const char *path, enum parse_err e,
		      const char *buf, int n)
{
	char shown[40];
	int i, k = 0;

	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	for (i = 0; i < n && k < 32; i++)
		shown[k++] = (buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '"') ? buf[i] : '?';
	shown[k] = '\0';
	add_finding(m, "sysfs-value", SEV_WARNING, NULL, NULL, "%s: %s (\"%s%s\")",
		    path, parse_strerror(e), shown, n > 32 ? "..." : "");
}

/*
 * Read @path (at most @len bytes, 1024 at the most) and hand it to @parse;
 * a value @parse refuses becomes a finding that names the file.
 */
static bool read_value(struct backend *be, struct model *m, const char *path,
		       size_t len, bool must,
		       enum parse_err (*parse)(const char *, size_t, void *), void *ctx)
{
	char buf[1024];
	int n = read_raw(be, m, path, buf, len < sizeof(buf) ? len : sizeof(buf), must);
	enum parse_err e;

	if (n < 0)
		return false;
	e = parse(buf, (size_t)n, ctx);
	if (e)
		bad_value(m, path, e, buf, n);
	return !e;
}

struct str_req { char *out; size_t outlen; };
struct int_req { int64_t min, max; bool hex; int64_t *v; };
struct word_req { const char *const *words; int w; };

static enum parse_err parse_str_cb(const char *b, size_t n, void *c)
{
	struct str_req *r = c;

	return parse_line(b, n, r->out, r->outlen);
}

static enum parse_err parse_int_cb(const char *b, size_t n, void *c)
{
	struct int_req *r = c;

	return parse_int(b, n, r->min, r->max, r->hex, r->v);
}

static enum parse_err parse_u64_cb(const char *b, size_t n, void *c)
{
	return parse_u64(b, n, c);
}

static enum parse_err parse_bool_cb(const char *b, size_t n, void *c)
{
	return parse_bool(b, n, c);
}

static enum parse_err parse_word_cb(const char *b, size_t n, void *c)
{
	struct word_req *r = c;

	return parse_word(b, n, r->words, &r->w);
}

static void read_str(struct backend *be, struct model *m, const char *path,
		     char *out, size_t outlen, bool must)
{
	struct str_req r = { out, outlen };

	out[0] = '\0';
	read_value(be, m, path, 1024, must, parse_str_cb, &r);
}

static void read_int(struct backend *be, struct model *m, const char *path,
		     int64_t min, int64_t max, bool hex, struct opt_int *out, bool must)
{
	struct int_req r = { min, max, hex, &out->v };

	out->known = read_value(be, m, path, 64, must, parse_int_cb, &r);
}

static void read_u64(struct backend *be, struct model *m, const char *path,
		     struct opt_u64 *out, bool must)
{
	out->known = read_value(be, m, path, 64, must, parse_u64_cb, &out->v);
}

static void read_bool(struct backend *be, struct model *m, const char *path,
		      struct opt_bool *out, bool must)
{
	out->known = read_value(be, m, path, 64, must, parse_bool_cb, &out->v);
}

/* A word from a fixed set; anything else is reported and left "". */
static void read_word(struct backend *be, struct model *m, const char *path,
		      const char *const *words, char *out, size_t outlen, bool must)
{
	struct word_req r = { words, 0 };

	out[0] = '\0';
	if (read_value(be, m, path, 256, must, parse_word_cb, &r))
		snprintf(out, outlen, "%s", words[r.w]);
}

/* Kernel series rmcp's ABI rows were proven on (design.md §3). */
static const struct {
	unsigned int major, minor;
} tested_kernels[] = { { 6, 1 }, { 6, 12 }, { 7, 2 } };
#define NTESTED (sizeof(tested_kernels) / sizeof(tested_kernels[0]))

static int kernel_cmp(unsigned int a1, unsigned int b1, unsigned int a2, unsigned int b2)
{
	return a1 != a2 ? (a1 < a2 ? -1 : 1) : b1 != b2 ? (b1 < b2 ? -1 : 1) : 0;
}

static void collect_system(struct backend *be, struct model *m)
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

	{
		const char *h = be_getenv(be, "HSA_OVERRIDE_GFX_VERSION");

		if (h) {
			m->hsa_set = true;
			if (parse_line(h, strlen(h), m->hsa_override, sizeof(m->hsa_override)))
				snprintf(m->hsa_override, sizeof(m->hsa_override), "?");
		}
	}
}

static void collect_amdgpu(struct backend *be, struct model *m)
{
	m->amdgpu_loaded = be_exists(be, "/sys/module/amdgpu/initstate") ||
			   be_exists(be, AMDGPU_PARAMS);
	if (!m->amdgpu_loaded)
		return;
	read_int(be, m, AMDGPU_PARAMS "/noretry", -1, 1, false, &m->amdgpu_noretry, false);
	read_int(be, m, AMDGPU_PARAMS "/vm_fragment_size", -1, 9, false,
		 &m->amdgpu_vm_fragment_size, false);
}

/* Is the rmcp.ko that modprobe would load signed? Only uncompressed .ko is read. */
static void module_signature(struct backend *be, struct model *m)
{
	static const char *const dirs[] = { "updates/dkms", "extra", "updates", "misc" };
	static const char magic[] = "~Module signature appended~\n";
	char path[BE_PATH_MAX];
	size_t i;

	m->module_signed = -1;
	if (!m->kernel_known)
		return;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *buf;
		ssize_t n;

		snprintf(path, sizeof(path), "/lib/modules/%s/%s/rmcp.ko",
			 m->kernel_release, dirs[i]);
		if (!be_exists(be, path)) {
			static const char *const z[] = { ".xz", ".zst", ".gz" };
			size_t k;

			for (k = 0; k < 3; k++) {
				snprintf(path, sizeof(path), "/lib/modules/%s/%s/rmcp.ko%s",
					 m->kernel_release, dirs[i], z[k]);
				if (be_exists(be, path)) {
					snprintf(m->module_sig_basis, sizeof(m->module_sig_basis),
						 "%s is compressed; its signature was not read", path);
					return;
				}
			}
			continue;
		}
		buf = malloc(8 << 20);
		if (!buf)
			return;
		n = be_read(be, path, buf, 8 << 20);
		if (n < 0) {
			snprintf(m->module_sig_basis, sizeof(m->module_sig_basis), "%s: %s",
				 path, strerror((int)-n));
		} else {
			size_t l = sizeof(magic) - 1;

			m->module_signed = (size_t)n >= l && !memcmp(buf + n - l, magic, l);
			snprintf(m->module_sig_basis, sizeof(m->module_sig_basis), "%s", path);
		}
		free(buf);
		return;
	}
	snprintf(m->module_sig_basis, sizeof(m->module_sig_basis),
		 "no rmcp.ko under /lib/modules/%s", m->kernel_release);
}

static void collect_rmcp(struct backend *be, struct model *m)
{
	static const char *const states[] = { RMCP_STATE_IDLE, RMCP_STATE_ARMED,
		RMCP_STATE_DEGRADED, RMCP_STATE_REFUSED, RMCP_STATE_DISABLED, NULL };
	static const char *const selftests[] = { RMCP_SELFTEST_NOT_RUN,
		RMCP_SELFTEST_PASS, RMCP_SELFTEST_FAIL, NULL };
	const char *P = RMCP_SYSFS_MODULE "/" RMCP_SYSFS_PARAMS "/";
	const char *S = RMCP_SYSFS_MODULE "/" RMCP_SYSFS_STATUS "/";
	char path[BE_PATH_MAX], taint[32];
	enum parse_err e;
	ssize_t n;

#define PATH(dir, name) (snprintf(path, sizeof(path), "%s%s", dir, name), path)
	m->rmcp_loaded = be_exists(be, RMCP_SYSFS_MODULE "/" RMCP_SYSFS_STATUS);
	if (!m->rmcp_loaded) {
		if (be_exists(be, RMCP_SYSFS_MODULE))
			add_finding(m, "rmcp-no-status", SEV_WARNING, NULL, NULL,
				    "%s exists but has no %s/ directory: not the rmcp this "
				    "rmcp-probe knows", RMCP_SYSFS_MODULE, RMCP_SYSFS_STATUS);
		module_signature(be, m);
		return;
	}
	read_str(be, m, PATH(S, RMCP_S_VERSION), m->rmcp_version, sizeof(m->rmcp_version), true);
	read_word(be, m, PATH(S, RMCP_S_STATE), states, m->rmcp_state,
		  sizeof(m->rmcp_state), true);
	read_str(be, m, PATH(S, RMCP_S_REASON), m->rmcp_reason, sizeof(m->rmcp_reason), true);
	read_str(be, m, PATH(S, RMCP_S_KERNEL_ABI), m->rmcp_kernel_abi,
		 sizeof(m->rmcp_kernel_abi), true);
	read_word(be, m, PATH(S, RMCP_S_SELFTEST), selftests, m->rmcp_selftest,
		  sizeof(m->rmcp_selftest), true);
	read_u64(be, m, PATH(S, RMCP_S_NMISSED), &m->rmcp_nmissed, true);

	read_bool(be, m, PATH(P, RMCP_P_ENABLE), &m->p_enable, true);
	read_int(be, m, PATH(P, RMCP_P_NORETRY), -1, 1, false, &m->p_noretry, true);
	read_int(be, m, PATH(P, RMCP_P_VM_FRAGMENT_SIZE), -1, 9, false,
		 &m->p_vm_fragment_size, true);
	read_bool(be, m, PATH(P, RMCP_P_APU), &m->p_apu, true);
	read_str(be, m, PATH(P, RMCP_P_EXTRA_IDS), m->p_extra_ids, sizeof(m->p_extra_ids), true);
	e = parse_id_list(m->p_extra_ids, strlen(m->p_extra_ids), &m->extra_ids);
	if (e)
		bad_value(m, PATH(P, RMCP_P_EXTRA_IDS), e, m->p_extra_ids,
			  (int)strlen(m->p_extra_ids));
	read_str(be, m, PATH(P, RMCP_P_EXCLUDE_IDS), m->p_exclude_ids,
		 sizeof(m->p_exclude_ids), true);
	e = parse_id_list(m->p_exclude_ids, strlen(m->p_exclude_ids), &m->exclude_ids);
	if (e)
		bad_value(m, PATH(P, RMCP_P_EXCLUDE_IDS), e, m->p_exclude_ids,
			  (int)strlen(m->p_exclude_ids));

	/* taint flag E: loaded without a valid signature */
	m->module_signed = -1;
	n = be_read(be, RMCP_SYSFS_MODULE "/taint", taint, sizeof(taint) - 1);
	if (n >= 0) {
		taint[n] = '\0';
		m->module_signed = !strchr(taint, 'E');
		snprintf(m->module_sig_basis, sizeof(m->module_sig_basis),
			 RMCP_SYSFS_MODULE "/taint");
	}
#undef PATH
}

static void collect_rmcp_device(struct backend *be, struct model *m, struct gpu *g)
{
	static const char *const matched[] = { RMCP_MATCH_TABLE, RMCP_MATCH_EXTRA,
		RMCP_MATCH_EXCLUDED, RMCP_MATCH_APU_OFF, RMCP_MATCH_NONE, NULL };
	static const char *const policies[] = { RMCP_POLICY_APPLIED,
		RMCP_POLICY_TOO_LATE, RMCP_POLICY_SKIPPED, RMCP_POLICY_PENDING, NULL };
	struct rmcp_dev_state *d = &g->rmcp;
	char dir[BE_PATH_MAX], path[BE_PATH_MAX + 32];

	snprintf(dir, sizeof(dir), RMCP_SYSFS_MODULE "/" RMCP_SYSFS_DEVICES "/%s/", g->bdf);
	if (!m->rmcp_loaded || !be_exists(be, dir))
		return;
	d->present = true;
#define PATH(name) (snprintf(path, sizeof(path), "%s%s", dir, name), path)
	read_str(be, m, PATH(RMCP_D_PCI_ID), d->pci_id, sizeof(d->pci_id), true);
	read_str(be, m, PATH(RMCP_D_FAMILY), d->family, sizeof(d->family), true);
	read_str(be, m, PATH(RMCP_D_GFX), d->gfx, sizeof(d->gfx), true);
	read_word(be, m, PATH(RMCP_D_MATCHED), matched, d->matched, sizeof(d->matched), true);
	read_word(be, m, PATH(RMCP_D_POLICY), policies, d->policy, sizeof(d->policy), true);
	read_int(be, m, PATH(RMCP_D_NORETRY), -1, 1, false, &d->noretry, true);
	read_int(be, m, PATH(RMCP_D_VM_FRAGMENT_SIZE), -1, 9, false, &d->vm_fragment_size, true);
	read_u64(be, m, PATH(RMCP_D_CALLS), &d->calls, true);
	read_u64(be, m, PATH(RMCP_D_CC_SEEN), &d->cc_seen, true);
	read_u64(be, m, PATH(RMCP_D_CC_REWRITTEN), &d->cc_rewritten, true);
	read_u64(be, m, PATH(RMCP_D_REJECTED), &d->rejected, true);
#undef PATH
}

static struct gpu *gpu_get(struct model *m, const char *bdf)
{
	size_t i;

	for (i = 0; i < m->ngpus; i++)
		if (!strcmp(m->gpus[i].bdf, bdf))
			return &m->gpus[i];
	if (m->ngpus == MAX_GPUS)
		return NULL;
	memset(&m->gpus[m->ngpus], 0, sizeof(m->gpus[0]));
	snprintf(m->gpus[m->ngpus].bdf, sizeof(m->gpus[0].bdf), "%s", bdf);
	return &m->gpus[m->ngpus++];
}

static int cmp_gpu(const void *a, const void *b)
{
	return strcmp(((const struct gpu *)a)->bdf, ((const struct gpu *)b)->bdf);
}

/* Identity and GC version of one PCI function from sysfs. */
static void collect_pci(struct backend *be, struct model *m, struct gpu *g)
{
	char dir[BE_PATH_MAX], path[BE_PATH_MAX + 64];
	struct opt_int v, maj, min, rev;

	snprintf(dir, sizeof(dir), PCI_DEVICES "/%s/", g->bdf);
	if (!be_exists(be, dir))
		return;
#define PATH(name) (snprintf(path, sizeof(path), "%s%s", dir, name), path)
	read_int(be, m, PATH("vendor"), 0, 0xffff, true, &v, false);
	if (v.known)
		g->vendor_id = (uint16_t)v.v;
	read_int(be, m, PATH("device"), 0, 0xffff, true, &v, false);
	if (v.known)
		g->device_id = (uint16_t)v.v;
	read_int(be, m, PATH("subsystem_vendor"), 0, 0xffff, true, &v, false);
	if (v.known) {
		g->subvendor_id = (uint16_t)v.v;
		read_int(be, m, PATH("subsystem_device"), 0, 0xffff, true, &v, false);
		g->subdevice_id = (uint16_t)v.v;
		g->has_subsys = v.known;
	}
	read_int(be, m, PATH("revision"), 0, 0xff, true, &v, false);
	if (v.known)
		g->revision = (uint8_t)v.v;
	if (!*g->driver)
		be_readlink_base(be, PATH("driver"), g->driver, sizeof(g->driver));
	/* GC version from IP discovery (die 0, GC hw_id 11, instance 0) */
	if (g->gc_source == GC_NONE) {
		read_int(be, m, PATH("ip_discovery/die/0/" GC_HWID "/0/major"), 0, 255,
			 false, &maj, false);
		read_int(be, m, PATH("ip_discovery/die/0/" GC_HWID "/0/minor"), 0, 255,
			 false, &min, false);
		read_int(be, m, PATH("ip_discovery/die/0/" GC_HWID "/0/revision"), 0, 255,
			 false, &rev, false);
		if (maj.known && min.known && rev.known && maj.v) {
			g->gc.major = (unsigned int)maj.v;
			g->gc.minor = (unsigned int)min.v;
			g->gc.rev = (unsigned int)rev.v;
			g->gc_source = GC_SYSFS;
		}
	}
#undef PATH
}

/* AMD display-class PCI functions from sysfs, bound to a driver or not. */
static void scan_pci(struct backend *be, struct model *m)
{
	char (*names)[64] = calloc(512, 64);
	char path[BE_PATH_MAX], buf[32];
	size_t n = 0, i;
	int64_t v;

	if (!names)
		return;
	be_list(be, PCI_DEVICES, names, 512, &n);
	for (i = 0; i < n; i++) {
		ssize_t l;

		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", names[i]);
		l = be_read(be, path, buf, sizeof(buf));
		if (l < 0 || parse_int(buf, (size_t)l, 0, 0xffff, true, &v) ||
		    v != RMCP_PCI_VENDOR_AMD)
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/class", names[i]);
		l = be_read(be, path, buf, sizeof(buf));
		if (l < 0 || parse_int(buf, (size_t)l, 0, 0xffffff, true, &v) ||
		    (v >> 16) != 0x03)
			continue;
		if (strlen(names[i]) < 16)
			gpu_get(m, names[i]);
	}
	free(names);
}

static void classify(struct model *m, struct gpu *g)
{
	const struct rmcp_gpu_id *id = rmcp_id_lookup(g->vendor_id, g->device_id);

	g->in_table = id != NULL;
	if (id) {
		snprintf(g->chip, sizeof(g->chip), "%s", id->chip);
		g->apu = id->kind == RMCP_KIND_APU;
		g->kind_known = true;
		if (g->gc_source == GC_NONE) {
			g->gc.major = id->gc_major;
			g->gc.minor = id->gc_minor;
			g->gc.rev = id->gc_rev;
			g->gc_source = GC_TABLE;
		}
	}
	if (g->apu_flag.known) {
		g->apu = g->apu_flag.v;
		g->kind_known = true;
	}
	if (g->gc_source != GC_NONE) {
		g->gfx10 = gc_is_gfx10(&g->gc);
		g->rdna = gc_rdna(&g->gc);
		gc_gfx_target(&g->gc, g->gfx_target, sizeof(g->gfx_target));
	}
	g->in_scope = g->gfx10 ||
		      (g->rmcp.present && !strcmp(g->rmcp.matched, RMCP_MATCH_EXTRA)) ||
		      id_list_has(&m->extra_ids, g->vendor_id, g->device_id);
	g->covered = m->rmcp_loaded && !strcmp(m->rmcp_state, RMCP_STATE_ARMED) &&
		     g->rmcp.present && (!strcmp(g->rmcp.matched, RMCP_MATCH_TABLE) ||
					 !strcmp(g->rmcp.matched, RMCP_MATCH_EXTRA));
	if (g->gfx10 && !g->in_table && g->vendor_id == RMCP_PCI_VENDOR_AMD &&
	    !id_list_has(&m->extra_ids, g->vendor_id, g->device_id))
		snprintf(g->extra_ids_line, sizeof(g->extra_ids_line),
			 "modprobe rmcp extra_ids=%s%s1002:%04x", m->p_extra_ids,
			 *m->p_extra_ids ? "," : "", g->device_id);

	/* noretry in force for this GPU */
	if (g->rmcp.present && !strcmp(g->rmcp.policy, RMCP_POLICY_APPLIED) &&
	    g->rmcp.noretry.known && g->rmcp.noretry.v >= 0) {
		g->noretry_effective = g->rmcp.noretry;
		snprintf(g->noretry_basis, sizeof(g->noretry_basis), "rmcp policy");
	} else if (m->amdgpu_noretry.known && m->amdgpu_noretry.v >= 0) {
		g->noretry_effective = m->amdgpu_noretry;
		snprintf(g->noretry_basis, sizeof(g->noretry_basis), "amdgpu.noretry");
	} else if (m->amdgpu_noretry.known && g->gfx10) {
		/* -1: amdgpu's default (amdgpu_gmc_noretry_set) */
		g->noretry_effective.known = true;
		g->noretry_effective.v = g->gc.minor == 3 ||
			(m->kernel_known && kernel_cmp(m->kernel_major, m->kernel_minor, 7, 2) >= 0);
		snprintf(g->noretry_basis, sizeof(g->noretry_basis), "amdgpu default");
	}
}

static bool bdf_match(const char *bdf, const char *want)
{
	/* "03:00.0" means domain 0000 */
	if (strlen(want) == 7)
		return !strncmp(bdf, "0000:", 5) && !strcasecmp(bdf + 5, want);
	return !strcasecmp(bdf, want);
}

int collect(struct backend *be, struct model *m, const char *only_bdf,
	    char *err, size_t errlen)
{
	struct drm_answer *drm;
	char (*names)[64];
	size_t ndrm = 0, nnames = 0, i;
	int r;

	collect_system(be, m);
	collect_amdgpu(be, m);
	collect_rmcp(be, m);

	drm = calloc(MAX_GPUS, sizeof(*drm));
	names = calloc(MAX_GPUS, 64);
	if (!drm || !names) {
		free(drm);
		free(names);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = be_drm_devices(be, drm, MAX_GPUS, &ndrm, err, errlen);
	if (r) {
		free(drm);
		free(names);
		return r;
	}
	for (i = 0; i < ndrm; i++) {
		struct gpu *g = gpu_get(m, drm[i].bdf);

		if (!g)
			break;
		g->vendor_id = drm[i].vendor_id;
		g->device_id = drm[i].device_id;
		snprintf(g->render_node, sizeof(g->render_node), "%s", drm[i].render_node);
		snprintf(g->driver, sizeof(g->driver), "%s", drm[i].driver);
		snprintf(g->drm_error, sizeof(g->drm_error), "%s", drm[i].error);
		snprintf(g->marketing_name, sizeof(g->marketing_name), "%s",
			 drm[i].marketing_name);
		if (drm[i].has_info) {
			g->family_id.known = true;
			g->family_id.v = drm[i].family_id;
			g->apu_flag.known = true;
			g->apu_flag.v = drm[i].ids_flags & 1; /* AMDGPU_IDS_FLAGS_FUSION */
		}
		if (drm[i].ip_discovery_version) {
			g->gc.major = (drm[i].ip_discovery_version >> 16) & 0xff;
			g->gc.minor = (drm[i].ip_discovery_version >> 8) & 0xff;
			g->gc.rev = drm[i].ip_discovery_version & 0xff;
			g->gc_source = GC_HW_IP;
		}
	}
	scan_pci(be, m);
	if (m->rmcp_loaded) {
		be_list(be, RMCP_SYSFS_MODULE "/" RMCP_SYSFS_DEVICES, names, MAX_GPUS, &nnames);
		for (i = 0; i < nnames; i++)
			gpu_get(m, names[i]);
	}
	free(names);
	qsort(m->gpus, m->ngpus, sizeof(m->gpus[0]), cmp_gpu);

	if (only_bdf) {
		size_t k = 0;

		for (i = 0; i < m->ngpus; i++)
			if (bdf_match(m->gpus[i].bdf, only_bdf))
				m->gpus[k++] = m->gpus[i];
		m->ngpus = k;
		if (!k) {
			free(drm);
			snprintf(err, errlen, "--device %s: no AMD GPU at that address", only_bdf);
			return -ENODEV;
		}
	}
	for (i = 0; i < m->ngpus; i++) {
		struct gpu *g = &m->gpus[i];
		size_t k;

		collect_pci(be, m, g);
		collect_rmcp_device(be, m, g);
		if (!g->vendor_id && g->rmcp.present) {
			struct pci_id_list l;

			if (!parse_id_list(g->rmcp.pci_id, strlen(g->rmcp.pci_id), &l) &&
			    l.n == 1) {
				g->vendor_id = l.vendor[0];
				g->device_id = l.device[0];
			}
		}
		classify(m, g);
		be_pci_name(be, g->vendor_id, g->device_id, g->pci_name, sizeof(g->pci_name));
		for (k = 0; k < ndrm; k++)
			if (!strcmp(drm[k].bdf, g->bdf) && drm[k].vendor_id &&
			    drm[k].device_id != g->device_id)
				add_finding(m, "id-mismatch", SEV_WARNING, g->bdf, NULL,
					    "libdrm says 1002:%04x, sysfs says 1002:%04x",
					    drm[k].device_id, g->device_id);
	}
	free(drm);
	return 0;
}
