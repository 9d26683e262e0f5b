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

/* What every report must hold, whatever the input: abort() is a finding. */
static void check_report(const struct fault_report *r, size_t size)
{
	size_t i, total = 0;

	if (!r || r->nfaults > r->blocks || r->lines > size + 1)
		abort();
	for (i = 0; i < r->nfaults; i++) {
		const struct fault *f = &r->faults[i];

		if (!f->count || !f->npages || f->npages > f->count ||
		    f->pages[0] != f->address || memchr(f->explanation, '\0',
							 sizeof(f->explanation)) == f->explanation)
			abort();
		total += f->count;
	}
	if (total != r->blocks)
		abort();
	for (i = 0; i < r->nrocr; i++)
		if (r->rocr[i].fault >= (long long)r->nfaults || r->rocr[i].fault < -1 ||
		    !r->rocr[i].count)
			abort();
	for (i = 0; i < r->nevents; i++)
		if (!r->events[i].count)
			abort();
}

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
	check_report(r, size);
	faults_free(r);
	mask_add(&k, "alice", "user");
	mask_add(&k, "workstation", "host");
	masked = mask_text(&k, text, size, &n);
	free(masked);
	free(text);
	return 0;
}
