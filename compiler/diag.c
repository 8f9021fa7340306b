/* diag.c -- diagnostic records, their sorting, and gcc-style printing with carets. */
#include "config.h"
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum severity { SEV_ERROR, SEV_WARNING, SEV_NOTE };

struct note {
	src_span span;
	char *msg;
};

struct record {
	enum severity sev;
	src_span span;
	char *msg;
	struct note *notes;
	size_t nnotes;
	size_t seq; /* insertion order, to keep the sort stable */
};

struct diag_ctx {
	src_file **files;
	size_t nfiles;
	struct record *recs;
	size_t nrecs, cap;
	size_t errors;
	size_t dropped;
	bool last_dropped;
};

static const char *const sev_name[] = {
	[SEV_ERROR] = "error",
	[SEV_WARNING] = "warning",
	[SEV_NOTE] = "note",
};

diag_ctx *diag_new(void)
{
	return xcalloc(1, sizeof(diag_ctx));
}

void diag_free(diag_ctx *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nrecs; i++) {
		free(d->recs[i].msg);
		for (size_t j = 0; j < d->recs[i].nnotes; j++)
			free(d->recs[i].notes[j].msg);
		free(d->recs[i].notes);
	}
	free(d->recs);
	for (size_t i = 0; i < d->nfiles; i++) {
		free((char *)d->files[i]->text);
		free(d->files[i]->line_starts);
		free(d->files[i]);
	}
	free(d->files);
	free(d);
}

const src_file *diag_add_file(diag_ctx *d, const char *name, char *text, size_t len)
{
	src_file *f = xcalloc(1, sizeof(*f));
	f->name = name;
	f->text = text;
	f->len = len;
	f->index = (unsigned)d->nfiles;
	d->files = xreallocarray(d->files, d->nfiles + 1, sizeof(*d->files));
	d->files[d->nfiles++] = f;
	return f;
}

__attribute__((format(printf, 4, 0))) static void add(diag_ctx *d, enum severity sev, src_span span, const char *fmt,
						  va_list ap)
{
	if (sev == SEV_ERROR)
		d->errors++;
	if (d->errors > DIAG_MAX_ERRORS) {
		d->dropped++;
		d->last_dropped = true;
		return;
	}
	d->last_dropped = false;
	if (d->nrecs == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->recs = xreallocarray(d->recs, d->cap, sizeof(*d->recs));
	}
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	d->recs[d->nrecs] = (struct record){ .sev = sev, .span = span, .msg = msg, .seq = d->nrecs };
	d->nrecs++;
}

void diag_error(diag_ctx *d, src_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, SEV_ERROR, span, fmt, ap);
	va_end(ap);
}

void diag_warning(diag_ctx *d, src_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, SEV_WARNING, span, fmt, ap);
	va_end(ap);
}

void diag_note(diag_ctx *d, src_span span, const char *fmt, ...)
{
	if (d->nrecs == 0 || d->last_dropped)
		return;
	struct record *r = &d->recs[d->nrecs - 1];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	r->notes[r->nnotes++] = (struct note){ .span = span, .msg = msg };
}

size_t diag_error_count(const diag_ctx *d)
{
	return d->errors;
}

static void build_lines(src_file *f)
{
	size_t cap = 64, n = 0;
	uint32_t *ls = xreallocarray(NULL, cap, sizeof(*ls));
	ls[n++] = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (f->text[i] == '\n') {
			if (n == cap) {
				cap *= 2;
				ls = xreallocarray(ls, cap, sizeof(*ls));
			}
			ls[n++] = (uint32_t)(i + 1);
		}
	}
	f->line_starts = ls;
	f->nlines = n;
}

