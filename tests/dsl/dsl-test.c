/* dsl-test.c -- drives the DSL front end for the golden tests in tests/dsl until the pipec
 * CLI exposes the same: check, fmt, to-yaml, to-pipe and dump a .pipe file; and, to prove
 * that convert's YAML reads back as the same pipeline, a minimal YAML spec reader
 * (yaml-dump, yaml-to-pipe) that feeds the same ir_* builders. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "convert.h"
#include "dsl.h"
#include "layout.h"
#include "xalloc.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "dsl-test: %s: %s\n", path, strerror(errno));
		exit(3);
	}
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	size_t k;
	while ((k = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += k;
		if (cap - n - 1 == 0) {
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---- a deterministic dump of the IR, keys in table order (so source order does not matter) */

static void dump_value(const ir_value *v)
{
	lay_buf b = { 0 };
	switch (v->kind) {
	case IRV_STRING:
		lay_quote(&b, v->str.s, v->str.len);
		fputs(b.p, stdout);
		free(b.p);
		break;
	case IRV_NUMBER:
		printf("%s", v->num.text);
		break;
	case IRV_BOOL:
		fputs(v->b ? "true" : "false", stdout);
		break;
	case IRV_NULL:
		fputs("null", stdout);
		break;
	case IRV_LIST:
		putchar('[');
		for (size_t i = 0; i < v->list.n; i++) {
			if (i)
				fputs(", ", stdout);
			dump_value(v->list.items[i]);
		}
		putchar(']');
		break;
	case IRV_MAP:
		putchar('{');
		for (size_t i = 0; i < v->map.n; i++) {
			if (i)
				fputs(", ", stdout);
			lay_key(&b, v->map.entries[i].key, v->map.entries[i].key_len);
			printf("%s: ", b.p);
			b.n = 0;
			dump_value(v->map.entries[i].value);
		}
		free(b.p);
		putchar('}');
		break;
	}
}

#define DUMP_SET(ind, what, set, info, count)                                                 \
	for (unsigned k = 0; k < (count); k++)                                                \
		if ((set)->v[k]) {                                                            \
			printf("%s%s %s = ", ind, what, info[k].name);                        \
			dump_value((set)->v[k]);                                              \
			putchar('\n');                                                        \
		}

static void dump(const ir_pipeline *p)
{
	printf("pipeline %s\n", p->name);
	for (unsigned k = 0; k < A__COUNT; k++)
		if (p->attrs.v[k] && k != A_OP && k != A_POD && k != A_SEQUENCER) {
			printf("  attr %s = ", ir_attr_info[k].name);
			dump_value(p->attrs.v[k]);
			putchar('\n');
		}
	DUMP_SET("  ", "op", &p->op, ir_op_info, OP__COUNT)
	DUMP_SET("  ", "pod", &p->pod, ir_pod_info, POD__COUNT)
	if (p->seq.image) {
		printf("  sequencer image = ");
		dump_value(p->seq.image);
		putchar('\n');
	}
	DUMP_SET("  ", "sequencer op", &p->seq.op, ir_op_info, OP__COUNT)
	DUMP_SET("  ", "sequencer pod", &p->seq.pod, ir_pod_info, POD__COUNT)
	for (size_t i = 0; i < p->nsteps; i++) {
		const ir_step *s = p->steps[i];
		printf("  step %s", s->name);
		for (size_t j = 0; j < s->nafter; j++)
			printf("%s%s", j ? ", " : " after ", s->after[j].name);
		putchar('\n');
		for (unsigned k = 0; k < A__COUNT; k++)
			if (s->attrs.v[k] && k != A_OP && k != A_POD) {
				printf("    attr %s = ", ir_attr_info[k].name);
				dump_value(s->attrs.v[k]);
				putchar('\n');
			}
		DUMP_SET("    ", "op", &s->op, ir_op_info, OP__COUNT)
		DUMP_SET("    ", "pod", &s->pod, ir_pod_info, POD__COUNT)
	}
}

/* ---- a minimal YAML spec reader, enough to read back what convert_to_yaml writes ---------- */

static src_span yspan(ir_build *b, const yaml_node_t *n)
{
	return (src_span){ b->file, (uint32_t)n->start_mark.index, (uint32_t)n->end_mark.index };
}

