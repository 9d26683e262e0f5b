// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe --faults: the kernel log parser (see faults.h).
 *
 * The shapes come from the kernel's printing code, gmc_v10_0.c
 * gmc_v10_0_process_interrupt() and gfxhub_v2_0.c / gfxhub_v2_1.c
 * print_l2_protection_fault_status(), 5.10 to 7.x:
 *
 *   [gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:32770, for process P pid N thread T pid M)
 *   [gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:32770)    then  " in process P pid N ..."
 *   [gfxhub0] no-retry page fault (src_id:...)                   then  " Process P pid N ..."
 *     in page starting at address 0x00007f0000001000 from client 27
 *     in page starting at address 0x... from client 0x1b (UTCL2)  / from IH client 0x1b (UTCL2)
 *   GCVM_L2_PROTECTION_FAULT_STATUS:0x00800A30   (VM_L2_... on gfx9, MMVM_... for mmhub)
 *   \t Faulty UTCL2 client ID: TCP (0x8)          (5.10: "Faulty UTCL2 client ID: 0x8")
 *   \t MORE_FAULTS: 0x0 ... WALKER_ERROR, PERMISSION_FAULTS, MAPPING_ERROR, RW
 *
 * Every line may carry a dmesg, dmesg -T, dmesg -x, dmesg --time-format=iso,
 * journalctl or syslog prefix, or
 * be a /dev/kmsg record; lines of several GPUs may interleave.
 */
#include "faults.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define LINE_MAX_LEN	1024

void fault_status_decode(uint32_t raw, struct fault_status *s)
{
	/* GCVM_L2_PROTECTION_FAULT_STATUS masks, gc_10_1_0_sh_mask.h */
	s->raw = raw;
	s->more_faults = raw & 0x1;
	s->walker_error = (raw & 0xe) >> 1;
	s->permission_faults = (raw & 0xf0) >> 4;
	s->mapping_error = (raw & 0x100) >> 8;
	s->cid = (raw & 0x3fe00) >> 9;
	s->rw = (raw & 0x40000) >> 18;
	s->vmid = (raw & 0xf00000) >> 20;
}

const char *gfxhub_client_name(unsigned int cid)
{
	/* gfxhub_client_ids[] in gfxhub_v2_0.c and gfxhub_v2_1.c */
	static const char *const n[] = {
		"CB/DB", "Reserved", "GE1", "GE2", "CPF", "CPC", "CPG", "RLC", "TCP",
		"SQC (inst)", "SQC (data)", "SQG", "Reserved", "SDMA0", "SDMA1", "GCR",
		"SDMA2", "SDMA3",
	};

	return cid < sizeof(n) / sizeof(n[0]) ? n[cid] : NULL;
}

const char *log_event_name(enum log_event_kind k)
{
	static const char *const n[] = { "gpu-reset", "ring-timeout", "firmware",
					 "probe-failed", "gpu-hang" };

	return k <= EV_GPU_HANG ? n[k] : "event";
}

/* One parsed line: timestamp, device, message. */
struct line {
	char ts[40];
	char dev[16];
	const char *msg;
	char buf[LINE_MAX_LEN];
};

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool is_bdf(const char *s)
{
	unsigned int i;

	/* dddd:bb:dd.f */
	for (i = 0; i < 12; i++) {
		char c = s[i];

		if (i == 4 || i == 7) {
			if (c != ':')
				return false;
		} else if (i == 10) {
			if (c != '.')
				return false;
		} else if (!isxdigit((unsigned char)c)) {
			return false;
		}
	}
	return true;
}

static void copy_ts(char *ts, const char *s, size_t n)
{
	char tmp[40];

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	text_printable(skip_blanks(tmp), strlen(skip_blanks(tmp)), ts, 40);
}

/*
 * A prefix the cases above do not know, before amdgpu's "amdgpu <bdf>: ":
 * dmesg -x's "kern  :err   : " (then a stamp), or dmesg --time-format=iso's
 * unbracketed stamp. Returns the message after the device, or s.
 */
