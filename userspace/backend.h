/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe: the backend seam.
 *
 * Everything rmcp-probe knows about a machine comes through these calls.
 * Files (sysfs, procfs) are read as <root> + path; root is "" for the real
 * system. What differs between the real machine and a recorded one
 * (RMCP_PROBE_ROOT=dir) is an ops table: the real one asks libdrm and
 * libdrm_amdgpu, reads the process environment and /dev/kmsg; the fake one
 * takes the same answers from files under dir (tests/README.md).
 */
#ifndef RMCP_PROBE_BACKEND_H
#define RMCP_PROBE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "env.h"

#define BE_PATH_MAX	512
#define BE_NAME_MAX	64

/* What libdrm / libdrm_amdgpu said about one AMD GPU. */
struct drm_answer {
	char bdf[16];
	uint16_t vendor_id, device_id;
	char render_node[64];
	char driver[64];		/* drmGetVersion()->name */
	char error[256];		/* first call that failed, "" if none */
	bool has_info;			/* amdgpu_query_gpu_info() answered */
	bool suspended;			/* runtime-suspended: not opened, not woken */
	uint32_t family_id;
	uint64_t ids_flags;
	uint32_t ip_discovery_version;	/* GFX HW IP (maj<<16|min<<8|rev); 0 unknown */
	char marketing_name[256];	/* "" when libdrm does not know it */
};

struct be_overlay {
	char path[BE_PATH_MAX];
	char value[32];
};

struct backend;

/* What the probe did with a path (root-relative), for the tap. */
enum be_seen {
	BE_SEEN_FILE,			/* opened to read (a regular file or not) */
	BE_SEEN_EXISTS,			/* tested and found */
	BE_SEEN_LINK,			/* read as a symlink */
	BE_SEEN_DIR,			/* listed */
};

/* Told of every path the probe reads, tests or lists (--record). */
struct be_tap {
	void (*seen)(void *ctx, const struct backend *be, const char *path,
		     enum be_seen what);
	void *ctx;
};

struct be_ops {
	const char *name;		/* "system" or "recorded" */
	/* AMD GPUs that libdrm lists (malloc'ed array); -errno and err on failure */
	int (*drm_devices)(struct backend *be, struct drm_answer **out, size_t *n,
			   char *err, size_t errlen);
	/* --check: map a 4 KiB GTT BO with AMDGPU_VM_MTYPE_CC, call mapped(ctx), unmap */
	int (*map_cc)(struct backend *be, const struct drm_answer *gpu,
		      void (*mapped)(void *ctx), void *ctx, char *err, size_t errlen);
	/*
	 * The environment rmcp-probe runs in, and under sudo the invoking
	 * user's (what their ROCm jobs see); err says why it is missing.
	 */
	int (*load_env)(struct backend *be, char *err, size_t errlen);
	/* The running kernel's log as text (malloc'ed, NUL-terminated); -errno */
	int (*read_log)(struct backend *be, char **text, size_t *len, char *why,
			size_t whylen);
	/*
	 * Could this process open the device node at path read-write, with its
	 * own credentials and groups (the login session's, not /etc/group's)?
	 * 0, -errno, or -ENODATA when a recorded machine does not say.
	 */
	int (*dev_access)(struct backend *be, const char *path);
};

struct backend {
	const struct be_ops *ops;
	char root[BE_PATH_MAX];		/* "" for the real system */
	struct env env;			/* this process's environment */
	struct env user_env;		/* under sudo: the invoking user's */
	bool sudo;			/* SUDO_UID/SUDO_USER set and running as root */
	bool user_env_known;
	char user_env_why[160];		/* why user_env is missing */
	size_t noverlay;		/* --check moves counters here (recorded) */
	struct be_overlay overlay[32];
	void *pci;			/* struct pci_access *, opened lazily */
	bool pci_failed;		/* pci.ids could not be read: no names */
	char pci_error[256];
	struct be_tap tap;		/* .seen NULL: nobody watches */
};

/* root NULL or "": the real system. Returns 0 or -errno (err says what). */
int be_init(struct backend *be, const char *root, char *err, size_t errlen);
void be_fini(struct backend *be);

/*
 * Reads the regular file at the absolute path (e.g.
 * "/sys/module/rmcp/status/state") into buf. Returns the number of bytes,
 * or -errno; -EFBIG when the file is larger than len, -EINVAL when it is
 * not a regular file (a FIFO in a recorded root must not hang the probe).
 */
ssize_t be_read(const struct backend *be, const char *path, char *buf, size_t len);
/* Same, any size: *out is malloc'ed and NUL-terminated. */
ssize_t be_read_all(const struct backend *be, const char *path, char **out, size_t max);
bool be_exists(const struct backend *be, const char *path);
/* root + path into out; -ENAMETOOLONG */
int be_path(const struct backend *be, const char *path, char *out, size_t outlen);
/* Last component of the symlink at path ("amdgpu" for .../driver). */
int be_readlink_base(const struct backend *be, const char *path, char *out,
		     size_t outlen);
/*
 * Sorted names in a directory (no "." / ".."), *names malloc'ed; returns 0
 * or -errno. Names of BE_NAME_MAX bytes or more are counted in *skipped.
 */
int be_list(const struct backend *be, const char *path, char (**names)[BE_NAME_MAX],
	    size_t *n, size_t *skipped);
/* A variable of this process's environment (NULL when unset). */
const char *be_getenv(const struct backend *be, const char *name);

/* pci.ids name through libpci; "" when unknown. */
void be_pci_name(struct backend *be, uint16_t vendor, uint16_t device,
		 char *out, size_t outlen);

extern const struct be_ops be_sys_ops;
extern const struct be_ops be_fake_ops;

/* Parses one recorded drm/<bdf>/device file (fuzzed). */
int fake_parse_device(const char *buf, size_t len, struct drm_answer *out,
		      char *err, size_t errlen);

#endif
