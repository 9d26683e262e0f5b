// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite rmcp_policy: legal values of noretry= / vm_fragment_size= and
 * the policy decision per device kind and parameter combination
 * (module/policy.c).
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <rmcp/sysfs.h>

#include "policy.h"

static void rmcp_policy_parse(struct kunit *test)
{
	static const char * const bad[] = {
		"", "2", "-2", "+1", "01", "1 ", " 1", "1\n", "garbage", "0x1",
		"99999999999", "-", "--1", "-0", "1.0",
	};
	static const char * const bad_vmfs[] = {
		"", "3", "10", "0", "1", "-2", "+9", "09", "9x", "0x9", "-0",
		"4294967305",
	};
	unsigned int i;
	int v;

	KUNIT_EXPECT_EQ(test, rmcp_policy_parse_noretry("-1", &v), 0);
	KUNIT_EXPECT_EQ(test, v, RMCP_POLICY_LEAVE);
	KUNIT_EXPECT_EQ(test, rmcp_policy_parse_noretry("0", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	KUNIT_EXPECT_EQ(test, rmcp_policy_parse_noretry("1", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, rmcp_policy_parse_noretry(bad[i], &v),
				    -EINVAL, "noretry '%s'", bad[i]);
	for (i = 4; i <= 9; i++) {
		char s[2] = { '0' + i, 0 };

		KUNIT_EXPECT_EQ(test, rmcp_policy_parse_vm_fragment_size(s, &v), 0);
		KUNIT_EXPECT_EQ(test, v, (int)i);
	}
	KUNIT_EXPECT_EQ(test, rmcp_policy_parse_vm_fragment_size("-1", &v), 0);
	KUNIT_EXPECT_EQ(test, v, RMCP_POLICY_LEAVE);
	for (i = 0; i < ARRAY_SIZE(bad_vmfs); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    rmcp_policy_parse_vm_fragment_size(bad_vmfs[i], &v),
				    -EINVAL, "vm_fragment_size '%s'", bad_vmfs[i]);
}

/* device kind x amdgpu loaded first x noretry x vm_fragment_size */
static void rmcp_policy_decisions(struct kunit *test)
{
	static const int noretry[] = { -1, 0, 1 };
	static const int vmfs[] = { -1, 4, 9 };
	enum rmcp_policy_state s, want;
	unsigned int m, f, i, j;

	for (m = 0; m < 2; m++)
		for (f = 0; f < 2; f++)
			for (i = 0; i < ARRAY_SIZE(noretry); i++)
				for (j = 0; j < ARRAY_SIZE(vmfs); j++) {
					s = rmcp_policy_decide(m, f, noretry[i], vmfs[j]);
					if (!m || (noretry[i] == -1 && vmfs[j] == -1))
						want = RMCP_PS_SKIPPED;
					else if (f)
						want = RMCP_PS_TOO_LATE;
					else
						want = RMCP_PS_PENDING;
					KUNIT_EXPECT_EQ_MSG(test, s, want,
							    "matched=%u first=%u noretry=%d vmfs=%d",
							    m, f, noretry[i], vmfs[j]);
				}
}

static void rmcp_policy_values(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, rmcp_policy_value(-1, 0), 0);
	KUNIT_EXPECT_EQ(test, rmcp_policy_value(-1, -1), -1);
	KUNIT_EXPECT_EQ(test, rmcp_policy_value(1, 0), 1);
	KUNIT_EXPECT_EQ(test, rmcp_policy_value(0, 1), 0);
	KUNIT_EXPECT_EQ(test, rmcp_policy_value(9, -1), 9);
	KUNIT_EXPECT_STREQ(test, rmcp_policy_name(RMCP_PS_APPLIED), RMCP_POLICY_APPLIED);
	KUNIT_EXPECT_STREQ(test, rmcp_policy_name(RMCP_PS_TOO_LATE), RMCP_POLICY_TOO_LATE);
	KUNIT_EXPECT_STREQ(test, rmcp_policy_name(RMCP_PS_SKIPPED), RMCP_POLICY_SKIPPED);
	KUNIT_EXPECT_STREQ(test, rmcp_policy_name(RMCP_PS_PENDING), RMCP_POLICY_PENDING);
}

static struct kunit_case rmcp_policy_cases[] = {
	KUNIT_CASE(rmcp_policy_parse),
	KUNIT_CASE(rmcp_policy_decisions),
	KUNIT_CASE(rmcp_policy_values),
	{}
};

static struct kunit_suite rmcp_policy_suite = {
	.name = "rmcp_policy",
	.test_cases = rmcp_policy_cases,
};

kunit_test_suite(rmcp_policy_suite);

MODULE_LICENSE("GPL");
