/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device check on a would-be struct amdgpu_device: its first two fields
 * are "struct device *dev; struct pci_dev *pdev;" in every kernel rmcp knows
 * (6.1, 6.12, 7.2), so a real one satisfies adev->dev == &adev->pdev->dev.
 */
#ifndef RMCP_MODULE_ADEV_H
#define RMCP_MODULE_ADEV_H

#include <linux/types.h>

struct pci_dev;

struct rmcp_adev_head {
	void *dev;
	void *pdev;
};

int rmcp_adev_read(const void *adev, struct rmcp_adev_head *head);
bool rmcp_adev_is(const struct rmcp_adev_head *head,
		  const struct pci_dev *pdev);

#endif /* RMCP_MODULE_ADEV_H */
