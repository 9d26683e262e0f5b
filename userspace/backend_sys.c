// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: the real backend's libdrm / libdrm_amdgpu part. */
#include "backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <amdgpu.h>
#include <amdgpu_drm.h>
#include <xf86drm.h>

#define MAX_DRM 64

/*
 * GFX HW IP version as IP discovery found it. The kernel fills the field
 * after available_rings (since Linux 6.0); older uapi headers call it _pad.
 * Asked directly so that one buffer layout works with either header.
 */
static uint32_t gfx_ip_discovery_version(int fd)
{
	struct drm_amdgpu_info_hw_ip ip;
	struct drm_amdgpu_info req;
	uint32_t v;

	memset(&ip, 0, sizeof(ip));
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&ip;
	req.return_size = sizeof(ip);
	req.query = AMDGPU_INFO_HW_IP_INFO;
	req.query_hw_ip.type = AMDGPU_HW_IP_GFX;
	req.query_hw_ip.ip_instance = 0;
	if (drmCommandWrite(fd, DRM_AMDGPU_INFO, &req, sizeof(req)))
		return 0;
	memcpy(&v, (const char *)&ip + offsetof(struct drm_amdgpu_info_hw_ip,
						available_rings) + sizeof(uint32_t),
	       sizeof(v));
	return v;
}

static void query_amdgpu(struct drm_answer *a)
{
	struct amdgpu_gpu_info info;
	amdgpu_device_handle dev;
	drmVersionPtr ver;
	uint32_t maj, min;
	const char *name;
	int fd, r;

	fd = open(a->render_node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(a->error, sizeof(a->error), "open %s: %s", a->render_node,
			 strerror(errno));
		return;
	}
	ver = drmGetVersion(fd);
	if (!ver) {
		snprintf(a->error, sizeof(a->error), "drmGetVersion %s: %s",
			 a->render_node, strerror(errno));
		close(fd);
		return;
	}
	snprintf(a->driver, sizeof(a->driver), "%s", ver->name ? ver->name : "");
	drmFreeVersion(ver);
	if (strcmp(a->driver, "amdgpu")) {
		close(fd);
		return;
	}
	r = amdgpu_device_initialize(fd, &maj, &min, &dev);
	if (r) {
		snprintf(a->error, sizeof(a->error), "amdgpu_device_initialize %s: %s",
			 a->render_node, strerror(-r));
		close(fd);
		return;
	}
	r = amdgpu_query_gpu_info(dev, &info);
	if (r) {
		snprintf(a->error, sizeof(a->error), "amdgpu_query_gpu_info %s: %s",
			 a->render_node, strerror(-r));
	} else {
		a->has_info = true;
		a->family_id = info.family_id;
		a->ids_flags = info.ids_flags;
	}
	a->ip_discovery_version = gfx_ip_discovery_version(amdgpu_device_get_fd(dev));
	name = amdgpu_get_marketing_name(dev);
	/* "AMD Radeon Graphics" is newer libdrm's fallback: not a name */
	if (name && strcmp(name, "AMD Radeon Graphics"))
		snprintf(a->marketing_name, sizeof(a->marketing_name), "%s", name);
	amdgpu_device_deinitialize(dev);
	close(fd);
}

int sys_drm_devices(struct backend *be, struct drm_answer *out, size_t max,
		    size_t *n, char *err, size_t errlen)
{
	drmDevicePtr devs[MAX_DRM];
	int i, cnt;

	(void)be;
	cnt = drmGetDevices2(0, devs, MAX_DRM);
	if (cnt == -ENODEV || cnt == -ENOENT)
		return 0; /* no DRM at all */
	if (cnt < 0) {
		snprintf(err, errlen, "drmGetDevices2: %s", strerror(-cnt));
		return cnt;
	}
	for (i = 0; i < cnt && *n < max; i++) {
		drmDevicePtr d = devs[i];
		struct drm_answer *a = &out[*n];

		if (d->bustype != DRM_BUS_PCI || !d->deviceinfo.pci ||
		    d->deviceinfo.pci->vendor_id != 0x1002)
			continue;
		memset(a, 0, sizeof(*a));
		snprintf(a->bdf, sizeof(a->bdf), "%04x:%02x:%02x.%u",
			 d->businfo.pci->domain & 0xffff, d->businfo.pci->bus,
			 d->businfo.pci->dev & 0x1f, d->businfo.pci->func & 7);
		a->vendor_id = d->deviceinfo.pci->vendor_id;
		a->device_id = d->deviceinfo.pci->device_id;
		if ((d->available_nodes & (1 << DRM_NODE_RENDER)) &&
		    d->nodes[DRM_NODE_RENDER]) {
			snprintf(a->render_node, sizeof(a->render_node), "%s",
				 d->nodes[DRM_NODE_RENDER]);
			query_amdgpu(a);
		}
		(*n)++;
	}
	drmFreeDevices(devs, cnt);
	return 0;
}

int sys_map_cc(struct backend *be, const struct drm_answer *gpu,
	       void (*mapped)(void *ctx), void *ctx, char *err, size_t errlen)
{
	struct amdgpu_bo_alloc_request req = {
		.alloc_size = 4096,
		.phys_alignment = 4096,
		.preferred_heap = AMDGPU_GEM_DOMAIN_GTT,
	};
	amdgpu_va_handle va_handle = NULL;
	amdgpu_device_handle dev;
	amdgpu_bo_handle bo = NULL;
	uint64_t va = 0;
	uint32_t maj, min;
	int fd, r;

	(void)be;
	if (!*gpu->render_node) {
		snprintf(err, errlen, "%s has no render node", gpu->bdf);
		return -ENODEV;
	}
	fd = open(gpu->render_node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "open %s: %s", gpu->render_node, strerror(errno));
		return r;
	}
	r = amdgpu_device_initialize(fd, &maj, &min, &dev);
	if (r) {
		snprintf(err, errlen, "amdgpu_device_initialize %s: %s",
			 gpu->render_node, strerror(-r));
		close(fd);
		return r;
	}
	r = amdgpu_bo_alloc(dev, &req, &bo);
	if (r) {
		snprintf(err, errlen, "amdgpu_bo_alloc (4 KiB GTT): %s", strerror(-r));
		goto out;
	}
	r = amdgpu_va_range_alloc(dev, amdgpu_gpu_va_range_general, 4096, 4096,
				  0, &va, &va_handle, 0);
	if (r) {
		snprintf(err, errlen, "amdgpu_va_range_alloc: %s", strerror(-r));
		goto out;
	}
	r = amdgpu_bo_va_op_raw(dev, bo, 0, 4096, va,
				AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE |
				AMDGPU_VM_MTYPE_CC, AMDGPU_VA_OP_MAP);
	if (r) {
		snprintf(err, errlen, "amdgpu_bo_va_op_raw(MAP, AMDGPU_VM_MTYPE_CC): %s",
			 strerror(-r));
		goto out;
	}
	mapped(ctx);
	r = amdgpu_bo_va_op_raw(dev, bo, 0, 4096, va, 0, AMDGPU_VA_OP_UNMAP);
	if (r)
		snprintf(err, errlen, "amdgpu_bo_va_op_raw(UNMAP): %s", strerror(-r));
out:
	if (va_handle)
		amdgpu_va_range_free(va_handle);
	if (bo)
		amdgpu_bo_free(bo);
	amdgpu_device_deinitialize(dev);
	close(fd);
	return r;
}
