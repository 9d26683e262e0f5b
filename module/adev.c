// SPDX-License-Identifier: GPL-2.0
/*
 * The device check on a would-be struct amdgpu_device, fail closed.
 */
#include <linux/errno.h>
#include <linux/kprobes.h>
#include <linux/pci.h>
#include <linux/uaccess.h>

#include "adev.h"

/**
 * rmcp_adev_read() - read the first two fields of @adev without faulting
 * @adev: what the hooked function got as its first argument
 * @head: the fields
 *
 * Return: 0, or -EFAULT if @adev is NULL or not readable kernel memory.
 */
int rmcp_adev_read(const void *adev, struct rmcp_adev_head *head)
{
	if (!adev)
		return -EFAULT;
	if (copy_from_kernel_nofault(head, adev, sizeof(*head)))
		return -EFAULT;
	return 0;
}

NOKPROBE_SYMBOL(rmcp_adev_read);

/**
 * rmcp_adev_is() - does @head belong to an amdgpu_device of @pdev?
 * @head: first two fields of the would-be amdgpu_device
 * @pdev: a PCI device rmcp knows (never dereferenced here)
 *
 * Return: true only if head->pdev is @pdev and head->dev is &pdev->dev.
 */
bool rmcp_adev_is(const struct rmcp_adev_head *head,
		  const struct pci_dev *pdev)
{
	return pdev && head->pdev == pdev && head->dev == &pdev->dev;
}

NOKPROBE_SYMBOL(rmcp_adev_is);
