// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe --json: the model as JSON through json-c; schema in
 * docs/rmcp-probe-json.md and rmcp-probe.schema.json.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ids.h"
#include "probe.h"
#include "text.h"

#ifndef RMCP_VERSION
#define RMCP_VERSION "unknown"
#endif

typedef struct json_object J;

/* json-c copies bytes as they are: only valid UTF-8 may reach it. */
static J *jstr(const char *s)
{
	char buf[2048];

	if (utf8_valid(s, strlen(s)))
		return json_object_new_string(s);
	text_printable(s, strlen(s), buf, sizeof(buf));
	return json_object_new_string(buf);
}

/* "" is null */
static J *jstr_or_null(const char *s)
{
	return *s ? jstr(s) : NULL;
}

static J *jint(const struct opt_int *v)
{
	return v->known ? json_object_new_int64(v->v) : NULL;
}

static J *ju64(const struct opt_u64 *v)
{
	return v->known ? json_object_new_uint64(v->v) : NULL;
}

static J *jbool(const struct opt_bool *v)
{
	return v->known ? json_object_new_boolean(v->v) : NULL;
}

static J *jhex(uint64_t v, int width)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%0*" PRIx64, width, v);
	return json_object_new_string(b);
}

static void put(J *o, const char *k, J *v)
{
	json_object_object_add(o, k, v);
}

static const char *hsa_verdict_name(int v)
{
	static const char *const n[] = { "unset", "invalid", "same", "compatible",
					 "mismatch", "unknown-target" };

	return v >= 0 && v <= HSA_UNKNOWN_TARGET ? n[v] : "unset";
}

static J *json_gpu(const struct model *m, const struct gpu *g)
{
	const struct rmcp_dev_state *d = &g->rmcp;
	J *o = json_object_new_object(), *x, *probs;
	char v[32];
	size_t i;

	put(o, "bdf", jstr(g->bdf));
	snprintf(v, sizeof(v), "%04x:%04x", g->vendor_id, g->device_id);
	put(o, "pci_id", jstr(v));
	if (g->has_subsys)
		snprintf(v, sizeof(v), "%04x:%04x", g->subvendor_id, g->subdevice_id);
	else
		v[0] = '\0';
	put(o, "subsystem", jstr_or_null(v));
	put(o, "revision", json_object_new_int(g->revision));
	put(o, "pci_name", jstr_or_null(g->pci_name));
	put(o, "marketing_name", jstr_or_null(g->marketing_name));
	put(o, "driver", jstr_or_null(g->driver));
	put(o, "binding", jstr(binding_name(g->binding)));
	put(o, "render_node", jstr_or_null(g->render_node));
	put(o, "runtime_suspended", json_object_new_boolean(g->suspended));
	put(o, "drm_error", jstr_or_null(g->drm_error));
	put(o, "probe_failure", jstr_or_null(g->probe_failure));
	put(o, "family_id", jint(&g->family_id));
	if (g->gc_source != GC_NONE)
		snprintf(v, sizeof(v), "%u.%u.%u", g->gc.major, g->gc.minor, g->gc.rev);
	else
		v[0] = '\0';
	put(o, "gc_version", jstr_or_null(v));
	put(o, "gc_source", jstr(gc_source_name(g->gc_source)));
	put(o, "gfx10", json_object_new_boolean(g->gfx10));
	put(o, "rdna", g->rdna ? json_object_new_int((int)g->rdna) : NULL);
	put(o, "gfx_target", jstr_or_null(g->gfx_target));
	put(o, "kfd_node", g->kfd_node >= 0 ? json_object_new_int(g->kfd_node) : NULL);
	put(o, "kfd_gfx_target", jstr_or_null(g->kfd_gfx_target));
	put(o, "chip", jstr_or_null(g->chip));
	put(o, "kind", !g->kind_known ? NULL : jstr(g->apu ? "APU" : "dGPU"));
	put(o, "in_table", json_object_new_boolean(g->in_table));
	put(o, "in_scope", json_object_new_boolean(g->in_scope));
	put(o, "igpu_trap", json_object_new_boolean(g->igpu_trap));
	put(o, "covered", json_object_new_boolean(g->covered));
	put(o, "extra_ids_line", jstr_or_null(g->extra_ids_line));
	put(o, "noretry_effective", jint(&g->noretry_effective));
	put(o, "noretry_basis", jstr_or_null(g->noretry_basis));
	if (g->hsa_verdict != HSA_UNSET) {
		x = json_object_new_object();
		put(x, "variable", jstr(g->hsa_var));
		put(x, "value", jstr(g->hsa_value));
		put(x, "target", jstr_or_null(g->hsa_target));
		put(x, "verdict", jstr(hsa_verdict_name(g->hsa_verdict)));
		put(o, "hsa_override", x);
	} else {
		put(o, "hsa_override", NULL);
	}
	if (d->present) {
		x = json_object_new_object();
		put(x, "pci_id", jstr_or_null(d->pci_id));
		put(x, "family", jstr_or_null(d->family));
		put(x, "gfx", jstr_or_null(d->gfx));
		put(x, "matched", jstr_or_null(d->matched));
		put(x, "policy", jstr_or_null(d->policy));
		put(x, "noretry", jint(&d->noretry));
		put(x, "vm_fragment_size", jint(&d->vm_fragment_size));
		put(x, "calls", ju64(&d->calls));
		put(x, "cc_seen", ju64(&d->cc_seen));
		put(x, "cc_rewritten", ju64(&d->cc_rewritten));
		put(x, "rejected", ju64(&d->rejected));
		put(o, "rmcp", x);
	} else {
		put(o, "rmcp", NULL);
	}
	if (g->check.result != CHECK_NOT_RUN) {
		x = json_object_new_object();
		put(x, "result", jstr(check_result_name(g->check.result)));
		put(x, "cc_seen_delta", json_object_new_uint64(g->check.cc_seen_delta));
		put(x, "cc_rewritten_delta", json_object_new_uint64(g->check.cc_rewritten_delta));
		put(x, "detail", jstr(g->check.detail));
		put(o, "check", x);
	} else {
		put(o, "check", NULL);
	}
	if (g->fw) {
		x = json_object_new_object();
		for (i = 0; i < g->nfw; i++)
			put(x, g->fw[i].name, jhex(g->fw[i].v, 8));
		put(o, "firmware", x);
	} else {
		put(o, "firmware", NULL);
	}
	x = json_object_new_object();
	probs = json_object_new_array();
	for (i = 0; i < m->nfindings; i++)
		if (m->findings[i].sev == SEV_PROBLEM && !strcmp(m->findings[i].gpu, g->bdf))
			json_object_array_add(probs, jstr(m->findings[i].id));
	put(x, "in_scope", json_object_new_boolean(g->in_scope));
	put(x, "covered", json_object_new_boolean(g->covered));
	put(x, "problems", probs);
	put(o, "verdict", x);
	return o;
}