static char *other_prefix(struct line *l, char *s)
{
	char *a, *p;

	for (a = s; (a = strstr(a, "amdgpu ")) && a - s < 96; a++) {
		if (!is_bdf(a + 7) || a[19] != ':')
			continue;
		memcpy(l->dev, a + 7, 12);
		l->dev[12] = '\0';
		if (!*l->ts) {
			/* "facility:level : " of dmesg -x */
			p = strchr(s, ':');
			if (p && p < a && islower((unsigned char)*s) &&
			    (p = strchr(p + 1, ':')) && p < a && p[1] == ' ')
				s = p + 2;
			s = (char *)skip_blanks(s);
			if (*s == '[' && (p = strchr(s, ']')) && p < a)
				copy_ts(l->ts, s + 1, (size_t)(p - s - 1));
			else if (a > s)
				copy_ts(l->ts, s, (size_t)(a - s));
			/* the blank before "amdgpu" */
			p = l->ts + strlen(l->ts);
			while (p > l->ts && p[-1] == ' ')
				*--p = '\0';
		}
		s = a + 20;
		if (*s == ' ')
			s++;
		return s;
	}
	return s;
}

/* Strips the prefixes the kernel log comes with; finds the device. */
static void split_line(struct line *l)
{
	char *s = l->buf, *p;
	int i;

	l->ts[0] = l->dev[0] = '\0';
	/* /dev/kmsg record: "6,1234,5678901,-;text" */
	p = s;
	for (i = 0; i < 3 && *p; i++) {
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != ',')
			break;
		p++;
	}
	if (i == 3) {
		char *semi = strchr(p, ';');

		if (semi && (size_t)(semi - p) < 16) {
			char *c2 = s, *c3;

			c2 = strchr(s, ',') + 1;
			c3 = strchr(c2, ',') + 1;
			{
				unsigned long long us = strtoull(c3, NULL, 10);

				snprintf(l->ts, sizeof(l->ts), "%llu.%06llu", us / 1000000,
					 us % 1000000);
			}
			s = semi + 1;
		}
	}
	/* syslog priority "<3>" */
	if (*s == '<' && isdigit((unsigned char)s[1])) {
		p = s + 1;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '>')
			s = p + 1;
	}
	/* journalctl / syslog: "Dec 02 18:00:01 host kernel: ..." or ISO date */
	p = strstr(s, " kernel: ");
	if (p && p - s < 64) {
		copy_ts(l->ts, s, (size_t)(p - s));
		/* drop the host name: keep the date and time */
		{
			char *sp = strrchr(l->ts, ' ');
			size_t n;

			if (sp && sp != l->ts)
				*sp = '\0';
			/* journalctl -o short-monotonic: "[ 1501.250000]" */
			n = strlen(l->ts);
			if (n >= 2 && l->ts[0] == '[' && l->ts[n - 1] == ']') {
				const char *in = skip_blanks(l->ts + 1);

				n -= (size_t)(in - l->ts) + 1;
				memmove(l->ts, in, n);
				l->ts[n] = '\0';
			}
		}
		s = p + 9;
	}
	/* dmesg "[ 1234.567890] " or dmesg -T "[Tue Dec  2 18:00:01 2026] " */
	s = (char *)skip_blanks(s);
	if (*s == '[') {
		p = strchr(s, ']');
		if (p && p - s < 40 && p - s > 1 &&
		    (isdigit((unsigned char)skip_blanks(s + 1)[0]) ||
		     isupper((unsigned char)s[1]))) {
			/* "[gfxhub]" is a message, not a time stamp */
			bool stamp = isdigit((unsigned char)skip_blanks(s + 1)[0]) ||
				     memchr(s, ':', (size_t)(p - s));

			if (stamp) {
				/* a syslog date wins over the uptime stamp after it */
				if (!*l->ts)
					copy_ts(l->ts, s + 1, (size_t)(p - s - 1));
				s = p + 1;
				if (*s == ' ')
					s++;
			}
		}
	}
	/* "amdgpu 0000:03:00.0: msg" (dev_err) */
	p = strchr(s, ' ');
	if (p && p - s < 24 && is_bdf(p + 1) && p[13] == ':') {
		memcpy(l->dev, p + 1, 12);
		l->dev[12] = '\0';
		s = p + 14;
		if (*s == ' ')
			s++;
	} else {
		s = other_prefix(l, s);
	}
	l->msg = s;
}

