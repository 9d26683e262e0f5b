// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite rmcp_ids: the PCI-ID table of include/rmcp/id-table.h and the
 * extra_ids= / exclude_ids= rules of module/ids.c.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <rmcp/sysfs.h>

#include "ids.h"

static void rmcp_ids_table(struct kunit *test)
{
	const struct rmcp_id *r;
	unsigned int i, j;

	KUNIT_EXPECT_EQ(test, rmcp_id_count(), (unsigned int)RMCP_ID_COUNT);
	KUNIT_EXPECT_NULL(test, rmcp_id_at(RMCP_ID_COUNT));
	for (i = 0; i < rmcp_id_count(); i++) {
		r = rmcp_id_at(i);
		KUNIT_ASSERT_NOT_NULL(test, r);
		KUNIT_EXPECT_PTR_EQ(test, rmcp_id_lookup(RMCP_PCI_VENDOR_AMD,
							 r->device), r);
		KUNIT_EXPECT_EQ(test, r->gc_major, 10);
		KUNIT_EXPECT_TRUE(test, r->gc_minor == 1 || r->gc_minor == 3);
		KUNIT_EXPECT_EQ(test, r->rdna, r->gc_minor == 1 ? 1 : 2);
		KUNIT_EXPECT_EQ(test, strncmp(r->gfx, "gfx10", 5), 0);
		KUNIT_EXPECT_TRUE(test, r->kind == RMCP_KIND_DGPU ||
				  r->kind == RMCP_KIND_APU);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, rmcp_id_at(j)->device, r->device);
	}
}

static void rmcp_ids_lookup(struct kunit *test)
{
	const struct rmcp_id *r;

	r = rmcp_id_lookup(0x1002, 0x73bf);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r->gfx, "gfx1030");
	KUNIT_EXPECT_EQ(test, r->kind, RMCP_KIND_DGPU);
	r = rmcp_id_lookup(0x1002, 0x7310);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r->gfx, "gfx1010");
	r = rmcp_id_lookup(0x1002, 0x163f);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->kind, RMCP_KIND_APU);
	KUNIT_EXPECT_NULL(test, rmcp_id_lookup(0x1002, 0x744c)); /* RDNA3 */
	KUNIT_EXPECT_NULL(test, rmcp_id_lookup(0x1002, 0x5046)); /* ati-vga */
	KUNIT_EXPECT_NULL(test, rmcp_id_lookup(0x8086, 0x73bf));
}

/* "1002:7300,1002:7301,..." with @n ids */
static void rmcp_many_ids(char *buf, size_t size, unsigned int n)
{
	unsigned int i;
	int len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, size - len, "%s1002:73%02x",
				 i ? "," : "", i);
}

static void rmcp_ids_parse_good(struct kunit *test)
{
	struct rmcp_id_list l;
	const char *why = NULL;
	char buf[256];

	KUNIT_EXPECT_EQ(test, rmcp_id_list_parse("", &l, &why), 0);
	KUNIT_EXPECT_EQ(test, l.n, 0U);
	KUNIT_EXPECT_EQ(test, rmcp_id_list_parse("1002:5046", &l, &why), 0);
	KUNIT_EXPECT_EQ(test, l.n, 1U);
	KUNIT_EXPECT_EQ(test, l.ids[0], 0x10025046U);
	KUNIT_EXPECT_EQ(test, rmcp_id_list_parse("1002:73BF,1002:164e,abcd:EF01",
						 &l, &why), 0);
	KUNIT_EXPECT_EQ(test, l.n, 3U);
	KUNIT_EXPECT_TRUE(test, rmcp_id_list_has(&l, 0x1002, 0x73bf));
	KUNIT_EXPECT_TRUE(test, rmcp_id_list_has(&l, 0xabcd, 0xef01));
	KUNIT_EXPECT_FALSE(test, rmcp_id_list_has(&l, 0x1002, 0x73a0));
	rmcp_id_list_print(&l, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "1002:73bf,1002:164e,abcd:ef01");
	rmcp_many_ids(buf, sizeof(buf), RMCP_MAX_USER_IDS);
	KUNIT_EXPECT_EQ(test, rmcp_id_list_parse(buf, &l, &why), 0);
	KUNIT_EXPECT_EQ(test, l.n, (unsigned int)RMCP_MAX_USER_IDS);
	rmcp_many_ids(buf, sizeof(buf), RMCP_MAX_USER_IDS + 1);
	KUNIT_EXPECT_EQ(test, rmcp_id_list_parse(buf, &l, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "too many ids");
}

static const char * const rmcp_bad_lists[] = {
	"garbage", "1002", "1002:", ":73bf", "1002:73b", "1002:73bg",
	"100g:73bf", "+002:73bf", "-1002:73bf", "1002:-73b", "10020:73bf",
	"1002:73bf0", "1002:73bf,", ",1002:73bf", "1002:73bf,,1002:73a0",
	"1002-73bf", "1002;73bf", "1002:73bf;1002:73a0", "1002:73bf 1002:73a0",
	" 1002:73bf", "1002:73bf ", "1002:73bf\n", "0x1002:0x73bf", ",",
};

static void rmcp_ids_parse_bad(struct kunit *test)
{
	struct rmcp_id_list l = { .n = 7 };
	const char *why;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rmcp_bad_lists); i++) {
		why = NULL;
		KUNIT_EXPECT_EQ_MSG(test, rmcp_id_list_parse(rmcp_bad_lists[i],
							     &l, &why),
				    -EINVAL, "'%s'", rmcp_bad_lists[i]);
		KUNIT_EXPECT_NOT_NULL_MSG(test, why, "'%s'", rmcp_bad_lists[i]);
		KUNIT_EXPECT_EQ(test, l.n, 7U);	/* untouched */
	}
}

