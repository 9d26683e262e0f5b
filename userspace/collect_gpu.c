// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: the GPUs: sysfs PCI functions, libdrm's answers, KFD topology. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rmcp/ids.h>
#include <rmcp/sysfs.h>

#include "collectors.h"
#include "probe.h"
#include "reader.h"
#include "text.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define KFD_NODES	"/sys/class/kfd/kfd/topology/nodes"
#define GC_HWID		"11"	/* GC_HWID in amdgpu's soc15_hw_ip.h */

static void take_drm(struct gpu *g, const struct drm_answer *a)
{
	g->vendor_id = a->vendor_id;
	g->device_id = a->device_id;
	g->drm_device_id = a->device_id;
	g->suspended = a->suspended;
	snprintf(g->render_node, sizeof(g->render_node), "%s", a->render_node);
	snprintf(g->driver, sizeof(g->driver), "%s", a->driver);
	snprintf(g->drm_error, sizeof(g->drm_error), "%s", a->error);
	snprintf(g->marketing_name, sizeof(g->marketing_name), "%s", a->marketing_name);
	if (a->has_info) {
		g->family_id.known = true;
		g->family_id.v = a->family_id;
		g->apu_flag.known = true;
		g->apu_flag.v = a->ids_flags & 1; /* AMDGPU_IDS_FLAGS_FUSION */
	}
	if (a->ip_discovery_version) {
		g->gc.major = (a->ip_discovery_version >> 16) & 0xff;
		g->gc.minor = (a->ip_discovery_version >> 8) & 0xff;
		g->gc.rev = a->ip_discovery_version & 0xff;
		g->gc_source = GC_HW_IP;
	}
}

/* AMD display-class PCI functions from sysfs, bound to a driver or not. */
static void scan_pci(struct backend *be, struct model *m)
{
	char (*names)[BE_NAME_MAX], path[BE_PATH_MAX], buf[32];
	size_t n = 0, i;
	int64_t v;

	if (be_list(be, PCI_DEVICES, &names, &n, NULL))
		return;
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
			model_gpu(m, names[i]);
	}
	free(names);
}

