// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the PCI-ID classification (cmocka). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rmcp/ids.h>

#include "../ids.h"

static void table_has_every_row(void **state)
{
	(void)state;
	assert_int_equal(rmcp_id_count(), RMCP_ID_COUNT);
	assert_null(rmcp_id_at(RMCP_ID_COUNT));
}

static void every_row_is_gfx10(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < rmcp_id_count(); i++) {
		const struct rmcp_gpu_id *id = rmcp_id_at(i);
		char want[8];

		assert_int_equal(id->gc_major, 10);
		assert_true(id->gc_minor == 1 || id->gc_minor == 3);
		assert_int_equal(id->rdna, id->gc_minor == 1 ? 1 : 2);
		assert_int_equal(strncmp(id->gfx, "gfx10", 5), 0);
		snprintf(want, sizeof(want), "gfx10%c", id->gc_minor == 1 ? '1' : '3');
		assert_int_equal(strncmp(id->gfx, want, 6), 0);
		assert_ptr_equal(rmcp_id_lookup(0x1002, id->device), id);
	}
}

static void no_duplicate_ids(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < rmcp_id_count(); i++)
		for (j = i + 1; j < rmcp_id_count(); j++)
			assert_int_not_equal(rmcp_id_at(i)->device, rmcp_id_at(j)->device);
}

static void known_cards(void **state)
{
	const struct rmcp_gpu_id *id;

	(void)state;
	id = rmcp_id_lookup(0x1002, 0x731F); /* RX 5700 XT: Navi 10 */
	assert_non_null(id);
	assert_string_equal(id->gfx, "gfx1010");
	assert_int_equal(id->kind, RMCP_KIND_DGPU);
	id = rmcp_id_lookup(0x1002, 0x73BF); /* RX 6800/6900: Navi 21 */
	assert_non_null(id);
	assert_string_equal(id->gfx, "gfx1030");
	id = rmcp_id_lookup(0x1002, 0x163F); /* Van Gogh APU */
	assert_non_null(id);
	assert_int_equal(id->kind, RMCP_KIND_APU);
	assert_string_equal(id->gfx, "gfx1033");
}

static void not_matched(void **state)
{
	(void)state;
	assert_null(rmcp_id_lookup(0x1002, 0x744C)); /* RX 7900 XTX: gfx11 */
	assert_null(rmcp_id_lookup(0x1002, 0x5046)); /* QEMU ati-vga */
	assert_null(rmcp_id_lookup(0x10de, 0x731F)); /* right id, wrong vendor */
	assert_null(rmcp_id_lookup(0x1002, 0x0000));
	assert_null(rmcp_id_lookup(0x1002, 0xffff));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_has_every_row),
		cmocka_unit_test(every_row_is_gfx10),
		cmocka_unit_test(no_duplicate_ids),
		cmocka_unit_test(known_cards),
		cmocka_unit_test(not_matched),
	};

	return cmocka_run_group_tests_name("ids", tests, NULL, NULL);
}
