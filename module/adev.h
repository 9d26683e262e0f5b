/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device check on a would-be struct amdgpu_device, fail closed: its
 * first two fields are "struct device *dev; struct pci_dev *pdev;" in every
 * kernel rmcp knows (5.10 to 7.2), so a real one satisfies
 * adev->dev == &adev->pdev->dev.
 *
 * Inline: the MTYPE hook runs it on every mapping request, and under TCG
 * each call and return of the handler's path costs as much as its work.
 */
#ifndef RMCP_MODULE_ADEV_H
#define RMCP_MODULE_ADEV_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <linux/uaccess.h>

struct rmcp_adev_head {
	void *dev;
	void *pdev;
};

/**
 * rmcp_adev_read() - read the first two fields of @adev without faulting
 * @adev: what the hooked function got as its first argument
 * @head: the fields
 *
 * Return: 0, or -EFAULT if @adev is NULL or not readable kernel memory.
 */
static __always_inline int rmcp_adev_read(const void *adev,
					  struct rmcp_adev_head *head)
{
	if (!adev)
		return -EFAULT;
	if (copy_from_kernel_nofault(head, adev, sizeof(*head)))
		return -EFAULT;
	return 0;
}

/**
 * rmcp_adev_is() - does @head belong to an amdgpu_device of @pdev?
 * @head: first two fields of the would-be amdgpu_device
 * @pdev: a PCI device rmcp knows (never dereferenced here)
 *
 * Return: true only if head->pdev is @pdev and head->dev is &pdev->dev.
 */
static __always_inline bool rmcp_adev_is(const struct rmcp_adev_head *head,
					 const struct pci_dev *pdev)
{
	return pdev && head->pdev == pdev && head->dev == &pdev->dev;
}

#endif /* RMCP_MODULE_ADEV_H */