struct open_block {
	char dev[16];
	bool active;
	struct fault f;
};

struct parser {
	struct fault_report *r;
	size_t fcap, ecap, rcap;
	struct open_block *open;
	size_t nopen, opencap;
	bool oom;
};

static void *grow(void *v, size_t *cap, size_t n, size_t size, bool *oom)
{
	void *nv;
	size_t c;

	if (n < *cap)
		return v;
	c = *cap ? *cap * 2 : 16;
	nv = realloc(v, c * size);
	if (!nv) {
		*oom = true;
		return NULL;
	}
	*cap = c;
	return nv;
}

static bool same_group(const struct fault *a, const struct fault *b)
{
	return !strcmp(a->device, b->device) && !strcmp(a->hub, b->hub) &&
	       !strcmp(a->process, b->process) && a->pid == b->pid &&
	       !strcmp(a->client, b->client) && a->ih_client == b->ih_client &&
	       a->retry == b->retry && a->gpu_lost == b->gpu_lost &&
	       a->has_status == b->has_status &&
	       (!a->has_status || (a->status.rw == b->status.rw &&
				   a->status.mapping_error == b->status.mapping_error &&
				   a->status.permission_faults == b->status.permission_faults &&
				   a->status.walker_error == b->status.walker_error));
}

static bool has_page(const struct fault *g, uint64_t page)
{
	size_t p;

	for (p = 0; p < g->npages; p++)
		if (g->pages[p] == page)
			return true;
	return false;
}

/* Remembers a faulting page of a group once (ROCr names any of them). */
static void add_page(struct parser *ps, struct fault *g, uint64_t page)
{
	uint64_t *v;

	if (has_page(g, page))
		return;
	v = grow(g->pages, &g->pages_cap, g->npages, sizeof(*v), &ps->oom);
	if (!v)
		return;
	g->pages = v;
	g->pages[g->npages++] = page;
}

/* A block is complete: group it with an identical one or add it. */
static void finish(struct parser *ps, struct open_block *o)
{
	struct fault_report *r = ps->r;
	struct fault *f = &o->f;
	size_t i;

	if (!o->active)
		return;
	o->active = false;
	r->blocks++;
	if (f->has_status && f->status.raw == 0xffffffffu)
		f->gpu_lost = true;
	if (f->has_status && !f->gpu_lost && !*f->client) {
		const char *n = gfxhub_client_name(f->status.cid);

		if (n && f->gcvm && !strncmp(f->hub, "gfxhub", 6))
			snprintf(f->client, sizeof(f->client), "%s", n);
	}
	for (i = 0; i < r->nfaults; i++)
		if (same_group(&r->faults[i], f)) {
			r->faults[i].count++;
			snprintf(r->faults[i].last_seen, sizeof(r->faults[i].last_seen), "%s",
				 f->first_seen);
			r->faults[i].last_line = f->first_line;
			add_page(ps, &r->faults[i], f->address);
			return;
		}
	{
		struct fault *v = grow(r->faults, &ps->fcap, r->nfaults, sizeof(*f), &ps->oom);

		if (!v)
			return;
		r->faults = v;
	}
	f->count = 1;
	snprintf(f->last_seen, sizeof(f->last_seen), "%s", f->first_seen);
	f->last_line = f->first_line;
	f->pages = NULL;
	f->npages = f->pages_cap = 0;
	r->faults[r->nfaults++] = *f;
	add_page(ps, &r->faults[r->nfaults - 1], f->address);
}

static struct open_block *block_of(struct parser *ps, const char *dev, bool create)
{
	size_t i;
	struct open_block *v;

	for (i = 0; i < ps->nopen; i++)
		if (!strcmp(ps->open[i].dev, dev))
			return &ps->open[i];
	if (!create)
		return NULL;
	v = grow(ps->open, &ps->opencap, ps->nopen, sizeof(*v), &ps->oom);
	if (!v)
		return NULL;
	ps->open = v;
	memset(&v[ps->nopen], 0, sizeof(*v));
	snprintf(v[ps->nopen].dev, sizeof(v[ps->nopen].dev), "%s", dev);
	return &v[ps->nopen++];
}

