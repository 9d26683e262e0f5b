// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite rmcp_layout: the layout decision of module/layout.c, for all
 * eight combinations of the evidence.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "layout.h"

static const struct rmcp_layout_desc *rmcp_decide(bool pte, bool mtype,
						  bool gem, const char **why)
{
	struct rmcp_evidence ev = {
		.get_vm_pte = pte, .map_mtype = mtype, .gem_va_map_flags = gem,
	};

	*why = NULL;
	return rmcp_layout_decide(&ev, why);
}

static void rmcp_layout_old(struct kunit *test)
{
	const struct rmcp_layout_desc *l;
	const char *why;

	l = rmcp_decide(true, true, true, &why);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_EXPECT_EQ(test, (int)l->layout, (int)RMCP_LAYOUT_MAP_MTYPE);
	KUNIT_EXPECT_STREQ(test, l->symbol, "gmc_v10_0_map_mtype");
	KUNIT_EXPECT_EQ(test, l->arg, 1U);
	KUNIT_EXPECT_NULL(test, why);
}

static void rmcp_layout_new(struct kunit *test)
{
	const struct rmcp_layout_desc *l;
	const char *why;

	l = rmcp_decide(true, false, false, &why);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_EXPECT_EQ(test, (int)l->layout, (int)RMCP_LAYOUT_VM_FLAGS);
	KUNIT_EXPECT_STREQ(test, l->symbol, "gmc_v10_0_get_vm_pte");
	KUNIT_EXPECT_EQ(test, l->arg, 3U);
	KUNIT_EXPECT_NULL(test, why);
}

/* Every other combination refuses, with a reason. */
static void rmcp_layout_refused(struct kunit *test)
{
	static const bool cases[][3] = {
		{ true, true, false }, { true, false, true },
		{ false, false, false }, { false, true, true },
		{ false, true, false }, { false, false, true },
	};
	const char *why;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_NULL_MSG(test, rmcp_decide(cases[i][0], cases[i][1],
							cases[i][2], &why),
				      "case %u", i);
		KUNIT_ASSERT_NOT_NULL_MSG(test, why, "case %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, !!strstr(why, "evidence"),
				      "case %u: %s", i, why);
	}
}

static struct kunit_case rmcp_layout_cases[] = {
	KUNIT_CASE(rmcp_layout_old),
	KUNIT_CASE(rmcp_layout_new),
	KUNIT_CASE(rmcp_layout_refused),
	{}
};

static struct kunit_suite rmcp_layout_suite = {
	.name = "rmcp_layout",
	.test_cases = rmcp_layout_cases,
};

kunit_test_suite(rmcp_layout_suite);

MODULE_LICENSE("GPL");
