/* spec_yaml.c -- libyaml events to a located ir_value tree, then the tree to the IR. */
#include "config.h"
#include "spec_yaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "xalloc.h"

/* libyaml marks count characters; spans are byte offsets. Marks arrive nearly in order, so a
 * cursor that walks forward (or back) from the last position converts them in linear time. */
/* A child read but not yet stored: its container is sized once all its children are known. */
typedef struct pending {
	src_span key_span;
	size_t key_off, key_len; /* into loader.keys; maps only */
	bool has_key;
	ir_value *v;
} pending;

typedef struct loader {
	ir_build *b;
	yaml_parser_t parser;
	size_t cur_char, cur_byte;
	bool failed; /* libyaml gave up: the rest of the file cannot be read */
	size_t events;
	bool ascii;  /* no byte >= 0x80: marks are byte offsets already */
	pending *pend; /* a stack shared by every depth (malloc'd) */
	size_t npend, cap_pend;
	char *keys; /* map keys of pending entries (malloc'd; ir_map_put copies them) */
	size_t nkeys, cap_keys;
} loader;

static void push_pending(loader *l, src_span ksp, const char *key, size_t klen, bool has_key, ir_value *v)
{
	if (l->npend == l->cap_pend) {
		l->cap_pend = l->cap_pend ? 2 * l->cap_pend : 64;
		l->pend = xreallocarray(l->pend, l->cap_pend, sizeof *l->pend);
	}
	pending *p = &l->pend[l->npend++];
	*p = (pending){ .key_span = ksp, .key_off = l->nkeys, .key_len = klen, .has_key = has_key, .v = v };
	if (!has_key)
		return;
	if (l->cap_keys - l->nkeys < klen) {
		while (l->cap_keys - l->nkeys < klen)
			l->cap_keys = l->cap_keys ? 2 * l->cap_keys : 1024;
		l->keys = xreallocarray(l->keys, l->cap_keys, 1);
	}
	memcpy(l->keys + l->nkeys, key, klen);
	l->nkeys += klen;
}

static uint32_t byte_offset(loader *l, size_t char_index)
{
	if (l->ascii) /* characters are bytes */
		return (uint32_t)(char_index < l->b->file->len ? char_index : l->b->file->len);
	const unsigned char *t = (const unsigned char *)l->b->file->text;
	size_t len = l->b->file->len;
	while (l->cur_char < char_index && l->cur_byte < len) {
		l->cur_byte++;
		while (l->cur_byte < len && (t[l->cur_byte] & 0xC0) == 0x80)
			l->cur_byte++;
		l->cur_char++;
	}
	while (l->cur_char > char_index) {
		l->cur_byte--;
		while (l->cur_byte > 0 && (t[l->cur_byte] & 0xC0) == 0x80)
			l->cur_byte--;
		l->cur_char--;
	}
	return (uint32_t)l->cur_byte;
}

static src_span span_of(loader *l, yaml_mark_t start, yaml_mark_t end)
{
	src_span sp = { .file = l->b->file };
	sp.start = byte_offset(l, start.index);
	sp.end = byte_offset(l, end.index);
	if (sp.end < sp.start)
		sp.end = sp.start;
	return sp;
}

static bool next_event(loader *l, yaml_event_t *ev)
{
	if (l->failed)
		return false;
	if (++l->events > SPEC_MAX_EVENTS) {
		src_span sp = { .file = l->b->file, .start = byte_offset(l, l->parser.mark.index) };
		sp.end = sp.start;
		diag_error(l->b->d, sp, "the spec has more than %d YAML nodes", SPEC_MAX_EVENTS);
		l->failed = true;
		return false;
	}
	if (yaml_parser_parse(&l->parser, ev))
		return true;
	/* The one adapter for libyaml's error style: problem text plus a mark. */
	yaml_mark_t m = l->parser.problem_mark;
	src_span sp = span_of(l, m, m);
	if (l->parser.error == YAML_READER_ERROR) {
		/* Encoding errors carry a byte offset, not a mark. */
		size_t off = l->parser.problem_offset < l->b->file->len ? l->parser.problem_offset : l->b->file->len;
		sp.start = sp.end = (uint32_t)off;
	}
	if (sp.start < l->b->file->len)
		sp.end = sp.start + 1;
	const char *problem = l->parser.problem ? l->parser.problem : "malformed YAML";
	diag_error(l->b->d, sp, "%s", problem);
	if (l->parser.context) {
		/* "while parsing a flow sequence": where that construct began. */
		yaml_mark_t cm = l->parser.context_mark;
		src_span csp = span_of(l, cm, cm);
		if (csp.start < l->b->file->len)
			csp.end = csp.start + 1;
		diag_note(l->b->d, csp, "%s that started here", l->parser.context);
	}
	l->failed = true;
	return false;
}