static bool get_ll(const char **s, long long *out)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)**s) && **s != '-')
		return false;
	v = strtoll(*s, &end, 10);
	if (end == *s)
		return false;
	*out = v;
	*s = end;
	return true;
}

static bool field(const char *s, const char *name, long long *out)
{
	const char *p = strstr(s, name);

	if (!p)
		return false;
	p += strlen(name);
	return get_ll(&p, out);
}

/*
 * "P pid N thread T pid M" (names may hold blanks): the process part ends
 * at the last " pid " before " thread ".
 */
static void parse_process(struct fault *f, const char *s)
{
	const char *th = strstr(s, " thread "), *pid = NULL, *p;
	char name[64];
	long long v;
	size_t n;

	for (p = s; (p = strstr(p, " pid ")) && (!th || p < th); p++)
		pid = p;
	if (!pid)
		return;
	n = (size_t)(pid - s);
	text_printable(s, n < 63 ? n : 63, name, sizeof(name));
	snprintf(f->process, sizeof(f->process), "%s", name);
	p = pid + 5;
	if (get_ll(&p, &v))
		f->pid = v;
	if (th) {
		const char *t = th + 8, *tp = NULL;

		for (p = t; (p = strstr(p, " pid ")); p++)
			tp = p;
		if (tp) {
			n = (size_t)(tp - t);
			text_printable(t, n < 63 ? n : 63, name, sizeof(name));
			snprintf(f->thread, sizeof(f->thread), "%s", name);
			p = tp + 5;
			if (get_ll(&p, &v))
				f->tid = v;
		}
	}
}

static bool parse_header(struct parser *ps, const struct line *l)
{
	const char *s = l->msg, *close, *pf, *rest;
	struct open_block *o;
	struct fault *f;
	long long v;
	size_t n;

	if (*s != '[' || !(close = strchr(s, ']')) || close - s > 12)
		return false;
	pf = strstr(close, "page fault (src_id:");
	if (!pf)
		return false;
	o = block_of(ps, l->dev, true);
	if (!o)
		return true;
	finish(ps, o);
	f = &o->f;
	memset(f, 0, sizeof(*f));
	snprintf(f->device, sizeof(f->device), "%s", l->dev);
	n = (size_t)(close - s - 1);
	text_printable(s + 1, n < 15 ? n : 15, f->hub, sizeof(f->hub));
	rest = skip_blanks(close + 1);
	f->retry = starts(rest, "retry ") ? 1 : starts(rest, "no-retry ") ? 0 : -1;
	f->pasid = f->pid = f->tid = -1;
	f->ih_client = -1;
	f->src_id = f->ring = f->vmid = -1;
	if (field(pf, "src_id:", &v))
		f->src_id = (int)v;
	if (field(pf, "ring:", &v))
		f->ring = (int)v;
	if (field(pf, "vmid:", &v))
		f->vmid = (int)v;
	if (field(pf, "pasid:", &v))
		f->pasid = v;
	rest = strstr(pf, ", for process ");
	if (rest)
		parse_process(f, rest + 14);
	snprintf(f->first_seen, sizeof(f->first_seen), "%s", l->ts);
	o->active = true;
	return true;
}

static bool parse_hex(const char *s, uint64_t *out)
{
	char *end;

	if (strncmp(s, "0x", 2) && strncmp(s, "0X", 2))
		return false;
	*out = strtoull(s + 2, &end, 16);
	return end != s + 2;
}

