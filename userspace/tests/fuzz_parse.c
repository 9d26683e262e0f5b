// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for every parser of sysfs values and fixture files.
 * The first byte picks the parser, the rest is the file's content.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../backend.h"
#include "../env.h"
#include "../faults.h"
#include "../parse.h"
#include "../text.h"

static int cb(void *ctx, const char *key, const char *value)
{
	/* keys and values handed out must be NUL-terminated strings */
	*(size_t *)ctx += strlen(key) + strlen(value);
	return 0;
}

static void kv64(void *ctx, const char *key, uint64_t value)
{
	*(size_t *)ctx += strlen(key) + (size_t)(value & 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const words[] = { "idle", "armed", "degraded", "refused",
					     "disabled", NULL };
	const char *buf;
	char *copy, line[64], err[256];
	struct drm_answer a;
	struct pci_id_list l;
	struct version3 v;
	enum lockdown ld;
	unsigned int x, y;
	uint64_t u;
	int64_t i;
	size_t n = 0;
	bool b;
	int w;

	if (!size)
		return 0;
	/* an exact-size heap copy so ASan sees any read past the end */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	buf = copy;
	size--;
	switch (data[0] % 16) {
	case 0: parse_int(buf, size, -1, 9, true, &i); break;
	case 1: parse_u64(buf, size, &u); break;
	case 2: parse_bool(buf, size, &b); break;
	case 3: parse_word(buf, size, words, &w); break;
	case 4: parse_line(buf, size, line, sizeof(line)); break;
	case 5:
		if (!parse_id_list(buf, size, &l))
			id_list_has(&l, 0x1002, 0x73bf);
		break;
	case 6: parse_version3(buf, size, &v); break;
	case 7: parse_kernel_release(buf, size, &x, &y); break;
	case 8: parse_lockdown(buf, size, &ld); break;
	case 9: parse_efivar_bool(buf, size, &b); break;
	case 10: parse_kv(buf, size, cb, &n, &x); break;
	case 11:
		memset(&a, 0, sizeof(a));
		fake_parse_device(buf, size, &a, err, sizeof(err));
		break;
	case 12: {
		/* the kernel log parser: the text may hold anything */
		struct fault_report *r = NULL;
		char *text = malloc(size + 1);

		if (text) {
			memcpy(text, buf, size);
			text[size] = '\0';
			faults_parse(text, size, &r);
			faults_free(r);
			free(text);
		}
		break;
	}
	case 13: {
		struct env e = { 0 };

		env_parse(&e, buf, size, true);
		env_get(&e, "HSA_OVERRIDE_GFX_VERSION");
		env_free(&e);
		break;
	}
	case 14:
		parse_kfd_props(buf, size, kv64, &n);
		break;
	case 15: {
		char out[64];

		utf8_valid(buf, size);
		text_printable(buf, size, out, sizeof(out));
		break;
	}
	}
	free(copy);
	return 0;
}
