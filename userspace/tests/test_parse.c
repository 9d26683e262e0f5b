// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the sysfs/fixture parsers (cmocka). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../backend.h"
#include "../parse.h"

#define S(x) (x), (sizeof(x) - 1)

static void ints(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(parse_int(S("1\n"), -1, 1, false, &v), PARSE_OK);
	assert_int_equal(v, 1);
	assert_int_equal(parse_int(S("-1\n"), -1, 1, false, &v), PARSE_OK);
	assert_int_equal(v, -1);
	assert_int_equal(parse_int(S("  9  "), -1, 9, false, &v), PARSE_OK);
	assert_int_equal(parse_int(S("0x1002\n"), 0, 0xffff, true, &v), PARSE_OK);
	assert_int_equal(v, 0x1002);
	assert_int_equal(parse_int(S("-9223372036854775808"), INT64_MIN, INT64_MAX,
				   false, &v), PARSE_OK);
	assert_true(v == INT64_MIN);
	/* missing/empty/truncated/non-numeric/huge/unexpected */
	assert_int_equal(parse_int(NULL, 0, 0, 1, false, &v), PARSE_EMPTY);
	assert_int_equal(parse_int(S(""), 0, 1, false, &v), PARSE_EMPTY);
	assert_int_equal(parse_int(S("\n"), 0, 1, false, &v), PARSE_EMPTY);
	assert_int_equal(parse_int(S("-"), -1, 1, false, &v), PARSE_NOT_NUMBER);
	assert_int_equal(parse_int(S("0x"), 0, 1, true, &v), PARSE_NOT_NUMBER);
	assert_int_equal(parse_int(S("abc"), 0, 1, false, &v), PARSE_NOT_NUMBER);
	assert_int_equal(parse_int(S("1 2"), 0, 9, false, &v), PARSE_NOT_NUMBER);
	assert_int_equal(parse_int(S("1\0"), 0, 9, false, &v), PARSE_NOT_NUMBER);
	assert_int_equal(parse_int(S("0x10"), 0, 99, false, &v), PARSE_NOT_NUMBER);
	assert_int_equal(parse_int(S("2"), -1, 1, false, &v), PARSE_RANGE);
	assert_int_equal(parse_int(S("99999999999999999999"), -1, 1, false, &v), PARSE_RANGE);
	assert_int_equal(parse_int(S("9223372036854775808"), 0, INT64_MAX, false, &v),
			 PARSE_RANGE);
	assert_int_equal(parse_int(S("-9223372036854775809"), INT64_MIN, 0, false, &v),
			 PARSE_RANGE);
}

static void u64s(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_u64(S("18446744073709551615\n"), &v), PARSE_OK);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64(S("18446744073709551616"), &v), PARSE_RANGE);
	assert_int_equal(parse_u64(S("-1"), &v), PARSE_RANGE);
	assert_int_equal(parse_u64(S(""), &v), PARSE_EMPTY);
	assert_int_equal(parse_u64(S("12a"), &v), PARSE_NOT_NUMBER);
	assert_int_equal(parse_u64(S("0x10"), &v), PARSE_NOT_NUMBER);
}

static void bools(void **state)
{
	bool b;

	(void)state;
	assert_int_equal(parse_bool(S("Y\n"), &b), PARSE_OK);
	assert_true(b);
	assert_int_equal(parse_bool(S("N"), &b), PARSE_OK);
	assert_false(b);
	assert_int_equal(parse_bool(S("1"), &b), PARSE_OK);
	assert_int_equal(parse_bool(S("0"), &b), PARSE_OK);
	assert_int_equal(parse_bool(S(""), &b), PARSE_EMPTY);
	assert_int_equal(parse_bool(S("yes"), &b), PARSE_NOT_BOOL);
	assert_int_equal(parse_bool(S("2"), &b), PARSE_NOT_BOOL);
}

static void words(void **state)
{
	static const char *const w[] = { "idle", "armed", "degraded", NULL };
	int i;

	(void)state;
	assert_int_equal(parse_word(S("armed\n"), w, &i), PARSE_OK);
	assert_int_equal(i, 1);
	assert_int_equal(parse_word(S("arm"), w, &i), PARSE_UNKNOWN_WORD);
	assert_int_equal(parse_word(S("armedd"), w, &i), PARSE_UNKNOWN_WORD);
	assert_int_equal(parse_word(S("armed\nidle"), w, &i), PARSE_UNKNOWN_WORD);
	assert_int_equal(parse_word(S(""), w, &i), PARSE_EMPTY);
}