static J *json_fault(const struct fault *f)
{
	J *o = json_object_new_object(), *d;

	put(o, "device", jstr_or_null(f->device));
	put(o, "hub", jstr(f->hub));
	put(o, "retry", f->retry < 0 ? NULL : json_object_new_boolean(f->retry));
	put(o, "src_id", f->src_id < 0 ? NULL : json_object_new_int(f->src_id));
	put(o, "ring", f->ring < 0 ? NULL : json_object_new_int(f->ring));
	put(o, "vmid", f->vmid < 0 ? NULL : json_object_new_int(f->vmid));
	put(o, "pasid", f->pasid < 0 ? NULL : json_object_new_int64(f->pasid));
	put(o, "process", jstr_or_null(f->process));
	put(o, "pid", f->pid < 0 ? NULL : json_object_new_int64(f->pid));
	put(o, "thread", jstr_or_null(f->thread));
	put(o, "tid", f->tid < 0 ? NULL : json_object_new_int64(f->tid));
	put(o, "address", jhex(f->address, 16));
	put(o, "ih_client", f->ih_client < 0 ? NULL : json_object_new_int(f->ih_client));
	put(o, "ih_client_name", jstr_or_null(f->ih_client_name));
	put(o, "client", jstr_or_null(f->client));
	put(o, "status", f->has_status ? jhex(f->status.raw, 8) : NULL);
	if (f->has_status && !f->gpu_lost) {
		d = json_object_new_object();
		put(d, "more_faults", json_object_new_int((int)f->status.more_faults));
		put(d, "walker_error", json_object_new_int((int)f->status.walker_error));
		put(d, "permission_faults", json_object_new_int((int)f->status.permission_faults));
		put(d, "mapping_error", json_object_new_int((int)f->status.mapping_error));
		put(d, "cid", json_object_new_int((int)f->status.cid));
		put(d, "rw", jstr(f->status.rw ? "write" : "read"));
		put(d, "vmid", json_object_new_int((int)f->status.vmid));
		put(o, "decoded", d);
	} else {
		put(o, "decoded", NULL);
	}
	put(o, "count", json_object_new_int((int)f->count));
	put(o, "first_seen", jstr_or_null(f->first_seen));
	put(o, "last_seen", jstr_or_null(f->last_seen));
	put(o, "gpu_lost", json_object_new_boolean(f->gpu_lost));
	put(o, "explanation", jstr(f->explanation));
	return o;
}