/* Index of the line holding offset: binary search in the line-start table. */
static size_t line_index(const src_file *cf, uint32_t offset)
{
	src_file *f = (src_file *)cf; /* the table is a cache, built on first use */
	if (!f->line_starts)
		build_lines(f);
	size_t lo = 0, hi = f->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Code points in text[a, b): continuation bytes of UTF-8 do not count. */
static unsigned codepoints(const char *text, size_t a, size_t b)
{
	unsigned n = 0;
	for (size_t i = a; i < b; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			n++;
	return n;
}

void diag_line_col(const src_file *f, uint32_t offset, unsigned *line, unsigned *col)
{
	if (offset > f->len)
		offset = (uint32_t)f->len;
	size_t li = line_index(f, offset);
	*line = (unsigned)li + 1;
	*col = codepoints(f->text, f->line_starts[li], offset) + 1;
}

static void print_caret(FILE *out, src_span sp)
{
	const src_file *f = sp.file;
	uint32_t start = sp.start > f->len ? (uint32_t)f->len : sp.start;
	size_t li = line_index(f, start);
	size_t ls = f->line_starts[li];
	size_t le = ls;
	while (le < f->len && f->text[le] != '\n' && f->text[le] != '\r')
		le++;
	/* Very long lines (minified specs, huge strings) print as a window around the span. */
	enum { WINDOW = 160, BEFORE = 60 };
	bool cut_left = false, cut_right = false;
	if (le - ls > WINDOW) {
		if (start > ls + BEFORE) {
			ls = start - BEFORE;
			while (ls < start && ((unsigned char)f->text[ls] & 0xC0) == 0x80)
				ls++;
			cut_left = true;
		}
		if (le > ls + WINDOW) {
			le = ls + WINDOW;
			while (le > start && ((unsigned char)f->text[le] & 0xC0) == 0x80)
				le--;
			cut_right = true;
		}
	}
	uint32_t end = sp.end < start ? start : sp.end;
	if (end > le)
		end = (uint32_t)le;
	fprintf(out, "%5zu | %s", li + 1, cut_left ? "..." : "");
	for (size_t i = ls; i < le; i++) {
		unsigned char c = (unsigned char)f->text[i];
		fputc(c < 0x20 && c != '\t' ? ' ' : c, out);
	}
	fputs(cut_right ? "...\n      | " : "\n      | ", out);
	if (cut_left)
		fputs("   ", out);
	/* Keep tabs so the caret lines up under a tab-indented source line. */
	for (size_t i = ls; i < start; i++) {
		if (((unsigned char)f->text[i] & 0xC0) == 0x80)
			continue;
		fputc(f->text[i] == '\t' ? '\t' : ' ', out);
	}
	fputc('^', out);
	unsigned width = end > start ? codepoints(f->text, start, end) : 1;
	for (unsigned i = 1; i < width; i++)
		fputc('~', out);
	fputc('\n', out);
}

static void print_one(FILE *out, enum severity sev, src_span sp, const char *msg)
{
	if (!sp.file) {
		fprintf(out, "pipec: %s: %s\n", sev_name[sev], msg);
		return;
	}
	unsigned line, col;
	diag_line_col(sp.file, sp.start, &line, &col);
	fprintf(out, "%s:%u:%u: %s: %s\n", sp.file->name, line, col, sev_name[sev], msg);
	print_caret(out, sp);
}

static int cmp_record(const void *pa, const void *pb)
{
	const struct record *a = pa, *b = pb;
	unsigned fa = a->span.file ? a->span.file->index : 0u - 1;
	unsigned fb = b->span.file ? b->span.file->index : 0u - 1;
	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_print(diag_ctx *d, FILE *out)
{
	if (d->nrecs)
		qsort(d->recs, d->nrecs, sizeof(*d->recs), cmp_record);
	for (size_t i = 0; i < d->nrecs; i++) {
		const struct record *r = &d->recs[i];
		print_one(out, r->sev, r->span, r->msg);
		for (size_t j = 0; j < r->nnotes; j++)
			print_one(out, SEV_NOTE, r->notes[j].span, r->notes[j].msg);
	}
	if (d->dropped)
		fprintf(out, "pipec: note: too many errors; %zu more not shown\n", d->dropped);
	fflush(out);
}

static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t *row = xreallocarray(NULL, lb + 1, sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t r = row[lb];
	free(row);
	return r;
}

const char *diag_suggest(const char *word, size_t len, const char *const *cands, size_t n)
{
	/* A suggestion must share most of the word: none for one letter, one edit for short words. */
	size_t limit = len < 2 ? 0 : len < 6 ? 1 + (len >= 4) : len / 3;
	const char *best = NULL;
	size_t best_d = limit + 1;
	for (size_t i = 0; i < n; i++) {
		size_t lc = strlen(cands[i]);
		size_t gap = lc > len ? lc - len : len - lc;
		if (gap >= best_d)
			continue;
		size_t dist = edit_distance(word, len, cands[i], lc);
		if (dist < best_d && dist > 0) {
			best = cands[i];
			best_d = dist;
		}
	}
	return best;
}
