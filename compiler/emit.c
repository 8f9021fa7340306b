/* emit.c -- YAML output through libyaml's emitter. Settings are fixed (indent 2, no line
 * wrapping, unicode, LF) and every string's style is decided by emit_needs_quotes, so the same
 * tree gives the same bytes everywhere. */
#include "config.h"
#include "emit.h"

#include <string.h>
#include <strings.h>

/* The words YAML 1.1 resolves to booleans or null, in any case ("Yes", "ON", "Null"), with
 * their lengths: this runs for every key and scalar of the output, so no strlen here. */
#define W(s) { s, sizeof s - 1 }
static const struct {
	const char *s;
	size_t len;
} reserved_words[] = {
	W("y"), W("yes"), W("n"), W("no"), W("true"), W("false"), W("on"), W("off"), W("null"), W("~"),
	W(".inf"), W("+.inf"), W("-.inf"), W(".nan"), W("<<"), W("="),
};
#undef W
enum { RESERVED_MAX_LEN = 5 };

static bool is_numeric_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == 'x' ||
	       c == 'X' || c == 'o' || c == 'O' || c == '_' || c == '.' || c == ':' || c == '+' || c == '-';
}

bool emit_needs_quotes(const char *s, size_t len)
{
	if (len == 0)
		return true;
	/* Every reserved word starts with one of these, in either case. */
	if (len <= RESERVED_MAX_LEN && strchr("yYnNtTfFoO~.+-<=", s[0]))
		for (size_t i = 0; i < sizeof reserved_words / sizeof *reserved_words; i++)
			if (reserved_words[i].len == len && strncasecmp(reserved_words[i].s, s, len) == 0)
				return true;
	/* Anything that starts like a number and holds only characters of YAML's int, float and
	 * sexagesimal forms (1e3, 0o17, 0x1F, 1_000, 10:30, 2026-11-24, .5) might resolve as one;
	 * quoting a few more strings than strictly needed costs nothing. */
	size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
	if (i < len && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9'))) {
		bool all = true;
		for (size_t j = i; j < len && all; j++)
			all = is_numeric_char(s[j]);
		if (all)
			return true;
		/* Timestamps: 2026-11-24T10:00:00Z, 2026-11-24 10:00. */
		if (len >= 10 && s[4] == '-' && s[7] == '-')
			return true;
	}
	return false;
}

static yaml_scalar_style_t style_of(const kt *t)
{
	if (t->kind != KT_STR)
		return YAML_PLAIN_SCALAR_STYLE;
	if (memchr(t->s, '\n', t->len))
		return YAML_LITERAL_SCALAR_STYLE;
	return emit_needs_quotes(t->s, t->len) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE;
}

static int scalar(yaml_emitter_t *em, const char *s, size_t len, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	/* plain_implicit and quoted_implicit both set: no tags are ever written. */
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1, style))
		return -1;
	return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

static int node(yaml_emitter_t *em, const kt *t)
{
	yaml_event_t ev;
	switch (t->kind) {
	case KT_MAP:
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 t->n ? YAML_BLOCK_MAPPING_STYLE : YAML_FLOW_MAPPING_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return -1;
		for (const kt *c = t->first; c; c = c->next) {
			yaml_scalar_style_t ks = emit_needs_quotes(c->key, c->key_len) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
										: YAML_ANY_SCALAR_STYLE;
			if (scalar(em, c->key, c->key_len, ks) < 0 || node(em, c) < 0)
				return -1;
		}
		if (!yaml_mapping_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
			return -1;
		return 0;
	case KT_LIST:
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  t->n ? YAML_BLOCK_SEQUENCE_STYLE : YAML_FLOW_SEQUENCE_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return -1;
		for (const kt *c = t->first; c; c = c->next)
			if (node(em, c) < 0)
				return -1;
		if (!yaml_sequence_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
			return -1;
		return 0;
	default:
		return scalar(em, t->s, t->len, style_of(t));
	}
}

int emit_open(emit_stream *es, yaml_write_handler_t *write, void *data)
{
	yaml_event_t ev;
	es->failed = false;
	if (!yaml_emitter_initialize(&es->em))
		return -1;
	yaml_emitter_set_output(&es->em, write, data);
	yaml_emitter_set_indent(&es->em, 2);
	yaml_emitter_set_width(&es->em, -1);
	yaml_emitter_set_unicode(&es->em, 1);
	yaml_emitter_set_break(&es->em, YAML_LN_BREAK);
	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) || !yaml_emitter_emit(&es->em, &ev))
		es->failed = true;
	return es->failed ? -1 : 0;
}

int emit_doc(emit_stream *es, const kt *doc)
{
	yaml_event_t ev;
	if (es->failed || !yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0) ||
	    !yaml_emitter_emit(&es->em, &ev) || node(&es->em, doc) < 0 ||
	    !yaml_document_end_event_initialize(&ev, 1) || !yaml_emitter_emit(&es->em, &ev))
		es->failed = true;
	return es->failed ? -1 : 0;
}

int emit_close(emit_stream *es)
{
	yaml_event_t ev;
	if (!es->failed && (!yaml_stream_end_event_initialize(&ev) || !yaml_emitter_emit(&es->em, &ev) ||
			    !yaml_emitter_flush(&es->em)))
		es->failed = true;
	yaml_emitter_delete(&es->em);
	return es->failed ? -1 : 0;
}

int emit_yaml(kt *const *docs, size_t n, yaml_write_handler_t *write, void *data)
{
	emit_stream es;
	if (emit_open(&es, write, data) < 0) {
		emit_close(&es);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		emit_doc(&es, docs[i]);
	return emit_close(&es);
}
