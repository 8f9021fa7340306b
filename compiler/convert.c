/* convert.c -- prints a loaded pipeline as canonical .pipe (through the layout printer that
 * `pipec fmt` uses) or as a YAML spec (through libyaml's emitter, which does all quoting). */
#include "config.h"
#include "convert.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "layout.h"

/* ---- .pipe ---------------------------------------------------------------------------------- */

static lay_val *pipe_value(arena *a, const ir_value *v)
{
	switch (v->kind) {
	case IRV_STRING: {
		lay_val *s = lay_scalar(a, NULL, 0);
		s->text = lay_quote_a(a, v->str.s, v->str.len, &s->len);
		return s;
	}
	case IRV_NUMBER:
		return lay_scalar(a, v->num.text, v->num.len);
	case IRV_BOOL:
		return v->b ? lay_scalar(a, "true", 4) : lay_scalar(a, "false", 5);
	case IRV_NULL:
		return lay_scalar(a, "\"\"", 2);
	case IRV_LIST: {
		lay_val *l = lay_container(a, LAY_LIST);
		for (size_t i = 0; i < v->list.n; i++)
			lay_item_add(a, l)->val = pipe_value(a, v->list.items[i]);
		return l;
	}
	case IRV_MAP: {
		lay_val *m = lay_container(a, LAY_MAP);
		for (size_t i = 0; i < v->map.n; i++) {
			const ir_entry *e = &v->map.entries[i];
			lay_item *it = lay_item_add(a, m);
			it->key = lay_key_a(a, e->key, e->key_len, &it->klen);
			it->val = pipe_value(a, e->value);
		}
		return m;
	}
	}
	return NULL;
}

/* The attributes of a pipeline or step: `op` and `pod` become decorators (in the order they
 * were given), the rest body lines in source order. */
static void pipe_attrs(arena *a, lay_block *blk, const ir_attrs *attrs)
{
	for (unsigned i = 0; i < attrs->n; i++) {
		unsigned k = attrs->order[i];
		const ir_value *v = attrs->v[k];
		if (k == A_OP || k == A_POD) {
			lay_deco *dc = lay_deco_add(a, blk);
			dc->name = ir_attr_info[k].name;
			dc->len = strlen(dc->name);
			dc->args = lay_container(a, LAY_MAP);
			for (size_t j = 0; j < v->map.n; j++) {
				lay_item *it = lay_item_add(a, dc->args);
				it->key = v->map.entries[j].key;
				it->klen = v->map.entries[j].key_len;
				it->val = pipe_value(a, v->map.entries[j].value);
			}
			continue;
		}
		lay_node *nd = lay_node_add(a, blk);
		nd->attr.key = ir_attr_info[k].name;
		nd->attr.klen = strlen(nd->attr.key);
		nd->attr.val = pipe_value(a, v);
	}
}

int convert_to_pipe(const ir_pipeline *p, FILE *out)
{
	arena *a = arena_new();
	lay_file f = { 0 };
	lay_block *pb = f.pipeline = arena_alloc(a, sizeof(*pb));
	pb->name = p->name;
	pb->len = p->name_len;
	pipe_attrs(a, pb, &p->attrs);
	for (size_t i = 0; i < p->nsteps; i++) {
		const ir_step *s = p->steps[i];
		lay_node *nd = lay_node_add(a, pb);
		nd->is_step = true;
		lay_block *sb = nd->step = arena_alloc(a, sizeof(*sb));
		sb->is_step = true;
		sb->name = s->name;
		sb->len = s->name_len;
		for (size_t j = 0; j < s->nafter; j++)
			lay_after_add(a, sb, s->after[j].name, s->after[j].len);
		pipe_attrs(a, sb, &s->attrs);
	}
	size_t len;
	char *text = lay_print(&f, &len);
	int rc = fwrite(text, 1, len, out) == len && fflush(out) == 0 ? 0 : -1;
	free(text);
	arena_free(a);
	return rc;
}

/* ---- YAML ----------------------------------------------------------------------------------- */

/* Strings a YAML 1.1 or 1.2 (core schema) reader would resolve to something other than a
 * string: null, booleans (1.1's yes/no/on/off too), integers in every base, floats,
 * sexagesimals, timestamps, merge and value keys. Such strings must not be emitted plain. */
static const char *const non_string[] = {
	"^(~|null|Null|NULL)$",
	"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
	"^[-+]?0b[0-1_]+$",
	"^[-+]?0o?[0-7_]+$",
	"^[-+]?(0|[1-9][0-9_]*)$",
	"^[-+]?[0-9]+$",
	"^[-+]?0x[0-9a-fA-F_]+$",
	"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?$",
	"^[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?$",
	"^[-+]?[0-9][0-9_]*(\\.[0-9_]*)?[eE][-+]?[0-9]+$",
	"^[-+]?\\.(inf|Inf|INF)$",
	"^\\.(nan|NaN|NAN)$",
	"^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?",
	"^(<<|=)$",
};

static bool plain_is_string(const char *s)
{
	static regex_t re[sizeof non_string / sizeof non_string[0]];
	static bool compiled;
	if (!compiled) {
		for (size_t i = 0; i < sizeof non_string / sizeof non_string[0]; i++)
			if (regcomp(&re[i], non_string[i], REG_EXTENDED | REG_NOSUB) != 0)
				abort();
		compiled = true;
	}
	if (s[0] == '\0')
		return false;
	for (size_t i = 0; i < sizeof non_string / sizeof non_string[0]; i++)
		if (regexec(&re[i], s, 0, NULL, 0) == 0)
			return false;
	return true;
}

typedef struct yem {
	yaml_emitter_t e;
	int ok;
} yem;

