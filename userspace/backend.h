/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe: the backend seam.
 *
 * Everything rmcp-probe knows about a machine comes through these calls.
 * The real backend reads / (sysfs, procfs) and asks libdrm, libdrm_amdgpu
 * and libpci. The fake backend (RMCP_PROBE_ROOT=dir) reads the same paths
 * under dir and takes libdrm's answers from recorded files under dir/drm/;
 * see tests/README.md for the fixture format.
 */
#ifndef RMCP_PROBE_BACKEND_H
#define RMCP_PROBE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BE_PATH_MAX	512
#define BE_MAX_OVERLAY	32
#define BE_MAX_ENV	32

/* What libdrm / libdrm_amdgpu said about one AMD GPU. */
struct drm_answer {
	char bdf[16];
	uint16_t vendor_id, device_id;
	char render_node[64];
	char driver[64];		/* drmGetVersion()->name */
	char error[256];		/* first call that failed, "" if none */
	bool has_info;			/* amdgpu_query_gpu_info() answered */
	uint32_t family_id;
	uint64_t ids_flags;
	uint32_t ip_discovery_version;	/* GFX HW IP (maj<<16|min<<8|rev); 0 unknown */
	char marketing_name[256];	/* "" when libdrm does not know it */
};

struct be_overlay {
	char path[BE_PATH_MAX];
	char value[32];
};

struct backend {
	bool fake;
	char root[BE_PATH_MAX];		/* "" for the real system */
	/* fake: environment from <root>/environ; --check moves counters here */
	size_t nenv;
	char env[BE_MAX_ENV][256];
	size_t noverlay;
	struct be_overlay overlay[BE_MAX_OVERLAY];
	void *pci;			/* struct pci_access *, opened lazily */
};

/* root NULL or "": the real system. Returns 0 or -errno (err says what). */
int be_init(struct backend *be, const char *root, char *err, size_t errlen);
void be_fini(struct backend *be);

/*
 * Reads the file at the absolute path (e.g. "/sys/module/rmcp/status/state")
 * into buf. Returns the number of bytes, or -errno; -EFBIG when the file is
 * larger than len.
 */
ssize_t be_read(const struct backend *be, const char *path, char *buf, size_t len);
bool be_exists(const struct backend *be, const char *path);
/* Last component of the symlink at path ("amdgpu" for .../driver). */
int be_readlink_base(const struct backend *be, const char *path, char *out,
		     size_t outlen);
/* Sorted names in a directory (no "." / ".."); returns 0 or -errno. */
int be_list(const struct backend *be, const char *path, char (*names)[64],
	    size_t max, size_t *n);
const char *be_getenv(const struct backend *be, const char *name);

/* AMD GPUs that libdrm lists; -errno and err on a system error. */
int be_drm_devices(struct backend *be, struct drm_answer *out, size_t max,
		   size_t *n, char *err, size_t errlen);
/* pci.ids name through libpci; "" when unknown. */
void be_pci_name(struct backend *be, uint16_t vendor, uint16_t device,
		 char *out, size_t outlen);
/*
 * --check: allocate a small GTT BO on the GPU, map it with
 * AMDGPU_VM_MTYPE_CC through amdgpu_bo_va_op_raw(), call mapped(ctx) while
 * it is mapped, unmap and free it. Returns 0 or -errno with err naming the
 * call that failed.
 */
int be_map_cc(struct backend *be, const struct drm_answer *gpu,
	      void (*mapped)(void *ctx), void *ctx, char *err, size_t errlen);

/* Implemented by backend_sys.c and backend_fake.c. */
int sys_drm_devices(struct backend *be, struct drm_answer *out, size_t max,
		    size_t *n, char *err, size_t errlen);
int sys_map_cc(struct backend *be, const struct drm_answer *gpu,
	       void (*mapped)(void *ctx), void *ctx, char *err, size_t errlen);
int fake_drm_devices(struct backend *be, struct drm_answer *out, size_t max,
		     size_t *n, char *err, size_t errlen);
int fake_map_cc(struct backend *be, const struct drm_answer *gpu,
		void (*mapped)(void *ctx), void *ctx, char *err, size_t errlen);
/* Parses one recorded drm/<bdf>/device file (fuzzed). */
int fake_parse_device(const char *buf, size_t len, struct drm_answer *out,
		      char *err, size_t errlen);

#endif
