// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite rmcp_adev: the device check of module/adev.h accepts only a
 * well-formed fake amdgpu_device (dev == &pdev->dev, pdev the device asked
 * about) and refuses everything else without faulting.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "adev.h"

struct rmcp_fake_adev {
	void *dev;
	void *pdev;
	u64 rest[8];
};

static bool rmcp_check(const void *adev, const struct pci_dev *pdev)
{
	struct rmcp_adev_head h;

	return !rmcp_adev_read(adev, &h) && rmcp_adev_is(&h, pdev);
}

static void rmcp_adev_wellformed(struct kunit *test)
{
	struct pci_dev *pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	struct rmcp_fake_adev *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_ASSERT_NOT_NULL(test, a);
	a->dev = &pdev->dev;
	a->pdev = pdev;
	KUNIT_EXPECT_TRUE(test, rmcp_check(a, pdev));
}

static void rmcp_adev_malformed(struct kunit *test)
{
	struct pci_dev *pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	struct pci_dev *other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);
	struct rmcp_fake_adev *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct rmcp_adev_head h;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_ASSERT_NOT_NULL(test, a);

	KUNIT_EXPECT_EQ(test, rmcp_adev_read(NULL, &h), -EFAULT);
	KUNIT_EXPECT_FALSE(test, rmcp_check(NULL, pdev));
	/* unreadable: non-canonical, user space, the NULL page */
	KUNIT_EXPECT_FALSE(test, rmcp_check((void *)0xdead000000000000UL, pdev));
	KUNIT_EXPECT_FALSE(test, rmcp_check((void *)0x1000UL, pdev));
	KUNIT_EXPECT_FALSE(test, rmcp_check((void *)0x10UL, pdev));

	a->dev = NULL;			/* dev missing */
	a->pdev = pdev;
	KUNIT_EXPECT_FALSE(test, rmcp_check(a, pdev));
	a->dev = &other->dev;		/* dev of another device */
	KUNIT_EXPECT_FALSE(test, rmcp_check(a, pdev));
	a->dev = pdev;			/* pdev itself, not &pdev->dev */
	KUNIT_EXPECT_FALSE(test, rmcp_check(a, pdev));
	a->dev = &pdev->dev;		/* well formed, but another device */
	KUNIT_EXPECT_FALSE(test, rmcp_check(a, other));
	a->pdev = NULL;			/* pdev missing */
	KUNIT_EXPECT_FALSE(test, rmcp_check(a, pdev));
	a->dev = &other->dev;		/* swapped */
	a->pdev = pdev;
	KUNIT_EXPECT_FALSE(test, rmcp_check(a, other));
	a->dev = &pdev->dev;
	a->pdev = pdev;
	KUNIT_EXPECT_FALSE(test, rmcp_check(a, NULL));
	KUNIT_EXPECT_TRUE(test, rmcp_check(a, pdev));
}

static struct kunit_case rmcp_adev_cases[] = {
	KUNIT_CASE(rmcp_adev_wellformed),
	KUNIT_CASE(rmcp_adev_malformed),
	{}
};

static struct kunit_suite rmcp_adev_suite = {
	.name = "rmcp_adev",
	.test_cases = rmcp_adev_cases,
};

kunit_test_suite(rmcp_adev_suite);

MODULE_LICENSE("GPL");