/* YAML 1.2 core schema resolution of a plain scalar. */
static bool is_null_word(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static int bool_word(const char *s, size_t n)
{
	static const char *const t[] = { "true", "True", "TRUE" }, *const f[] = { "false", "False", "FALSE" };
	for (int i = 0; i < 3; i++) {
		if (strlen(t[i]) == n && !memcmp(s, t[i], n))
			return 1;
		if (strlen(f[i]) == n && !memcmp(s, f[i], n))
			return 0;
	}
	return -1;
}

static bool all_digits(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]) || s[i] == 0)
			return false;
	return true;
}

/* [-+]?[0-9]+ | [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool is_decimal_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == n)
			return false;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	return i == n;
}

static ir_value *scalar_value(loader *l, const yaml_event_t *ev, src_span sp)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return ir_string(l->b, sp, s, n);
	if (is_null_word(s, n))
		return ir_null(l->b, sp);
	int bv = bool_word(s, n);
	if (bv >= 0)
		return ir_bool(l->b, sp, bv);
	if (is_decimal_number(s, n))
		return ir_number(l->b, sp, s[0] == '+' ? s + 1 : s, s[0] == '+' ? n - 1 : n);
	if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		bool hex = s[1] == 'x';
		if (all_digits(s + 2, n - 2, hex ? "0123456789abcdefABCDEF" : "01234567")) {
			/* 0o17 and 0x1F are integers in YAML 1.2; the IR keeps decimal text. */
			unsigned long long v = 0;
			for (size_t i = 2; i < n; i++) {
				unsigned d = s[i] <= '9' ? (unsigned)(s[i] - '0') : (unsigned)((s[i] | 0x20) - 'a' + 10);
				if (__builtin_mul_overflow(v, hex ? 16ULL : 8ULL, &v) || __builtin_add_overflow(v, d, &v)) {
					diag_error(l->b->d, sp, "integer '%.*s' is too large", (int)n, s);
					return ir_null(l->b, sp);
				}
			}
			char buf[24];
			int len = snprintf(buf, sizeof buf, "%llu", v);
			return ir_number(l->b, sp, buf, (size_t)len);
		}
	}
	if (n == 4 && (!memcmp(s, ".inf", 4) || !memcmp(s, ".nan", 4) || !memcmp(s, ".NaN", 4)))
		return ir_number(l->b, sp, s, n);
	return ir_string(l->b, sp, s, n);
}

/* Reads the node that starts with ev (already parsed). Returns NULL when the file cannot be
 * read further; otherwise a value (ir_null for nodes that were in error). */
