/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe: the collectors. Each fills one part of the model from the
 * backend through the reader layer; collect.c runs them in order.
 */
#ifndef RMCP_PROBE_COLLECTORS_H
#define RMCP_PROBE_COLLECTORS_H

#include "backend.h"
#include "model.h"

int kernel_cmp(unsigned int a1, unsigned int b1, unsigned int a2, unsigned int b2);

/* collect_system.c */
void collect_system(struct backend *be, struct model *m);
void collect_amdgpu(struct backend *be, struct model *m);
void collect_environment(struct backend *be, struct model *m);

/* collect_rmcp.c */
void collect_rmcp(struct backend *be, struct model *m);
void collect_rmcp_device(struct backend *be, struct model *m, struct gpu *g);

/* collect_gpu.c */
/* AMD display-class PCI functions (sysfs) and what libdrm says of them. */
int collect_gpus(struct backend *be, struct model *m, char *err, size_t errlen);
void collect_pci(struct backend *be, struct model *m, struct gpu *g);
void collect_kfd(struct backend *be, struct model *m);

/* classify.c */
void classify(struct model *m, struct gpu *g);
/* KFD node, classification and ISA override of every GPU. */
void classify_all(struct model *m);

#endif
