// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the kernel log parser of --faults alone: the whole
 * input is a kernel log, parsed, and masked as --record writes it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../faults.h"
#include "../mask.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mask k = { 0 };
	struct fault_report *r = NULL;
	char *text = malloc(size + 1), *masked;
	size_t n;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	faults_parse(text, size, &r);
	faults_free(r);
	mask_add(&k, "alice", "user");
	mask_add(&k, "workstation", "host");
	masked = mask_text(&k, text, size, &n);
	free(masked);
	free(text);
	return 0;
}