/* A line inside a fault block of l->dev. */
static bool parse_block_line(struct parser *ps, const struct line *l)
{
	struct open_block *o = block_of(ps, l->dev, false);
	const char *s = skip_blanks(l->msg), *p;
	struct fault *f;
	uint64_t x;

	if (!o || !o->active)
		return false;
	f = &o->f;
	if ((p = strstr(s, "in page starting at address "))) {
		p += 28;
		if (parse_hex(p, &x))
			f->address = x;
		p = strstr(p, "client ");
		if (p) {
			long long v;
			const char *q = p + 7, *paren;

			if (parse_hex(q, &x))
				f->ih_client = (int)(x & 0xffff);
			else if (get_ll(&q, &v))
				f->ih_client = (int)v;
			paren = strchr(p, '(');
			if (paren && strchr(paren, ')')) {
				size_t n = (size_t)(strchr(paren, ')') - paren - 1);

				text_printable(paren + 1, n < 23 ? n : 23, f->ih_client_name,
					       sizeof(f->ih_client_name));
			}
		}
		return true;
	}
	if ((p = strstr(s, "L2_PROTECTION_FAULT_STATUS")) && strchr(p, ':')) {
		/* GCVM_ on gfx10's gfxhub; VM_ on gfx9 (gmc_v9_0.c), MMVM_ on mmhubs */
		bool gcvm = p - s >= 5 && !strncmp(p - 5, "GCVM_", 5);

		p = strchr(p, ':');
		if (parse_hex(skip_blanks(p + 1), &x)) {
			f->has_status = true;
			f->gcvm = gcvm;
			fault_status_decode((uint32_t)x, &f->status);
		}
		return true;
	}
	if ((p = strstr(s, "Faulty UTCL2 client ID: "))) {
		p += 24;
		if (!parse_hex(p, &x)) {
			const char *paren = strstr(p, " (0x");
			size_t n = paren ? (size_t)(paren - p) : strlen(p);

			text_printable(p, n < 23 ? n : 23, f->client, sizeof(f->client));
		}
		return true;
	}
	if (starts(s, "in process ") || starts(s, "Process ") || starts(s, "process ") ||
	    starts(s, "for process ")) {
		p = strstr(s, "rocess ") + 7;
		parse_process(f, p);
		return true;
	}
	if (starts(s, "MORE_FAULTS:") || starts(s, "WALKER_ERROR:") ||
	    starts(s, "PERMISSION_FAULTS:") || starts(s, "MAPPING_ERROR:") ||
	    starts(s, "RW:") || starts(s, "cookie node_id"))
		return true;
	return false;
}

static void add_event(struct parser *ps, enum log_event_kind k, const struct line *l,
		      const char *dev)
{
	struct fault_report *r = ps->r;
	struct log_event *e, *v;
	size_t i;

	for (i = 0; i < r->nevents; i++)
		if (r->events[i].kind == k && !strcmp(r->events[i].device, dev) &&
		    k != EV_FIRMWARE) {
			r->events[i].count++;
			return;
		}
	v = grow(r->events, &ps->ecap, r->nevents, sizeof(*v), &ps->oom);
	if (!v)
		return;
	r->events = v;
	e = &v[r->nevents++];
	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->count = 1;
	e->line = (unsigned int)r->lines;
	snprintf(e->device, sizeof(e->device), "%s", dev);
	snprintf(e->first_seen, sizeof(e->first_seen), "%s", l->ts);
	text_printable(l->msg, strlen(l->msg) < 150 ? strlen(l->msg) : 150, e->text,
		       sizeof(e->text));
}

static void parse_events(struct parser *ps, const struct line *l)
{
	const char *s = l->msg, *p;
	char dev[16];

	snprintf(dev, sizeof(dev), "%s", l->dev);
	if (strstr(s, "GPU reset begin"))
		add_event(ps, EV_GPU_RESET, l, dev);
	else if (strstr(s, "ring ") && strstr(s, " timeout") &&
		 (strstr(s, "signaled seq") || strstr(s, "emitted seq")))
		add_event(ps, EV_RING_TIMEOUT, l, dev);
	else if ((strstr(s, "Direct firmware load for amdgpu/") && strstr(s, "failed")) ||
		 strstr(s, "failed to load firmware") || strstr(s, "Failed to load gpu_info") ||
		 strstr(s, "firmware loading failed"))
		add_event(ps, EV_FIRMWARE, l, dev);
	else if (strstr(s, "Fatal error during GPU init") ||
		 (strstr(s, "probe with driver amdgpu failed") && *dev))
		add_event(ps, EV_PROBE_FAILED, l, dev);
	else if ((p = strstr(s, "amdgpu: probe of ")) && is_bdf(p + 17) &&
		 strstr(p, " failed")) {
		memcpy(dev, p + 17, 12);
		dev[12] = '\0';
		add_event(ps, EV_PROBE_FAILED, l, dev);
	}
}

