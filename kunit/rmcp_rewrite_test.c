// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite rmcp_rewrite: the MTYPE rules of module/rewrite.h.
 *
 * Every value of the 3-bit MTYPE field (bits 50:48) is combined with every
 * pattern of the other bits (named PTE bits, their combinations, and each
 * single bit outside the field): only CC changes, it becomes NC, no bit
 * outside 50:48 ever changes, and applying the rule twice equals applying
 * it once.
 */
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/kernel.h>

#include "rewrite.h"

/* gfx10 PTE bits outside the MTYPE field (amdgpu_vm.h, gmc_v10_0.c) */
#define PTE_VALID	BIT_ULL(0)
#define PTE_SYSTEM	BIT_ULL(1)
#define PTE_SNOOPED	BIT_ULL(2)
#define PTE_TMZ		BIT_ULL(3)
#define PTE_EXEC	BIT_ULL(4)
#define PTE_READ	BIT_ULL(5)
#define PTE_WRITE	BIT_ULL(6)
#define PTE_FRAG_2M	(9ULL << 7)
#define PTE_ADDR	GENMASK_ULL(47, 12)
#define PTE_PRT		BIT_ULL(51)
#define PTE_LOG		BIT_ULL(55)
#define PTE_TF		BIT_ULL(56)
#define PTE_NOALLOC	BIT_ULL(58)
#define PTE_HIGH	GENMASK_ULL(63, 59)

static const u64 rmcp_named_patterns[] = {
	0,
	PTE_EXEC,
	PTE_PRT,
	PTE_NOALLOC,
	PTE_LOG,
	PTE_TF,
	PTE_HIGH,
	PTE_ADDR,
	PTE_VALID | PTE_SYSTEM | PTE_SNOOPED | PTE_READ | PTE_WRITE,
	PTE_EXEC | PTE_PRT | PTE_NOALLOC | PTE_LOG | PTE_TMZ,
	PTE_VALID | PTE_READ | PTE_WRITE | PTE_FRAG_2M | 0x0000123456789000ULL,
	BIT_ULL(47) | BIT_ULL(51),	/* both neighbours of the field */
	GENMASK_ULL(55, 51),		/* every bit just above the field */
	~RMCP_MTYPE_MASK,		/* all ones except the field */
};

/* Named patterns, then every single bit outside the field. */
#define RMCP_NPATTERNS	(ARRAY_SIZE(rmcp_named_patterns) + 64)

static u64 rmcp_pattern(unsigned int i)
{
	if (i < ARRAY_SIZE(rmcp_named_patterns))
		return rmcp_named_patterns[i];
	return BIT_ULL(i - ARRAY_SIZE(rmcp_named_patterns)) & ~RMCP_MTYPE_MASK;
}

static u64 rmcp_with_mtype(u64 pattern, unsigned int mtype)
{
	return (pattern & ~RMCP_MTYPE_MASK) | ((u64)mtype << RMCP_MTYPE_SHIFT);
}

static const unsigned int rmcp_all_mtypes[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
static const unsigned int rmcp_non_cc_mtypes[] = { 0, 1, 3, 4, 5, 6, 7 };

static void rmcp_mtype_desc(const unsigned int *mtype, char *desc)
{
	static const char * const names[] = { "NC", "WC", "CC", "UC" };

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "mtype %u (%s)", *mtype,
		 *mtype < ARRAY_SIZE(names) ? names[*mtype] : "reserved");
}

KUNIT_ARRAY_PARAM(rmcp_all_mtypes, rmcp_all_mtypes, rmcp_mtype_desc);
KUNIT_ARRAY_PARAM(rmcp_non_cc_mtypes, rmcp_non_cc_mtypes, rmcp_mtype_desc);

/* CC becomes NC, and nothing else about the PTE changes. */
static void rmcp_rewrite_cc_becomes_nc(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < RMCP_NPATTERNS; i++) {
		u64 in = rmcp_with_mtype(rmcp_pattern(i), RMCP_MTYPE_CC);
		u64 out = rmcp_rewrite_pte(in);

		KUNIT_EXPECT_EQ_MSG(test, rmcp_pte_mtype(out),
				    (unsigned int)RMCP_MTYPE_NC,
				    "in %#018llx out %#018llx", in, out);
		KUNIT_EXPECT_EQ_MSG(test, out, in & ~RMCP_MTYPE_MASK,
				    "in %#018llx", in);
	}
}

/* NC, WC, UC and the reserved values 4..7 pass through unchanged. */
static void rmcp_rewrite_others_unchanged(struct kunit *test)
{
	const unsigned int *mtype = test->param_value;
	unsigned int i;

	for (i = 0; i < RMCP_NPATTERNS; i++) {
		u64 in = rmcp_with_mtype(rmcp_pattern(i), *mtype);

		KUNIT_EXPECT_EQ_MSG(test, rmcp_rewrite_pte(in), in,
				    "in %#018llx", in);
	}
}