static J *json_faults(const struct model *m)
{
	const struct fault_report *r = m->faults;
	J *o, *a;
	size_t i;

	if (!m->faults_requested)
		return NULL;
	o = json_object_new_object();
	put(o, "source", jstr(m->faults_source));
	put(o, "readable", json_object_new_boolean(m->log_ok));
	put(o, "error", m->log_ok ? NULL : jstr(m->log_why));
	put(o, "lines", json_object_new_uint64(r ? r->lines : 0));
	a = json_object_new_array();
	for (i = 0; r && i < r->nfaults; i++)
		json_object_array_add(a, json_fault(&r->faults[i]));
	put(o, "faults", a);
	a = json_object_new_array();
	for (i = 0; r && i < r->nevents; i++) {
		const struct log_event *e = &r->events[i];
		J *x = json_object_new_object();

		put(x, "kind", jstr(log_event_name(e->kind)));
		put(x, "device", jstr_or_null(e->device));
		put(x, "count", json_object_new_int((int)e->count));
		put(x, "first_seen", jstr_or_null(e->first_seen));
		put(x, "text", jstr(e->text));
		json_object_array_add(a, x);
	}
	put(o, "events", a);
	a = json_object_new_array();
	for (i = 0; r && i < r->nrocr; i++) {
		const struct rocr_fault *x = &r->rocr[i];
		J *y = json_object_new_object();

		put(y, "node", json_object_new_int(x->node));
		put(y, "device", jstr_or_null(x->device));
		put(y, "address", jhex(x->address, 16));
		put(y, "reason", jstr_or_null(x->reason));
		put(y, "count", json_object_new_int((int)x->count));
		put(y, "fault", x->fault < 0 ? NULL : json_object_new_int64(x->fault));
		json_object_array_add(a, y);
	}
	put(o, "rocr", a);
	return o;
}

static J *tool(void)
{
	J *o = json_object_new_object();

	put(o, "name", jstr("rmcp-probe"));
	put(o, "version", jstr(RMCP_VERSION));
	return o;
}

static void emit(FILE *f, J *root)
{
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(root);
}

