/* emit-floor.c -- the libyaml emit floor of a bundle: parses a YAML stream (pipec's own `-o -`
 * output) into events in memory, then times only re-emitting those events with libyaml's
 * emitter, set up as compiler/emit.c sets it up (indent 2, width -1, unicode, LF), writing to
 * /dev/null through a 1 MiB stdio buffer as output.c does. Creating each event from memory is
 * inside the timing: that is the least work any libyaml user does per event.
 *
 *   emit-floor BUNDLE.yaml [REPS]   prints "median_ms min_ms bytes" of REPS (default 5) runs */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

typedef struct ev {
	yaml_event_type_t type;
	int style; /* scalar, sequence or mapping style */
	unsigned char *value;
	size_t len;
} ev;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t written;

static int handler(void *data, unsigned char *buf, size_t size)
{
	written += size;
	return fwrite(buf, 1, size, data) == size;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static int emit_all(const ev *evs, size_t n, FILE *out)
{
	yaml_emitter_t em;
	yaml_event_t e;
	if (!yaml_emitter_initialize(&em))
		return -1;
	yaml_emitter_set_output(&em, handler, out);
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_break(&em, YAML_LN_BREAK);
	int ok = 1;
	for (size_t i = 0; i < n && ok; i++) {
		const ev *x = &evs[i];
		switch (x->type) {
		case YAML_STREAM_START_EVENT:
			ok = yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
			break;
		case YAML_STREAM_END_EVENT:
			ok = yaml_stream_end_event_initialize(&e);
			break;
		case YAML_DOCUMENT_START_EVENT:
			ok = yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 0);
			break;
		case YAML_DOCUMENT_END_EVENT:
			ok = yaml_document_end_event_initialize(&e, 1);
			break;
		case YAML_MAPPING_START_EVENT:
			ok = yaml_mapping_start_event_initialize(&e, NULL, NULL, 1, (yaml_mapping_style_t)x->style);
			break;
		case YAML_MAPPING_END_EVENT:
			ok = yaml_mapping_end_event_initialize(&e);
			break;
		case YAML_SEQUENCE_START_EVENT:
			ok = yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, (yaml_sequence_style_t)x->style);
			break;
		case YAML_SEQUENCE_END_EVENT:
			ok = yaml_sequence_end_event_initialize(&e);
			break;
		case YAML_SCALAR_EVENT:
			ok = yaml_scalar_event_initialize(&e, NULL, NULL, x->value, (int)x->len, 1, 1,
							  (yaml_scalar_style_t)x->style);
			break;
		default:
			continue;
		}
		ok = ok && yaml_emitter_emit(&em, &e);
	}
	ok = ok && yaml_emitter_flush(&em);
	yaml_emitter_delete(&em);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: emit-floor BUNDLE.yaml [REPS]\n");
		return 2;
	}
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	if (reps < 1)
		reps = 1;
	FILE *in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 3;
	}
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, in);
	size_t n = 0, cap = 1024;
	ev *evs = malloc(cap * sizeof *evs);
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			fprintf(stderr, "emit-floor: %s: %s\n", argv[1], p.problem ? p.problem : "parse error");
			return 1;
		}
		if (n == cap)
			evs = realloc(evs, (cap *= 2) * sizeof *evs);
		if (!evs)
			abort();
		ev *x = &evs[n++];
		memset(x, 0, sizeof *x);
		x->type = e.type;
		if (e.type == YAML_SCALAR_EVENT) {
			x->style = e.data.scalar.style;
			x->len = e.data.scalar.length;
			x->value = malloc(x->len + 1);
			memcpy(x->value, e.data.scalar.value, x->len + 1);
		} else if (e.type == YAML_MAPPING_START_EVENT) {
			x->style = e.data.mapping_start.style;
		} else if (e.type == YAML_SEQUENCE_START_EVENT) {
			x->style = e.data.sequence_start.style;
		}
		yaml_event_type_t t = e.type;
		yaml_event_delete(&e);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	fclose(in);
	FILE *out = fopen("/dev/null", "w");
	char *buf = malloc(1 << 20);
	setvbuf(out, buf, _IOFBF, 1 << 20);
	double *t = malloc((size_t)reps * sizeof *t);
	size_t bytes = 0;
	for (int r = 0; r < reps; r++) {
		written = 0;
		double t0 = now();
		if (emit_all(evs, n, out) < 0 || fflush(out) != 0) {
			fprintf(stderr, "emit-floor: emitter error\n");
			return 1;
		}
		t[r] = now() - t0;
		bytes = written;
	}
	qsort(t, (size_t)reps, sizeof *t, cmp_double);
	printf("%.3f %.3f %zu\n", t[reps / 2] * 1e3, t[0] * 1e3, bytes);
	return 0;
}