/* ROCr: "Memory access fault by GPU node-2 (Agent handle: 0x...) on address 0x.... Reason: ..." */
static void parse_rocr(struct parser *ps, const struct line *l)
{
	const char *p = strstr(l->msg, "Memory access fault by GPU node-"), *a, *reason;
	struct fault_report *r = ps->r;
	struct rocr_fault *v, *x;
	long long node;
	uint64_t addr;
	size_t i, n;

	if (!p)
		return;
	p += 32;
	if (!get_ll(&p, &node) || node < 0 || node > 65535)
		return;
	a = strstr(p, " on address ");
	if (!a || !parse_hex(a + 12, &addr))
		return;
	reason = strstr(a, "Reason: ");
	for (i = 0; i < r->nrocr; i++)
		if (r->rocr[i].node == node && r->rocr[i].address == addr) {
			r->rocr[i].count++;
			return;
		}
	v = grow(r->rocr, &ps->rcap, r->nrocr, sizeof(*v), &ps->oom);
	if (!v)
		return;
	r->rocr = v;
	x = &v[r->nrocr++];
	memset(x, 0, sizeof(*x));
	x->node = (int)node;
	x->address = addr;
	x->count = 1;
	x->fault = -1;
	x->line = (unsigned int)r->lines;
	if (reason) {
		reason += 8;
		n = strlen(reason);
		while (n && (reason[n - 1] == '.' || reason[n - 1] == ' ' || reason[n - 1] == '\r'))
			n--;
		text_printable(reason, n < 90 ? n : 90, x->reason, sizeof(x->reason));
	}
}

static void explain(struct fault *f)
{
	const char *c = *f->client ? f->client : "";
	const char *who = *f->process ? f->process : "a process";
	bool write = f->has_status && f->status.rw;
	char what[200];

	if (f->gpu_lost) {
		snprintf(f->explanation, sizeof(f->explanation),
			 "the GPU no longer answered (its fault status read 0xFFFFFFFF): it hung or "
			 "dropped off the PCIe bus, so the other fields mean nothing; look for a GPU "
			 "reset or ring timeout next to it, and check power and the slot/riser");
		return;
	}
	if (f->address < 0x10000)
		snprintf(what, sizeof(what), "a NULL pointer (address 0x%" PRIx64 ")", f->address);
	else
		snprintf(what, sizeof(what), "memory it never mapped (0x%" PRIx64 ")", f->address);
	if (!strcmp(c, "TCP") || !strcmp(c, "SQC (data)") || !strcmp(c, "SQG"))
		snprintf(f->explanation, sizeof(f->explanation),
			 "a shader of %s %s %s: an out-of-bounds or use-after-free access in the "
			 "program or a library it calls (e.g. a math-library kernel), not a "
			 "cache-coherency setting, so rmcp's MTYPE and noretry policy do not change "
			 "it; rerun with AMD_SERIALIZE_KERNEL=3 to find the kernel%s",
			 who, write ? "wrote to" : "read", what,
			 f->retry == 1 ? "; this was a retry fault, so retry faults are enabled "
			 "(noretry=0): on gfx10 set noretry=1" : "");
	else if (!strcmp(c, "SQC (inst)"))
		snprintf(f->explanation, sizeof(f->explanation),
			 "the GPU fetched shader instructions from %s for %s: a jump through a bad "
			 "code pointer, or code built for another ISA (check HSA_OVERRIDE_GFX_VERSION "
			 "against the GPU's target)", what, who);
	else if (!strncmp(c, "SDMA", 4))
		snprintf(f->explanation, sizeof(f->explanation),
			 "a DMA copy for %s %s %s: a copy (e.g. hipMemcpy) from or to freed or "
			 "never-allocated memory", who, write ? "wrote to" : "read", what);
	else if (!strcmp(c, "CPC") || !strcmp(c, "CPF") || !strcmp(c, "CPG"))
		snprintf(f->explanation, sizeof(f->explanation),
			 "the command processor read %s while running %s's queue: memory freed while "
			 "the GPU still used it, or a runtime or driver bug; report it with the "
			 "kernel and ROCm versions", what, who);
	else if (!strcmp(c, "CB/DB"))
		snprintf(f->explanation, sizeof(f->explanation),
			 "rendering for %s %s %s: a graphics application or driver (Mesa/RADV) bug",
			 who, write ? "wrote to" : "read", what);
	else
		snprintf(f->explanation, sizeof(f->explanation),
			 "a GPU access for %s %s %s%s%s", who, write ? "wrote to" : "read", what,
			 *c ? " by client " : "", c);
}

