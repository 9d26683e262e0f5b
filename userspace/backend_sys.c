// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: the real backend's libdrm / libdrm_amdgpu part. */
#include "backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amdgpu.h>
#include <amdgpu_drm.h>
#include <xf86drm.h>


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

/* Reading power/runtime_status does not wake the device; opening it would. */
static bool runtime_suspended(struct backend *be, const char *bdf)
{
	char path[BE_PATH_MAX], buf[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/power/runtime_status", bdf);
	n = be_read(be, path, buf, sizeof(buf) - 1);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return !strcmp(buf, "suspended\n") || !strcmp(buf, "suspended");
}

static int sys_drm_devices(struct backend *be, struct drm_answer **outp, size_t *n,
			   char *err, size_t errlen)
{
	drmDevicePtr *devs;
	struct drm_answer *out;
	int i, cnt;

	*outp = NULL;
	*n = 0;
	cnt = drmGetDevices2(0, NULL, 0);
	if (cnt == -ENODEV || cnt == -ENOENT || cnt == 0)
		return 0; /* no DRM at all */
	if (cnt < 0) {
		snprintf(err, errlen, "drmGetDevices2: %s", strerror(-cnt));
		return cnt;
	}
	devs = calloc((size_t)cnt, sizeof(*devs));
	out = calloc((size_t)cnt, sizeof(*out));
	if (!devs || !out) {
		free(devs);
		free(out);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	cnt = drmGetDevices2(0, devs, cnt);
	if (cnt < 0) {
		free(devs);
		free(out);
		snprintf(err, errlen, "drmGetDevices2: %s", strerror(-cnt));
		return cnt;
	}
	for (i = 0; i < cnt; i++) {
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
			if (runtime_suspended(be, a->bdf))
				a->suspended = true;
			else
				query_amdgpu(a);
		}
		(*n)++;
	}
	drmFreeDevices(devs, cnt);
	free(devs);
	*outp = out;
	return 0;
}

static int sys_map_cc(struct backend *be, const struct drm_answer *gpu,
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

extern char **environ;

/* The nearest ancestor that is sudo: its environment is what the user had. */
static int sudo_parent_env(struct backend *be)
{
	pid_t pid = getppid();
	int depth;

	for (depth = 0; depth < 8 && pid > 1; depth++) {
		char path[64], *status = NULL, *name, *ppid, *env = NULL;
		ssize_t n;
		long parent;

		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		n = be_read_all(be, path, &status, 1 << 16);
		if (n < 0)
			break;
		name = strstr(status, "Name:\t");
		ppid = strstr(status, "\nPPid:\t");
		parent = ppid ? strtol(ppid + 7, NULL, 10) : 0;
		if (name && !strncmp(name + 6, "sudo\n", 5)) {
			free(status);
			snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
			n = be_read_all(be, path, &env, 1 << 22);
			if (n < 0) {
				snprintf(be->user_env_why, sizeof(be->user_env_why),
					 "%s: %s", path, strerror((int)-n));
				return (int)n;
			}
			n = env_parse(&be->user_env, env, (size_t)n, false);
			free(env);
			if (n)
				return (int)n;
			be->user_env_known = true;
			return 0;
		}
		free(status);
		pid = (pid_t)parent;
	}
	snprintf(be->user_env_why, sizeof(be->user_env_why),
		 "no sudo process among rmcp-probe's parents");
	return -ENOENT;
}

static int sys_load_env(struct backend *be, char *err, size_t errlen)
{
	char **e;

	for (e = environ; e && *e; e++)
		if (strchr(*e, '=') && env_add(&be->env, *e, strlen(*e)) == -ENOMEM) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	if (geteuid() == 0 && getenv("SUDO_UID") && getenv("SUDO_USER")) {
		be->sudo = true;
		sudo_parent_env(be);
	}
	return 0;
}

/*
 * /dev/kmsg, one record per read(): "prio,seq,usec,flags;text" then
 * continuation lines that start with a blank (the device's properties).
 * Written out as dmesg prints it, "[  sec.usec] text".
 */
static int sys_read_log(struct backend *be, char **text, size_t *len, char *why,
			size_t whylen)
{
	size_t cap = 1 << 16, got = 0;
	char rec[8192], *out;
	int fd;

	(void)be;
	*text = NULL;
	*len = 0;
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		char buf[8] = "";
		ssize_t n = be_read(be, "/proc/sys/kernel/dmesg_restrict", buf, sizeof(buf) - 1);

		if ((e == EPERM || e == EACCES) && n > 0 && buf[0] == '1')
			snprintf(why, whylen, "/dev/kmsg: %s: kernel.dmesg_restrict=1 lets only "
				 "root (CAP_SYSLOG) read the kernel log; run sudo rmcp-probe "
				 "--faults, or save it with sudo dmesg > kernel.log and run "
				 "rmcp-probe --faults kernel.log", strerror(e));
		else
			snprintf(why, whylen, "/dev/kmsg: %s; save the log with sudo dmesg > "
				 "kernel.log (or journalctl -k > kernel.log) and run rmcp-probe "
				 "--faults kernel.log", strerror(e));
		return -e;
	}
	out = malloc(cap);
	if (!out) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *semi, *nl, *p;
		unsigned long long usec;
		int w;

		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue; /* EPIPE: records overwritten while reading */
		if (n <= 0)
			break;
		rec[n] = '\0';
		semi = strchr(rec, ';');
		if (!semi)
			continue;
		usec = 0;
		p = strchr(rec, ',');
		if (p && (p = strchr(p + 1, ',')))
			usec = strtoull(p + 1, NULL, 10);
		nl = strchr(semi + 1, '\n');
		if (nl)
			*nl = '\0';
		if (got + (size_t)n + 32 >= cap) {
			char *nb;

			cap = cap * 2 + (size_t)n;
			if (cap > (64u << 20))
				break;
			nb = realloc(out, cap);
			if (!nb)
				break;
			out = nb;
		}
		w = snprintf(out + got, cap - got, "[%5llu.%06llu] %s\n", usec / 1000000,
			     usec % 1000000, semi + 1);
		if (w > 0 && (size_t)w < cap - got)
			got += (size_t)w;
	}
	close(fd);
	out[got] = '\0';
	*text = out;
	*len = got;
	return 0;
}

/* access() with the effective ids and this process's supplementary groups */
static int sys_dev_access(struct backend *be, const char *path)
{
	(void)be;
	return faccessat(AT_FDCWD, path, R_OK | W_OK, AT_EACCESS) ? -errno : 0;
}

const struct be_ops be_sys_ops = {
	.name = "system",
	.drm_devices = sys_drm_devices,
	.map_cc = sys_map_cc,
	.load_env = sys_load_env,
	.read_log = sys_read_log,
	.dev_access = sys_dev_access,
};