static void rmcp_ids_match(struct kunit *test)
{
	struct rmcp_id_list none = { .n = 0 };
	struct rmcp_id_list vga = { .n = 1, .ids = { 0x10025046 } };
	struct rmcp_id_list navi21 = { .n = 1, .ids = { 0x100273bf } };
	struct rmcp_id_list apu = { .n = 1, .ids = { 0x1002164d } };

	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x1002, 0x73bf, &none, &none, false),
			RMCP_M_TABLE);
	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x1002, 0x73bf, &none, &navi21, false),
			RMCP_M_EXCLUDED);
	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x1002, 0x73bf, &navi21, &navi21, true),
			RMCP_M_EXCLUDED);
	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x1002, 0x164d, &none, &none, false),
			RMCP_M_APU_OFF);
	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x1002, 0x164d, &none, &none, true),
			RMCP_M_TABLE);
	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x1002, 0x164d, &apu, &none, false),
			RMCP_M_EXTRA);
	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x1002, 0x5046, &none, &none, true),
			RMCP_M_NONE);
	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x1002, 0x5046, &vga, &none, false),
			RMCP_M_EXTRA);
	KUNIT_EXPECT_EQ(test, rmcp_match_device(0x8086, 0x73bf, &none, &none, true),
			RMCP_M_NONE);
	KUNIT_EXPECT_TRUE(test, rmcp_match_is_matched(RMCP_M_TABLE));
	KUNIT_EXPECT_TRUE(test, rmcp_match_is_matched(RMCP_M_EXTRA));
	KUNIT_EXPECT_FALSE(test, rmcp_match_is_matched(RMCP_M_EXCLUDED));
	KUNIT_EXPECT_FALSE(test, rmcp_match_is_matched(RMCP_M_APU_OFF));
	KUNIT_EXPECT_FALSE(test, rmcp_match_is_matched(RMCP_M_NONE));
	KUNIT_EXPECT_STREQ(test, rmcp_match_name(RMCP_M_APU_OFF), RMCP_MATCH_APU_OFF);
	KUNIT_EXPECT_STREQ(test, rmcp_match_name(RMCP_M_NONE), RMCP_MATCH_NONE);
}

static struct kunit_case rmcp_ids_cases[] = {
	KUNIT_CASE(rmcp_ids_table),
	KUNIT_CASE(rmcp_ids_lookup),
	KUNIT_CASE(rmcp_ids_parse_good),
	KUNIT_CASE(rmcp_ids_parse_bad),
	KUNIT_CASE(rmcp_ids_match),
	{}
};

static struct kunit_suite rmcp_ids_suite = {
	.name = "rmcp_ids",
	.test_cases = rmcp_ids_cases,
};

kunit_test_suite(rmcp_ids_suite);

MODULE_LICENSE("GPL");