void render_json(FILE *f, const struct model *m)
{
	static const char *const range[] = { "older", "tested", "untested", "newer" };
	static const char *const src[] = { "process", "sudo-user", "sudo-root" };
	J *root = json_object_new_object(), *o, *x, *a;
	size_t i;

	put(root, "schema", json_object_new_int(RMCP_PROBE_SCHEMA));
	put(root, "tool", tool());

	o = json_object_new_object();
	put(o, "release", jstr_or_null(m->kernel_release));
	put(o, "rmcp_range", m->kernel_known ? jstr(range[m->kernel_range + 1]) : NULL);
	put(root, "kernel", o);

	o = json_object_new_object();
	put(o, "efi", jbool(&m->efi));
	put(o, "secure_boot", jbool(&m->secure_boot));
	put(o, "lockdown", m->lockdown.known ? jstr(lockdown_name((int)m->lockdown.v)) : NULL);
	put(o, "sig_enforce", jbool(&m->sig_enforce));
	put(root, "security", o);

	o = json_object_new_object();
	put(o, "source", jstr(src[m->env_source]));
	put(o, "sudo_user", m->env_source == ENV_PROCESS ? NULL : jstr(m->sudo_user));
	put(o, "HSA_OVERRIDE_GFX_VERSION", m->hsa_set ? jstr(m->hsa_override) : NULL);
	x = json_object_new_object();
	for (i = 0; i < m->nhsa_nodes; i++) {
		char k[16], val[STR_SHORT * 4];

		snprintf(k, sizeof(k), "%u", m->hsa_nodes[i].node);
		text_printable(m->hsa_nodes[i].value, strlen(m->hsa_nodes[i].value), val,
			       sizeof(val));
		put(x, k, jstr(val));
	}
	put(o, "HSA_OVERRIDE_GFX_VERSION_per_node", x);
	put(o, "ROCR_VISIBLE_DEVICES", m->rocr_visible_set ? jstr(m->rocr_visible) : NULL);
	put(o, "HIP_VISIBLE_DEVICES", m->hip_visible_set ? jstr(m->hip_visible) : NULL);
	put(root, "environment", o);

	o = json_object_new_object();
	put(o, "loaded", json_object_new_boolean(m->amdgpu_loaded));
	put(o, "noretry", jint(&m->amdgpu_noretry));
	put(o, "vm_fragment_size", jint(&m->amdgpu_vm_fragment_size));
	put(o, "out_of_tree", jbool(&m->amdgpu_out_of_tree));
	put(o, "version", jstr_or_null(m->amdgpu_version));
	put(o, "srcversion", jstr_or_null(m->amdgpu_srcversion));
	put(o, "module_path", jstr_or_null(m->amdgpu_module));
	put(o, "noretry_origin", jstr_or_null(m->noretry_origin));
	put(root, "amdgpu", o);

	o = json_object_new_object();
	put(o, "loaded", json_object_new_boolean(m->rmcp_loaded));
	put(o, "version", jstr_or_null(m->rmcp_version));
	put(o, "state", jstr_or_null(m->rmcp_state));
	put(o, "reason", jstr_or_null(m->rmcp_reason));
	put(o, "kernel_abi", jstr_or_null(m->rmcp_kernel_abi));
	put(o, "selftest", jstr_or_null(m->rmcp_selftest));
	put(o, "nmissed", ju64(&m->rmcp_nmissed));
	put(o, "module_signed", m->module_signed < 0 ? NULL :
	    json_object_new_boolean(m->module_signed));
	put(o, "module_signature_source", jstr_or_null(m->module_sig_basis));
	put(o, "module_signer", jstr_or_null(m->module_signer));
	if (m->rmcp_loaded) {
		x = json_object_new_object();
		put(x, "enable", jbool(&m->p_enable));
		put(x, "noretry", jint(&m->p_noretry));
		put(x, "vm_fragment_size", jint(&m->p_vm_fragment_size));
		put(x, "extra_ids", jstr(m->p_extra_ids));
		put(x, "exclude_ids", jstr(m->p_exclude_ids));
		put(x, "apu", jbool(&m->p_apu));
		put(o, "parameters", x);
	} else {
		put(o, "parameters", NULL);
	}
	put(root, "rmcp", o);

	o = json_object_new_object();
	put(o, "present", json_object_new_boolean(m->kfd_present));
	a = json_object_new_array();
	for (i = 0; i < m->nkfd; i++) {
		char t[16];

		x = json_object_new_object();
		put(x, "node", json_object_new_int((int)m->kfd[i].id));
		put(x, "bdf", jstr_or_null(m->kfd[i].bdf));
		gfx_target_of_version(m->kfd[i].gfx_target_version, t, sizeof(t));
		put(x, "gfx_target", jstr_or_null(t));
		json_object_array_add(a, x);
	}
	put(o, "nodes", a);
	if (m->kfd_access_known) {
		J *d = json_object_new_object();

		put(d, "path", json_object_new_string("/dev/kfd"));
		put(d, "access", json_object_new_string(!m->kfd_access ? "read-write" :
			m->kfd_access == -ENOENT ? "missing" :
			m->kfd_access == -EACCES || m->kfd_access == -EPERM ? "denied" : "error"));
		put(d, "error", m->kfd_access ? jstr(strerror(-m->kfd_access)) : NULL);
		put(o, "device", d);
	} else {
		put(o, "device", NULL);
	}
	put(root, "kfd", o);

	a = json_object_new_array();
	for (i = 0; i < m->ngpus; i++)
		json_object_array_add(a, json_gpu(m, &m->gpus[i]));
	put(root, "gpus", a);

	a = json_object_new_array();
	for (i = 0; i < m->nfindings; i++) {
		const struct finding *y = &m->findings[i];

		x = json_object_new_object();
		put(x, "id", jstr(y->id));
		put(x, "severity", jstr(severity_name(y->sev)));
		put(x, "gpu", jstr_or_null(y->gpu));
		put(x, "message", jstr(y->message));
		put(x, "fix", jstr_or_null(y->fix));
		json_object_array_add(a, x);
	}
	put(root, "findings", a);
	put(root, "faults", json_faults(m));

	o = json_object_new_object();
	put(o, "gpus", json_object_new_uint64(m->ngpus));
	put(o, "gfx10_gpus", json_object_new_int((int)m->in_scope));
	put(o, "covered", json_object_new_int((int)m->covered));
	put(o, "problems", json_object_new_int((int)m->problems));
	put(o, "warnings", json_object_new_int((int)m->warnings));
	put(o, "check", json_object_new_boolean(m->check_requested));
	put(o, "exit", json_object_new_int(m->exit_code));
	put(root, "summary", o);
	emit(f, root);
}

void render_json_error(FILE *f, const char *error)
{
	J *root = json_object_new_object(), *o = json_object_new_object();

	put(root, "schema", json_object_new_int(RMCP_PROBE_SCHEMA));
	put(root, "tool", tool());
	put(root, "error", jstr(error));
	put(o, "exit", json_object_new_int(2));
	put(root, "summary", o);
	emit(f, root);
}