static int by_line(const void *a, const void *b)
{
	unsigned int x = ((const struct fault *)a)->first_line;
	unsigned int y = ((const struct fault *)b)->first_line;

	return x < y ? -1 : x > y;
}

int faults_parse(const char *text, size_t len, struct fault_report **out)
{
	struct parser ps;
	struct line *l;
	size_t i = 0, k;

	*out = calloc(1, sizeof(**out));
	l = malloc(sizeof(*l));
	if (!*out || !l) {
		free(l);
		return -ENOMEM;
	}
	memset(&ps, 0, sizeof(ps));
	ps.r = *out;
	while (i < len && !ps.oom) {
		size_t e = i, n;

		while (e < len && text[e] != '\n')
			e++;
		n = e - i;
		if (n >= sizeof(l->buf))
			n = sizeof(l->buf) - 1;
		memcpy(l->buf, text + i, n);
		l->buf[n] = '\0';
		/* NUL and CR bytes end the line's text */
		n = strcspn(l->buf, "\r");
		l->buf[n] = '\0';
		i = e + 1;
		ps.r->lines++;
		split_line(l);
		if (parse_header(&ps, l)) {
			struct open_block *o = block_of(&ps, l->dev, false);

			if (o && o->active)
				o->f.first_line = (unsigned int)ps.r->lines;
			continue;
		}
		if (parse_block_line(&ps, l))
			continue;
		/* anything else from that device ends its block */
		{
			struct open_block *o = block_of(&ps, l->dev, false);

			if (o && *l->dev)
				finish(&ps, o);
		}
		parse_events(&ps, l);
		parse_rocr(&ps, l);
	}
	for (k = 0; k < ps.nopen; k++)
		finish(&ps, &ps.open[k]);
	free(ps.open);
	free(l);
	/* in the order the log has them, whichever block ended first */
	if (ps.r->nfaults)
		qsort(ps.r->faults, ps.r->nfaults, sizeof(ps.r->faults[0]), by_line);
	for (k = 0; k < ps.r->nfaults; k++)
		explain(&ps.r->faults[k]);
	faults_match_rocr(ps.r);
	return ps.oom ? -ENOMEM : 0;
}

void faults_match_rocr(struct fault_report *r)
{
	size_t k, j;

	/*
	 * ROCr's address is inside one of the faulting pages the kernel
	 * prints; one process's page can fault on several cards, so a fault
	 * of ROCr's own card (once its device is known) comes first.
	 */
	for (k = 0; k < r->nrocr; k++) {
		struct rocr_fault *x = &r->rocr[k];
		uint64_t page = x->address & ~0xfffull;

		x->fault = -1;
		for (j = 0; j < r->nfaults && *x->device && x->fault < 0; j++)
			if (!strcmp(r->faults[j].device, x->device) && has_page(&r->faults[j], page))
				x->fault = (long long)j;
		for (j = 0; j < r->nfaults && x->fault < 0; j++)
			if (has_page(&r->faults[j], page))
				x->fault = (long long)j;
	}
}

void faults_free(struct fault_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nfaults; i++)
		free(r->faults[i].pages);
	free(r->faults);
	free(r->events);
	free(r->rocr);
	free(r);
}
