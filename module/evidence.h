/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evidence from the loaded amdgpu: which functions its own symbol table
 * holds (evidence.c).
 */
#ifndef RMCP_MODULE_EVIDENCE_H
#define RMCP_MODULE_EVIDENCE_H

#include "layout.h"

int rmcp_evidence_read(struct rmcp_evidence *ev, const char **sym);
bool rmcp_amdgpu_loaded(void);
bool rmcp_amdgpu_builtin(void);

#endif /* RMCP_MODULE_EVIDENCE_H */
