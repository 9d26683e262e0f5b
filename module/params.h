/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp's module parameters, parsed once at load (params.c).
 */
#ifndef RMCP_MODULE_PARAMS_H
#define RMCP_MODULE_PARAMS_H

#include <linux/types.h>

#include "ids.h"

struct rmcp_params {
	bool enable;		/* the only one writable after load */
	bool apu;
	int noretry;
	int vm_fragment_size;
	struct rmcp_id_list extra_ids;
	struct rmcp_id_list exclude_ids;
};

extern struct rmcp_params rmcp_param;

int rmcp_params_parse(void);
void rmcp_params_live(void);

#endif /* RMCP_MODULE_PARAMS_H */