static ir_value *read_node(loader *l, yaml_event_t *ev, int depth)
{
	src_span sp = span_of(l, ev->start_mark, ev->end_mark);
	if (ev->type == YAML_ALIAS_EVENT) {
		diag_error(l->b->d, sp, "YAML aliases are not supported; write the value out");
		return ir_null(l->b, sp);
	}
	const yaml_char_t *tag = ev->type == YAML_SCALAR_EVENT		? ev->data.scalar.tag
				 : ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.tag
				 : ev->type == YAML_MAPPING_START_EVENT  ? ev->data.mapping_start.tag
									 : NULL;
	bool tagged = tag != NULL;
	bool str_tag = tag && strcmp((const char *)tag, YAML_STR_TAG) == 0;
	if (tagged && !str_tag)
		diag_error(l->b->d, sp, "YAML tags other than !!str are not supported");
	if (ev->type == YAML_SCALAR_EVENT) {
		if (str_tag)
			return ir_string(l->b, sp, (const char *)ev->data.scalar.value, ev->data.scalar.length);
		return scalar_value(l, ev, sp);
	}
	if (depth >= SPEC_MAX_DEPTH) {
		diag_error(l->b->d, sp, "nesting is deeper than %d levels", SPEC_MAX_DEPTH);
		l->failed = true;
		return NULL;
	}
	bool is_map = ev->type == YAML_MAPPING_START_EVENT;
	ir_value *v = is_map ? ir_map(l->b, sp) : ir_list(l->b, sp);
	/* Children wait on the loader's stack until the end event, so the container is
	 * allocated once at its final size. */
	size_t base = l->npend, kbase = l->nkeys;
	for (;;) {
		yaml_event_t child;
		if (!next_event(l, &child))
			return NULL;
		if (child.type == YAML_MAPPING_END_EVENT || child.type == YAML_SEQUENCE_END_EVENT) {
			v->span.end = byte_offset(l, child.end_mark.index);
			yaml_event_delete(&child);
			size_t n = l->npend - base;
			if (is_map)
				ir_map_reserve(l->b, v, n);
			else
				ir_list_reserve(l->b, v, n);
			for (size_t i = base; i < l->npend; i++) {
				const pending *p = &l->pend[i];
				if (!is_map)
					ir_list_push(l->b, v, p->v);
				else if (memchr(l->keys + p->key_off, '\0', p->key_len))
					diag_error(l->b->d, p->key_span, "map key holds a NUL character");
				else
					ir_map_put(l->b, v, p->key_span, l->keys + p->key_off, p->key_len, p->v);
			}
			l->npend = base;
			l->nkeys = kbase;
			return v;
		}
		if (!is_map) {
			bool alias = child.type == YAML_ALIAS_EVENT;
			ir_value *item = read_node(l, &child, depth + 1);
			yaml_event_delete(&child);
			if (!item)
				return NULL;
			if (!alias) /* reported already; leaving it out avoids a second error */
				push_pending(l, sp, NULL, 0, false, item);
			continue;
		}
		/* A mapping key must be a plain or quoted scalar. */
		src_span ksp = span_of(l, child.start_mark, child.end_mark);
		char *key = NULL;
		size_t klen = 0;
		if (child.type == YAML_SCALAR_EVENT) {
			klen = child.data.scalar.length;
			key = (char *)child.data.scalar.value;
		} else {
			diag_error(l->b->d, ksp, "expected a string as map key");
			ir_value *junk = read_node(l, &child, depth + 1);
			if (!junk) {
				yaml_event_delete(&child);
				return NULL;
			}
		}
		yaml_event_t val;
		if (!next_event(l, &val)) {
			yaml_event_delete(&child);
			return NULL;
		}
		bool alias = val.type == YAML_ALIAS_EVENT;
		ir_value *item = read_node(l, &val, depth + 1);
		yaml_event_delete(&val);
		if (item && key && !alias)
			push_pending(l, ksp, key, klen, true, item);
		yaml_event_delete(&child);
		if (!item)
			return NULL;
	}
}

/* The whole stream: exactly one document whose root is a map. */
static ir_value *read_document(loader *l)
{
	yaml_event_t ev;
	ir_value *root = NULL;
	while (next_event(l, &ev)) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT && root) {
			diag_error(l->b->d, span_of(l, ev.start_mark, ev.end_mark),
				   "expected one pipeline per file, found a second YAML document");
			yaml_event_delete(&ev);
			return NULL;
		}
		if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT ||
		    t == YAML_ALIAS_EVENT) {
			root = read_node(l, &ev, 0);
			yaml_event_delete(&ev);
			if (!root)
				return NULL;
			continue;
		}
		yaml_event_delete(&ev);
	}
	if (l->failed)
		return NULL;
	if (!root) {
		src_span sp = { .file = l->b->file };
		diag_error(l->b->d, sp, "empty file: expected a pipeline spec");
		return NULL;
	}
	return root;
}

static bool need_string(ir_build *b, const ir_value *v, const char *what)
{
	if (v->kind == IRV_STRING && v->str.len > 0)
		return true;
	diag_error(b->d, v->span, "expected a string for %s, got %s", what,
		   v->kind == IRV_STRING ? "an empty string" : ir_kind_name(v->kind));
	return false;
}

/* The spec's own keys, which are not attributes: a misspelling of one of them ("step:",
 * "afer:") gets a suggestion of the right key instead of "unknown attribute". */