static ir_value *yvalue(ir_build *b, yaml_document_t *doc, yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *s = (const char *)n->data.scalar.value;
		size_t len = n->data.scalar.length;
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
			if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
				return ir_bool(b, yspan(b, n), s[0] == 't');
			char *end;
			strtod(s, &end);
			if (len && *end == '\0' && strspn(s, "-+0123456789.") == len)
				return ir_number(b, yspan(b, n), s, len);
		}
		return ir_string(b, yspan(b, n), s, len);
	}
	case YAML_SEQUENCE_NODE: {
		ir_value *l = ir_list(b, yspan(b, n));
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			ir_list_push(b, l, yvalue(b, doc, yaml_document_get_node(doc, *it)));
		return l;
	}
	case YAML_MAPPING_NODE: {
		ir_value *m = ir_map(b, yspan(b, n));
		for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(doc, pr->key);
			ir_map_put(b, m, yspan(b, k), (const char *)k->data.scalar.value, k->data.scalar.length,
				   yvalue(b, doc, yaml_document_get_node(doc, pr->value)));
		}
		return m;
	}
	default:
		return ir_null(b, yspan(b, n));
	}
}

static ir_pipeline *yaml_load(ir_build *b)
{
	yaml_parser_t ps;
	yaml_document_t doc;
	yaml_parser_initialize(&ps);
	yaml_parser_set_input_string(&ps, (const unsigned char *)b->file->text, b->file->len);
	if (!yaml_parser_load(&ps, &doc)) {
		fprintf(stderr, "dsl-test: %s: YAML error: %s\n", b->file->name, ps.problem);
		exit(1);
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	ir_pipeline *p = NULL;
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
		const char *key = (const char *)k->data.scalar.value;
		if (strcmp(key, "pipeline") == 0) {
			p = ir_pipeline_new(b, (const char *)v->data.scalar.value, v->data.scalar.length, yspan(b, v));
		} else if (strcmp(key, "steps") == 0) {
			for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				yaml_node_t *sn = yaml_document_get_node(&doc, *it);
				ir_step *s = NULL;
				for (yaml_node_pair_t *sp = sn->data.mapping.pairs.start; sp < sn->data.mapping.pairs.top;
				     sp++) {
					yaml_node_t *sk = yaml_document_get_node(&doc, sp->key);
					yaml_node_t *sv = yaml_document_get_node(&doc, sp->value);
					const char *skey = (const char *)sk->data.scalar.value;
					if (strcmp(skey, "name") == 0)
						s = ir_step_add(b, p, (const char *)sv->data.scalar.value,
								sv->data.scalar.length, yspan(b, sv));
					else if (strcmp(skey, "after") == 0)
						for (yaml_node_item_t *a = sv->data.sequence.items.start;
						     a < sv->data.sequence.items.top; a++) {
							yaml_node_t *an = yaml_document_get_node(&doc, *a);
							ir_step_after(b, s, (const char *)an->data.scalar.value,
								      an->data.scalar.length, yspan(b, an));
						}
					else
						ir_set_attr(b, p, s, yspan(b, sk), skey, sk->data.scalar.length,
							    yvalue(b, &doc, sv));
				}
			}
		} else {
			ir_set_attr(b, p, NULL, yspan(b, k), key, k->data.scalar.length, yvalue(b, &doc, v));
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&ps);
	return p;
}

/* diag_print sorts its records with qsort, which must not be given the NULL array of an
 * empty context (UBSan says so): print only when there is something to print. */
static void print_diags(diag_ctx *d)
{
	if (diag_error_count(d))
		diag_print(d, stderr);
}

static int usage(void)
{
	fputs("usage: dsl-test check|fmt|to-yaml|to-pipe|dump|yaml-dump|yaml-to-pipe FILE\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return usage();
	const char *mode = argv[1];
	size_t len;
	char *text = slurp(argv[2], &len);
	diag_ctx *d = diag_new();
	const src_file *f = diag_add_file(d, argv[2], text, len);
	int rc = 0;
	if (strcmp(mode, "fmt") == 0) {
		size_t n;
		char *out = dsl_format(d, f, &n);
		if (out) {
			fwrite(out, 1, n, stdout);
			free(out);
		} else
			rc = 1;
		print_diags(d);
		diag_free(d);
		return rc;
	}
	arena *a = arena_new();
	ir_build b = { .a = a, .d = d, .file = f };
	ir_pipeline *p;
	if (strncmp(mode, "yaml-", 5) == 0) {
		p = yaml_load(&b);
		if (diag_error_count(d))
			p = NULL;
	} else {
		p = dsl_load(&b);
	}
	print_diags(d);
	if (!p) {
		rc = 1;
	} else if (strcmp(mode, "check") == 0) {
		rc = 0;
	} else if (strcmp(mode, "to-yaml") == 0) {
		rc = convert_to_yaml(p, stdout) ? 3 : 0;
	} else if (strcmp(mode, "to-pipe") == 0 || strcmp(mode, "yaml-to-pipe") == 0) {
		rc = convert_to_pipe(p, stdout) ? 3 : 0;
	} else if (strcmp(mode, "dump") == 0 || strcmp(mode, "yaml-dump") == 0) {
		dump(p);
	} else {
		rc = usage();
	}
	arena_free(a);
	diag_free(d);
	return rc;
}