static void emit(yem *y, yaml_event_t *ev)
{
	if (y->ok && !yaml_emitter_emit(&y->e, ev))
		y->ok = 0;
}

/* The one place that decides how a scalar is written: numbers and booleans plain; strings
 * plain only when they read back as the same string, else double-quoted (libyaml still
 * quotes a plain-safe string when its characters need it). */
static void scalar(yem *y, const char *s, size_t len, bool is_string)
{
	yaml_event_t ev;
	bool plain = !is_string || plain_is_string(s);
	yaml_scalar_event_initialize(&ev, NULL, (yaml_char_t *)YAML_STR_TAG, (yaml_char_t *)s, (int)len,
				     plain, 1, plain ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	emit(y, &ev);
}

static void key(yem *y, const char *s)
{
	scalar(y, s, strlen(s), true);
}

/* Nesting depth: 0 for a scalar, 1 for a list or map of scalars, ... */
static int depth(const ir_value *v)
{
	int d = 0;
	if (v->kind == IRV_LIST)
		for (size_t i = 0; i < v->list.n; i++) {
			int k = depth(v->list.items[i]);
			d = k > d ? k : d;
		}
	else if (v->kind == IRV_MAP)
		for (size_t i = 0; i < v->map.n; i++) {
			int k = depth(v->map.entries[i].value);
			d = k > d ? k : d;
		}
	else
		return 0;
	return d + 1;
}

/* Short values in flow style ({team: ds}, [a, b], [{key: gpu}]); deeper ones in block style,
 * with their short parts in flow. */
static void value(yem *y, const ir_value *v, bool flow)
{
	yaml_event_t ev;
	if (!flow && depth(v) <= 2)
		flow = true;
	switch (v->kind) {
	case IRV_STRING:
		scalar(y, v->str.s, v->str.len, true);
		break;
	case IRV_NUMBER:
		scalar(y, v->num.text, v->num.len, false);
		break;
	case IRV_BOOL:
		scalar(y, v->b ? "true" : "false", v->b ? 4 : 5, false);
		break;
	case IRV_NULL:
		scalar(y, "null", 4, false);
		break;
	case IRV_LIST:
		yaml_sequence_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_SEQ_TAG, 1,
						     flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
		emit(y, &ev);
		for (size_t i = 0; i < v->list.n; i++)
			value(y, v->list.items[i], flow);
		yaml_sequence_end_event_initialize(&ev);
		emit(y, &ev);
		break;
	case IRV_MAP:
		yaml_mapping_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_MAP_TAG, 1,
						    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
		emit(y, &ev);
		for (size_t i = 0; i < v->map.n; i++) {
			scalar(y, v->map.entries[i].key, v->map.entries[i].key_len, true);
			value(y, v->map.entries[i].value, flow);
		}
		yaml_mapping_end_event_initialize(&ev);
		emit(y, &ev);
		break;
	}
}

static void attrs(yem *y, const ir_attrs *at)
{
	for (unsigned i = 0; i < at->n; i++) {
		unsigned k = at->order[i];
		key(y, ir_attr_info[k].name);
		value(y, at->v[k], false);
	}
}

static int write_out(void *data, unsigned char *buf, size_t size)
{
	return fwrite(buf, 1, size, data) == size;
}

int convert_to_yaml(const ir_pipeline *p, FILE *out)
{
	yem y = { .ok = 1 };
	yaml_event_t ev;
	if (!yaml_emitter_initialize(&y.e))
		return -1;
	yaml_emitter_set_output(&y.e, write_out, out);
	yaml_emitter_set_indent(&y.e, 2);
	yaml_emitter_set_width(&y.e, -1);
	yaml_emitter_set_unicode(&y.e, 1);
	yaml_emitter_set_break(&y.e, YAML_LN_BREAK);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(&y, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(&y, &ev);
	yaml_mapping_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_MAP_TAG, 1, YAML_BLOCK_MAPPING_STYLE);
	emit(&y, &ev);
	key(&y, "pipeline");
	scalar(&y, p->name, p->name_len, true);
	attrs(&y, &p->attrs);
	if (p->nsteps) {
		key(&y, "steps");
		yaml_sequence_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_SEQ_TAG, 1,
						     YAML_BLOCK_SEQUENCE_STYLE);
		emit(&y, &ev);
		for (size_t i = 0; i < p->nsteps; i++) {
			const ir_step *s = p->steps[i];
			yaml_mapping_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_MAP_TAG, 1,
							    YAML_BLOCK_MAPPING_STYLE);
			emit(&y, &ev);
			key(&y, "name");
			scalar(&y, s->name, s->name_len, true);
			if (s->nafter) {
				key(&y, "after");
				yaml_sequence_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_SEQ_TAG, 1,
								     YAML_FLOW_SEQUENCE_STYLE);
				emit(&y, &ev);
				for (size_t j = 0; j < s->nafter; j++)
					scalar(&y, s->after[j].name, s->after[j].len, true);
				yaml_sequence_end_event_initialize(&ev);
				emit(&y, &ev);
			}
			attrs(&y, &s->attrs);
			yaml_mapping_end_event_initialize(&ev);
			emit(&y, &ev);
		}
		yaml_sequence_end_event_initialize(&ev);
		emit(&y, &ev);
	}
	yaml_mapping_end_event_initialize(&ev);
	emit(&y, &ev);
	yaml_document_end_event_initialize(&ev, 1);
	emit(&y, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(&y, &ev);
	if (y.ok && !yaml_emitter_flush(&y.e))
		y.ok = 0;
	yaml_emitter_delete(&y.e);
	return y.ok && fflush(out) == 0 ? 0 : -1;
}