static const char *const top_keys[] = { "pipeline", "steps" };
static const char *const step_keys[] = { "name", "after" };

static bool structural_typo(ir_build *b, const ir_entry *e, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < A__COUNT; i++)
		if (strcmp(ir_attr_info[i].name, e->key) == 0)
			return false;
	const char *sugg = diag_suggest(e->key, e->key_len, keys, n);
	if (!sugg)
		return false;
	diag_error(b->d, e->key_span, "unknown key '%s'; did you mean '%s'?", e->key, sugg);
	return true;
}

static void load_step(ir_build *b, ir_pipeline *p, const ir_value *m)
{
	if (m->kind != IRV_MAP) {
		diag_error(b->d, m->span, "expected a map for a step, got %s", ir_kind_name(m->kind));
		return;
	}
	const ir_value *name = ir_map_get(m, "name");
	if (!name) {
		diag_error(b->d, m->span, "step has no 'name'");
		return;
	}
	if (!need_string(b, name, "'name'"))
		return;
	ir_step *s = ir_step_add(b, p, name->str.s, name->str.len, name->span);
	for (size_t i = 0; i < m->map.n; i++) {
		const ir_entry *e = &m->map.entries[i];
		if (strcmp(e->key, "name") == 0)
			continue;
		if (strcmp(e->key, "after") == 0) {
			if (e->value->kind != IRV_LIST) {
				diag_error(b->d, e->value->span, "expected a list of step names for 'after', got %s",
					   ir_kind_name(e->value->kind));
				continue;
			}
			for (size_t j = 0; j < e->value->list.n; j++) {
				const ir_value *d = e->value->list.items[j];
				if (need_string(b, d, "a step name in 'after'"))
					ir_step_after(b, s, d->str.s, d->str.len, d->span);
			}
			continue;
		}
		if (!structural_typo(b, e, step_keys, 2))
			ir_set_attr(b, p, s, e->key_span, e->key, e->key_len, e->value);
	}
}

ir_pipeline *spec_load_yaml(ir_build *b)
{
	loader l = { .b = b };
	if (!yaml_parser_initialize(&l.parser))
		abort();
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)b->file->text, b->file->len);
	l.ascii = true;
	for (size_t i = 0; i < b->file->len && l.ascii; i++)
		l.ascii = (unsigned char)b->file->text[i] < 0x80;
	ir_value *root = read_document(&l);
	yaml_parser_delete(&l.parser);
	free(l.pend);
	free(l.keys);
	if (!root)
		return NULL;
	if (root->kind != IRV_MAP) {
		diag_error(b->d, root->span, "expected a map with 'pipeline' and 'steps' at the top, got %s",
			   ir_kind_name(root->kind));
		return NULL;
	}
	const ir_value *name = ir_map_get(root, "pipeline");
	if (!name) {
		src_span sp = { .file = b->file, .start = root->span.start, .end = root->span.start };
		diag_error(b->d, sp, "missing required key 'pipeline' (the pipeline's name)");
		return NULL;
	}
	if (!need_string(b, name, "'pipeline'"))
		return NULL;
	ir_pipeline *p = ir_pipeline_new(b, name->str.s, name->str.len, name->span);
	bool has_steps = false;
	for (size_t i = 0; i < root->map.n; i++) {
		const ir_entry *e = &root->map.entries[i];
		if (strcmp(e->key, "pipeline") == 0)
			continue;
		if (strcmp(e->key, "steps") == 0) {
			has_steps = true;
			if (e->value->kind != IRV_LIST) {
				diag_error(b->d, e->value->span, "expected a list of steps for 'steps', got %s",
					   ir_kind_name(e->value->kind));
				continue;
			}
			for (size_t j = 0; j < e->value->list.n; j++)
				load_step(b, p, e->value->list.items[j]);
			continue;
		}
		if (!structural_typo(b, e, top_keys, 2))
			ir_set_attr(b, p, NULL, e->key_span, e->key, e->key_len, e->value);
	}
	if (!has_steps) {
		src_span sp = { .file = b->file, .start = root->span.start, .end = root->span.start };
		diag_error(b->d, sp, "missing required key 'steps'");
	}
	return diag_error_count(b->d) ? NULL : p;
}