int collect_gpus(struct backend *be, struct model *m, char *err, size_t errlen)
{
	struct drm_answer *drm = NULL;
	char (*names)[BE_NAME_MAX];
	size_t ndrm = 0, nnames = 0, i;
	int r;

	r = be->ops->drm_devices(be, &drm, &ndrm, err, errlen);
	if (r)
		return r;
	for (i = 0; i < ndrm; i++) {
		struct gpu *g = model_gpu(m, drm[i].bdf);

		if (!g)
			break;
		take_drm(g, &drm[i]);
	}
	free(drm);
	scan_pci(be, m);
	if (m->rmcp_loaded &&
	    !be_list(be, RMCP_SYSFS_MODULE "/" RMCP_SYSFS_DEVICES, &names, &nnames, NULL)) {
		for (i = 0; i < nnames; i++)
			model_gpu(m, names[i]);
		free(names);
	}
	if (m->oom) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static enum binding binding_of(const char *driver)
{
	if (!*driver)
		return BIND_NONE;
	if (!strcmp(driver, "amdgpu"))
		return BIND_AMDGPU;
	if (!strcmp(driver, "vfio-pci") || !strcmp(driver, "pci-stub") ||
	    !strcmp(driver, "pciback"))
		return BIND_PASSTHROUGH;
	return BIND_OTHER;
}

static int cmp_fw(const void *a, const void *b)
{
	return strcmp(((const struct fw_version *)a)->name, ((const struct fw_version *)b)->name);
}

/* fw_version/<name>_fw_version: the firmware amdgpu loaded ("0x%08x"). */
static void collect_firmware(struct backend *be, struct model *m, struct gpu *g,
			     const char *dir)
{
	char (*names)[BE_NAME_MAX], path[BE_PATH_MAX + BE_NAME_MAX];
	static const char suffix[] = "_fw_version";
	size_t n, i, sl = sizeof(suffix) - 1;
	struct opt_int v;

	snprintf(path, sizeof(path), "%sfw_version", dir);
	if (be_list(be, path, &names, &n, NULL))
		return;
	g->fw = calloc(n ? n : 1, sizeof(*g->fw));
	if (!g->fw) {
		m->oom = true;
		free(names);
		return;
	}
	for (i = 0; i < n; i++) {
		size_t l = strlen(names[i]);

		if (l <= sl || l - sl >= BE_FW_NAME || strcmp(names[i] + l - sl, suffix))
			continue;
		snprintf(path, sizeof(path), "%sfw_version/%s", dir, names[i]);
		read_int(be, m, path, 0, UINT32_MAX, true, &v, false);
		if (!v.known)
			continue;
		/* a name is a JSON key: only printable UTF-8 (a recorded root holds anything) */
		text_printable(names[i], l - sl, g->fw[g->nfw].name, BE_FW_NAME);
		g->fw[g->nfw++].v = (uint32_t)v.v;
	}
	free(names);
	if (g->nfw)
		qsort(g->fw, g->nfw, sizeof(*g->fw), cmp_fw);
}

/* Identity and GC version of one PCI function from sysfs. */
void collect_pci(struct backend *be, struct model *m, struct gpu *g)
{
	char dir[BE_PATH_MAX], path[BE_PATH_MAX + 64];
	struct opt_int v, maj, min, rev;

	snprintf(dir, sizeof(dir), PCI_DEVICES "/%s/", g->bdf);
	if (!be_exists(be, dir)) {
		g->binding = binding_of(g->driver);
		return;
	}
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
	/* the kernel's binding wins over drmGetVersion's name */
	{
		char drv[STR_SHORT] = "";

		if (!be_readlink_base(be, PATH("driver"), drv, sizeof(drv)) || !*g->driver)
			snprintf(g->driver, sizeof(g->driver), "%s", drv);
	}
	g->binding = binding_of(g->driver);
	if (g->binding == BIND_AMDGPU)
		collect_firmware(be, m, g, dir);
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

struct kfd_props {
	uint64_t simd, gfxv, location, domain;
	bool has_location;
};

static void kfd_cb(void *ctx, const char *key, uint64_t v)
{
	struct kfd_props *p = ctx;

	if (!strcmp(key, "simd_count"))
		p->simd = v;
	else if (!strcmp(key, "gfx_target_version"))
		p->gfxv = v;
	else if (!strcmp(key, "location_id")) {
		p->location = v;
		p->has_location = true;
	} else if (!strcmp(key, "domain"))
		p->domain = v;
}

/*
 * /sys/class/kfd/kfd/topology/nodes/N: which KFD node (what ROCm numbers
 * and HSA_OVERRIDE_GFX_VERSION_<N> names) is which PCI function.
 */
void collect_kfd(struct backend *be, struct model *m)
{
	char (*names)[BE_NAME_MAX], path[BE_PATH_MAX], buf[8192];
	size_t n, i;
	int r = be->ops->dev_access(be, "/dev/kfd");

	/* ROCm opens /dev/kfd: can this process (its session's groups)? */
	m->kfd_access_known = r != -ENODATA;
	m->kfd_access = r;

	if (be_list(be, KFD_NODES, &names, &n, NULL))
		return;
	m->kfd_present = true;
	m->kfd = calloc(n ? n : 1, sizeof(*m->kfd));
	if (!m->kfd) {
		m->oom = true;
		free(names);
		return;
	}
	for (i = 0; i < n; i++) {
		struct kfd_props p = { 0 };
		struct kfd_node *k;
		int64_t id;
		ssize_t l;

		if (parse_int(names[i], strlen(names[i]), 0, 65535, false, &id))
			continue;
		snprintf(path, sizeof(path), KFD_NODES "/%s/properties", names[i]);
		l = read_raw(be, m, path, buf, sizeof(buf), true);
		if (l < 0)
			continue;
		parse_kfd_props(buf, (size_t)l, kfd_cb, &p);
		k = &m->kfd[m->nkfd++];
		k->id = (unsigned int)id;
		if (p.simd && p.has_location) {
			k->gfx_target_version = (uint32_t)p.gfxv;
			snprintf(k->bdf, sizeof(k->bdf), "%04x:%02x:%02x.%x",
				 (unsigned int)(p.domain & 0xffff),
				 (unsigned int)((p.location >> 8) & 0xff),
				 (unsigned int)((p.location >> 3) & 0x1f),
				 (unsigned int)(p.location & 7));
		}
	}
	free(names);
}