/* Whatever the input, only bits 50:48 may differ. */
static void rmcp_rewrite_only_field_bits_change(struct kunit *test)
{
	const unsigned int *mtype = test->param_value;
	unsigned int i;

	for (i = 0; i < RMCP_NPATTERNS; i++) {
		u64 in = rmcp_with_mtype(rmcp_pattern(i), *mtype);
		u64 diff = in ^ rmcp_rewrite_pte(in);

		KUNIT_EXPECT_EQ_MSG(test, diff & ~RMCP_MTYPE_MASK, 0ULL,
				    "in %#018llx", in);
	}
}

/* Applying the rule twice equals applying it once; the result is never CC. */
static void rmcp_rewrite_idempotent(struct kunit *test)
{
	const unsigned int *mtype = test->param_value;
	unsigned int i;

	for (i = 0; i < RMCP_NPATTERNS; i++) {
		u64 in = rmcp_with_mtype(rmcp_pattern(i), *mtype);
		u64 once = rmcp_rewrite_pte(in);

		KUNIT_EXPECT_EQ_MSG(test, rmcp_rewrite_pte(once), once,
				    "in %#018llx", in);
		KUNIT_EXPECT_NE_MSG(test, rmcp_pte_mtype(once),
				    (unsigned int)RMCP_MTYPE_CC,
				    "in %#018llx", in);
	}
}

/* The literal values amdgpu's gfx10 code uses for the field. */
static void rmcp_rewrite_field_values(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, RMCP_MTYPE_MASK, 0x0007000000000000ULL);
	KUNIT_EXPECT_EQ(test, rmcp_pte_mtype(0x0002000000000000ULL),
			(unsigned int)RMCP_MTYPE_CC);
	KUNIT_EXPECT_EQ(test, rmcp_rewrite_pte(0x0002000000000000ULL), 0ULL);
	KUNIT_EXPECT_EQ(test, rmcp_rewrite_pte(0x0001000000000000ULL),
			0x0001000000000000ULL);
	KUNIT_EXPECT_EQ(test, rmcp_rewrite_pte(0x0003000000000000ULL),
			0x0003000000000000ULL);
	KUNIT_EXPECT_EQ(test, rmcp_rewrite_pte(0xfffaffffffffffffULL),
			0xfff8ffffffffffffULL);
}

/*
 * The request rule: every value of the 4-bit uapi field with every single
 * other bit of the u32 set or not; only a CC request changes, to NC, and
 * nothing outside bits 8:5 ever changes.
 */
static void rmcp_rewrite_request_rule(struct kunit *test)
{
	unsigned int field, bit;

	for (field = 0; field < 16; field++) {
		for (bit = 0; bit <= 32; bit++) {
			u32 other = bit < 32 ? BIT(bit) & ~RMCP_VM_MTYPE_MASK : 0;
			u32 in = other | (field << RMCP_VM_MTYPE_SHIFT);
			u32 out = rmcp_rewrite_request(in);

			if (field == 3)
				KUNIT_EXPECT_EQ_MSG(test, out,
						    other | RMCP_VM_MTYPE_NC,
						    "in %#x", in);
			else
				KUNIT_EXPECT_EQ_MSG(test, out, in, "in %#x", in);
			KUNIT_EXPECT_FALSE_MSG(test, rmcp_request_is_cc(out),
					       "in %#x", in);
		}
	}
	/* uapi values: AMDGPU_VM_MTYPE_CC (3 << 5), _NC (1 << 5), _UC (4 << 5) */
	KUNIT_EXPECT_EQ(test, rmcp_rewrite_request(0x60), 0x20U);
	KUNIT_EXPECT_EQ(test, rmcp_rewrite_request(0x62), 0x22U);
	KUNIT_EXPECT_EQ(test, rmcp_rewrite_request(0x80), 0x80U);
	KUNIT_EXPECT_EQ(test, rmcp_rewrite_request(0x20), 0x20U);
}

static struct kunit_case rmcp_rewrite_cases[] = {
	KUNIT_CASE(rmcp_rewrite_request_rule),
	KUNIT_CASE(rmcp_rewrite_cc_becomes_nc),
	KUNIT_CASE_PARAM(rmcp_rewrite_others_unchanged,
			 rmcp_non_cc_mtypes_gen_params),
	KUNIT_CASE_PARAM(rmcp_rewrite_only_field_bits_change,
			 rmcp_all_mtypes_gen_params),
	KUNIT_CASE_PARAM(rmcp_rewrite_idempotent, rmcp_all_mtypes_gen_params),
	KUNIT_CASE(rmcp_rewrite_field_values),
	{}
};

static struct kunit_suite rmcp_rewrite_suite = {
	.name = "rmcp_rewrite",
	.test_cases = rmcp_rewrite_cases,
};

kunit_test_suite(rmcp_rewrite_suite);

MODULE_LICENSE("GPL");
