// SPDX-License-Identifier: GPL-2.0
/*
 * PCI-ID matching: table lookup, extra_ids= / exclude_ids= parsing and the
 * match decision.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <rmcp/sysfs.h>

#include "ids.h"

#define RMCP_ID(dev, maj, min, rev, rd, gfx_, kind_, chip_) \
	{ .device = (dev), .gc_major = (maj), .gc_minor = (min), \
	  .gc_rev = (rev), .rdna = (rd), .kind = (kind_), .gfx = (gfx_), \
	  .chip = (chip_) },

static const struct rmcp_id rmcp_ids[] = {
#include <rmcp/id-table.h>
};

#undef RMCP_ID

static_assert(ARRAY_SIZE(rmcp_ids) == RMCP_ID_COUNT);

unsigned int rmcp_id_count(void)
{
	return ARRAY_SIZE(rmcp_ids);
}

const struct rmcp_id *rmcp_id_at(unsigned int i)
{
	return i < ARRAY_SIZE(rmcp_ids) ? &rmcp_ids[i] : NULL;
}

const struct rmcp_id *rmcp_id_lookup(u16 vendor, u16 device)
{
	unsigned int i;

	if (vendor != RMCP_PCI_VENDOR_AMD)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(rmcp_ids); i++)
		if (rmcp_ids[i].device == device)
			return &rmcp_ids[i];
	return NULL;
}

/* Exactly four hex digits at @s; -1 if not. */
static int rmcp_hex4(const char *s)
{
	int v = 0, i, d;

	for (i = 0; i < 4; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return -1;
		v = (v << 4) | d;
	}
	return v;
}

/**
 * rmcp_id_list_parse() - parse "vvvv:dddd[,vvvv:dddd...]"
 * @s: the text; "" is the empty list
 * @list: the result (untouched on error)
 * @why: on error, what is wrong (static text)
 *
 * Return: 0, or -EINVAL for anything but the exact form: 4 hex digits, a
 * colon, 4 hex digits, items separated by single commas, at most
 * RMCP_MAX_USER_IDS items. No signs, blanks, empty items or trailing comma.
 */
int rmcp_id_list_parse(const char *s, struct rmcp_id_list *list,
		       const char **why)
{
	struct rmcp_id_list l = { .n = 0 };
	int v, d;

	if (!*s) {
		*list = l;
		return 0;
	}
	for (;;) {
		if (*s == ',' || !*s) {
			*why = "empty item";
			return -EINVAL;
		}
		if (l.n == RMCP_MAX_USER_IDS) {
			*why = "too many ids";
			return -EINVAL;
		}
		v = rmcp_hex4(s);
		if (v < 0) {
			*why = "vendor is not 4 hex digits";
			return -EINVAL;
		}
		if (s[4] != ':') {
			*why = "expected ':' after the vendor";
			return -EINVAL;
		}
		d = rmcp_hex4(s + 5);
		if (d < 0) {
			*why = "device is not 4 hex digits";
			return -EINVAL;
		}
		l.ids[l.n++] = ((u32)v << 16) | (u32)d;
		s += 9;
		if (!*s)
			break;
		if (*s != ',') {
			*why = "expected ',' between ids";
			return -EINVAL;
		}
		s++;
		if (!*s) {
			*why = "trailing comma";
			return -EINVAL;
		}
	}
	*list = l;
	return 0;
}

bool rmcp_id_list_has(const struct rmcp_id_list *list, u16 vendor, u16 device)
{
	u32 id = ((u32)vendor << 16) | device;
	unsigned int i;

	for (i = 0; i < list->n; i++)
		if (list->ids[i] == id)
			return true;
	return false;
}

/* The list in its canonical form (lower case), as parameters/ shows it. */
int rmcp_id_list_print(const struct rmcp_id_list *list, char *buf,
		       size_t size)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < list->n; i++)
		n += scnprintf(buf + n, size - n, "%s%04x:%04x", i ? "," : "",
			       list->ids[i] >> 16, list->ids[i] & 0xffff);
	return n;
}

/**
 * rmcp_match_device() - is this PCI device one whose PTEs rmcp guards?
 * @vendor: PCI vendor id
 * @device: PCI device id
 * @extra: extra_ids=
 * @exclude: exclude_ids=, which wins over everything
 * @apu: apu=, whether APUs of the table are matched
 *
 * Return: the reason; see rmcp_match_is_matched().
 */
enum rmcp_match rmcp_match_device(u16 vendor, u16 device,
				  const struct rmcp_id_list *extra,
				  const struct rmcp_id_list *exclude, bool apu)
{
	const struct rmcp_id *row;

	if (rmcp_id_list_has(exclude, vendor, device))
		return RMCP_M_EXCLUDED;
	if (rmcp_id_list_has(extra, vendor, device))
		return RMCP_M_EXTRA;
	row = rmcp_id_lookup(vendor, device);
	if (!row)
		return RMCP_M_NONE;
	if (row->kind == RMCP_KIND_APU && !apu)
		return RMCP_M_APU_OFF;
	return RMCP_M_TABLE;
}

bool rmcp_match_is_matched(enum rmcp_match m)
{
	return m == RMCP_M_TABLE || m == RMCP_M_EXTRA;
}

const char *rmcp_match_name(enum rmcp_match m)
{
	switch (m) {
	case RMCP_M_TABLE:
		return RMCP_MATCH_TABLE;
	case RMCP_M_EXTRA:
		return RMCP_MATCH_EXTRA;
	case RMCP_M_EXCLUDED:
		return RMCP_MATCH_EXCLUDED;
	case RMCP_M_APU_OFF:
		return RMCP_MATCH_APU_OFF;
	default:
		return RMCP_MATCH_NONE;
	}
}
