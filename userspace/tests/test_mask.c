// SPDX-License-Identifier: GPL-2.0
/* Unit tests for --record's masking (cmocka). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../mask.h"

static void expect(const struct mask *k, const char *in, const char *want)
{
	size_t n;
	char *got = mask_text(k, in, strlen(in), &n);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(n, strlen(want));
	free(got);
}

static void words(void **state)
{
	struct mask k = { 0 };

	(void)state;
	assert_int_equal(mask_add(&k, "alice", "user"), 0);
	assert_int_equal(mask_add(&k, "workstation1", "host"), 0);
	assert_int_equal(mask_add(&k, "root", "user"), 0);	/* never masked */
	assert_int_equal(mask_add(&k, "", "user"), 0);
	assert_int_equal(k.n, 2);
	expect(&k, "Dec 04 10:00:00 workstation1 kernel: amdgpu alice",
	       "Dec 04 10:00:00 host kernel: amdgpu user");
	/* whole words only: not inside another name */
	expect(&k, "malice alice_x alice.x alice-1 alice", "malice alice_x alice.x alice-1 user");
	expect(&k, "root=/dev/sda1", "root=/dev/sda1");
	expect(&k, "", "");
}

static void homes_and_serials(void **state)
{
	struct mask k = { 0 };

	(void)state;
	expect(&k, "python3 /home/bob/venv/bin/x", "python3 /home/user/venv/bin/x");
	expect(&k, "amdgpu 0000:03:00.0: serial_number=0x1a2b3c4d5e6f\n",
	       "amdgpu 0000:03:00.0: serial_number=masked\n");
	expect(&k, "DMI: Serial Number: ABC-123, board", "DMI: Serial Number: masked, board");
	expect(&k, "serial8250: ttyS0 at I/O 0x3f8", "serial8250: ttyS0 at I/O 0x3f8");
	expect(&k, "serial: \n", "serial: \n");
}

static void full(void **state)
{
	struct mask k = { 0 };
	char w[16];
	int i;

	(void)state;
	for (i = 0; i < MASK_WORDS; i++) {
		snprintf(w, sizeof(w), "name%d", i);
		assert_int_equal(mask_add(&k, w, "user"), 0);
	}
	assert_int_equal(mask_add(&k, "one-more", "user"), -1);
	assert_int_equal(mask_add(&k, "name3", "user"), 0);	/* already there */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words),
		cmocka_unit_test(homes_and_serials),
		cmocka_unit_test(full),
	};

	return cmocka_run_group_tests_name("mask", tests, NULL, NULL);
}