static void lines(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(parse_line(S(" abc \n"), out, sizeof(out)), PARSE_OK);
	assert_string_equal(out, "abc");
	assert_int_equal(parse_line(S("1234567"), out, sizeof(out)), PARSE_OK);
	assert_int_equal(parse_line(S("12345678"), out, sizeof(out)), PARSE_TOO_LONG);
	assert_int_equal(parse_line(S("a\x01"), out, sizeof(out)), PARSE_BAD_CHAR);
	assert_int_equal(parse_line(S("a\0b"), out, sizeof(out)), PARSE_BAD_CHAR);
	assert_int_equal(parse_line(S("a\nb"), out, sizeof(out)), PARSE_BAD_CHAR);
	assert_int_equal(parse_line(S(""), out, sizeof(out)), PARSE_OK);
	assert_string_equal(out, "");
	assert_int_equal(parse_line(S("x"), out, 0), PARSE_TOO_LONG);
}

static void id_lists(void **state)
{
	struct pci_id_list l;

	(void)state;
	assert_int_equal(parse_id_list(S("\n"), &l), PARSE_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(parse_id_list(S("1002:5046\n"), &l), PARSE_OK);
	assert_int_equal(l.n, 1);
	assert_true(id_list_has(&l, 0x1002, 0x5046));
	assert_false(id_list_has(&l, 0x1002, 0x5047));
	assert_int_equal(parse_id_list(S("1002:73BF, 0x1002:0x1506"), &l), PARSE_OK);
	assert_int_equal(l.n, 2);
	assert_true(id_list_has(&l, 0x1002, 0x1506));
	assert_int_equal(parse_id_list(S("1002"), &l), PARSE_BAD_ID);
	assert_int_equal(parse_id_list(S("1002:zz"), &l), PARSE_BAD_ID);
	assert_int_equal(parse_id_list(S("1002:12345"), &l), PARSE_BAD_ID);
	assert_int_equal(parse_id_list(S("1002:1234,"), &l), PARSE_BAD_ID);
	assert_int_equal(parse_id_list(S(":1234"), &l), PARSE_BAD_ID);
	assert_int_equal(parse_id_list(S("1:1,1:2,1:3,1:4,1:5,1:6,1:7,1:8,1:9,1:a,1:b,1:c,"
					 "1:d,1:e,1:f,1:10,1:11"), &l), PARSE_TOO_LONG);
}

static void versions(void **state)
{
	struct version3 v;
	unsigned int a, b;

	(void)state;
	assert_int_equal(parse_version3(S("10.3.0\n"), &v), PARSE_OK);
	assert_int_equal(v.major, 10);
	assert_int_equal(v.minor, 3);
	assert_int_equal(v.rev, 0);
	assert_int_equal(parse_version3(S("10.3"), &v), PARSE_BAD_VERSION);
	assert_int_equal(parse_version3(S("10.3.0.1"), &v), PARSE_BAD_VERSION);
	assert_int_equal(parse_version3(S("10..0"), &v), PARSE_BAD_VERSION);
	assert_int_equal(parse_version3(S("a.b.c"), &v), PARSE_BAD_VERSION);
	assert_int_equal(parse_version3(S("1000.0.0"), &v), PARSE_BAD_VERSION);
	assert_int_equal(parse_version3(S(""), &v), PARSE_EMPTY);
	assert_int_equal(parse_kernel_release(S("6.12.57+deb13-amd64\n"), &a, &b), PARSE_OK);
	assert_int_equal(a, 6);
	assert_int_equal(b, 12);
	assert_int_equal(parse_kernel_release(S("7.2-rc1"), &a, &b), PARSE_OK);
	assert_int_equal(parse_kernel_release(S("6"), &a, &b), PARSE_BAD_VERSION);
	assert_int_equal(parse_kernel_release(S("six.1"), &a, &b), PARSE_BAD_VERSION);
	assert_int_equal(parse_kernel_release(S("99999.1"), &a, &b), PARSE_BAD_VERSION);
}

static void lockdown_and_efi(void **state)
{
	enum lockdown l;
	bool b;

	(void)state;
	assert_int_equal(parse_lockdown(S("none [integrity] confidentiality\n"), &l), PARSE_OK);
	assert_int_equal(l, LOCKDOWN_INTEGRITY);
	assert_int_equal(parse_lockdown(S("[none] integrity confidentiality"), &l), PARSE_OK);
	assert_int_equal(l, LOCKDOWN_NONE);
	assert_int_equal(parse_lockdown(S("none integrity"), &l), PARSE_UNKNOWN_WORD);
	assert_int_equal(parse_lockdown(S("[none"), &l), PARSE_UNKNOWN_WORD);
	assert_int_equal(parse_lockdown(S("[bogus]"), &l), PARSE_UNKNOWN_WORD);
	assert_int_equal(parse_lockdown(S(""), &l), PARSE_EMPTY);
	assert_int_equal(parse_efivar_bool(S("\x06\0\0\0\x01"), &b), PARSE_OK);
	assert_true(b);
	assert_int_equal(parse_efivar_bool(S("\x06\0\0\0\0"), &b), PARSE_OK);
	assert_false(b);
	assert_int_equal(parse_efivar_bool(S("\x06\0\0"), &b), PARSE_EMPTY);
	assert_int_equal(parse_efivar_bool(S("\x06\0\0\0\x01\x01"), &b), PARSE_TOO_LONG);
	assert_int_equal(parse_efivar_bool(S("\x06\0\0\0\x07"), &b), PARSE_RANGE);
}

static int count_cb(void *ctx, const char *key, const char *value)
{
	(void)key;
	(void)value;
	++*(int *)ctx;
	return 0;
}

static void kv(void **state)
{
	unsigned int line = 0;
	int n = 0;

	(void)state;
	assert_int_equal(parse_kv(S("# c\n\na=1\nb_2=x y \n"), count_cb, &n, &line), PARSE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(parse_kv(S("a=1\nnot a line\n"), count_cb, &n, &line), PARSE_BAD_LINE);
	assert_int_equal(line, 2);
	assert_int_equal(parse_kv(S("=1"), count_cb, &n, &line), PARSE_BAD_LINE);
	assert_int_equal(parse_kv(S("A=1"), count_cb, &n, &line), PARSE_BAD_LINE);
	assert_int_equal(parse_kv(S("a=\x01"), count_cb, &n, &line), PARSE_BAD_LINE);
}

static void fake_device_records(void **state)
{
	struct drm_answer a;
	char err[128];

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_int_equal(fake_parse_device(S("vendor_id=0x1002\ndevice_id=0x73bf\n"
					     "render_node=/dev/dri/renderD128\n"
					     "ip_discovery_version=0x0a0300\nids_flags=0x1\n"),
					   &a, err, sizeof(err)), 0);
	assert_int_equal(a.device_id, 0x73bf);
	assert_int_equal(a.ip_discovery_version, 0x0a0300);
	assert_true(a.has_info);
	assert_int_equal(fake_parse_device(S("device_id=0x10000\n"), &a, err, sizeof(err)),
			 -22);
	assert_string_equal(err, "line 1: bad value for device_id");
	assert_int_equal(fake_parse_device(S("typo=1\n"), &a, err, sizeof(err)), -22);
	assert_int_equal(fake_parse_device(S("junk\n"), &a, err, sizeof(err)), -22);
	assert_string_equal(err, "line 1: not a key=value line");
}

static void every_error_has_a_name(void **state)
{
	int e;

	(void)state;
	for (e = PARSE_OK; e <= PARSE_BAD_LINE; e++)
		assert_string_not_equal(parse_strerror((enum parse_err)e), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ints),
		cmocka_unit_test(u64s),
		cmocka_unit_test(bools),
		cmocka_unit_test(words),
		cmocka_unit_test(lines),
		cmocka_unit_test(id_lists),
		cmocka_unit_test(versions),
		cmocka_unit_test(lockdown_and_efi),
		cmocka_unit_test(kv),
		cmocka_unit_test(fake_device_records),
		cmocka_unit_test(every_error_has_a_name),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
