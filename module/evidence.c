// SPDX-License-Identifier: GPL-2.0
/*
 * Evidence from the loaded amdgpu.
 *
 * A kprobe registered disabled resolves "amdgpu:<symbol>" through kallsyms
 * in that module's own symbol table only, checks that the address is text,
 * and patches no code. So the answer is about the amdgpu that is loaded --
 * the distribution's, or amdgpu-dkms's from updates/dkms/ -- never about
 * the kernel headers rmcp was built against.
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/string.h>

#include "evidence.h"

#define RMCP_SYM_LEN	96

/* Is @sym (no module prefix) a function of the amdgpu module? */
static int rmcp_amdgpu_has(const char *sym)
{
	char name[RMCP_SYM_LEN];
	struct kprobe kp = {
		.symbol_name = name,
		.flags = KPROBE_FLAG_DISABLED,
	};
	int ret;

	snprintf(name, sizeof(name), "amdgpu:%s", sym);
	ret = register_kprobe(&kp);
	if (!ret) {
		unregister_kprobe(&kp);
		return 1;
	}
	return ret == -ENOENT ? 0 : ret;
}

/**
 * rmcp_evidence_read() - what the loaded amdgpu's symbol table holds
 * @ev: the answer
 * @sym: on error, the symbol whose look-up failed
 *
 * Return: 0, or -errno if a look-up failed other than "no such symbol".
 */
int rmcp_evidence_read(struct rmcp_evidence *ev, const char **sym)
{
	static const char *const names[] = {
		RMCP_SYM_GET_VM_PTE, RMCP_SYM_MAP_MTYPE,
		RMCP_SYM_GEM_VA_MAP_FLAGS,
	};
	bool *has[] = { &ev->get_vm_pte, &ev->map_mtype,
			&ev->gem_va_map_flags };
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ret = rmcp_amdgpu_has(names[i]);
		if (ret < 0) {
			*sym = names[i];
			return ret;
		}
		*has[i] = ret;
	}
	return 0;
}

/* Is a module named amdgpu loaded (or COMING)? */
bool rmcp_amdgpu_loaded(void)
{
	return rmcp_amdgpu_has("amdgpu_pci_probe") == 1 ||
	       rmcp_amdgpu_has(RMCP_SYM_GET_VM_PTE) == 1;
}

/**
 * rmcp_amdgpu_builtin() - is amdgpu part of the kernel image?
 *
 * Return: true if amdgpu_pci_probe resolves without the module prefix to
 * an address kallsyms names without a module ("[mod]").
 */
bool rmcp_amdgpu_builtin(void)
{
	struct kprobe kp = {
		.symbol_name = "amdgpu_pci_probe",
		.flags = KPROBE_FLAG_DISABLED,
	};
	char buf[KSYM_SYMBOL_LEN];

	if (register_kprobe(&kp))
		return false;
	sprint_symbol(buf, (unsigned long)kp.addr);
	unregister_kprobe(&kp);
	return !strchr(buf, '[');
}
