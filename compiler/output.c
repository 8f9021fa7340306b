/* output.c -- buffered writers around emit_yaml, and the atomic directory swap. */
#define _GNU_SOURCE /* renameat2 */
#include "config.h"
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "stats.h"
#include "xalloc.h"

enum { OUT_BUFFER = 1 << 20 };

static int write_file_handler(void *data, unsigned char *buf, size_t size)
{
	if (!stats_enabled())
		return fwrite(buf, 1, size, data) == size;
	double t = stats_now();
	int ok = fwrite(buf, 1, size, data) == size;
	stats_add(STATS_WRITE, stats_now() - t);
	return ok;
}

int output_stream(const bundle *b, FILE *out)
{
	char *buf = xmalloc(OUT_BUFFER);
	setvbuf(out, buf, _IOFBF, OUT_BUFFER);
	/* One emitter for the whole stream; step Jobs are built one at a time in scratch. */
	arena *scratch = arena_new();
	emit_stream es;
	errno = 0;
	emit_open(&es, write_file_handler, out);
	for (size_t f = 0; f < b->nfiles && !es.failed; f++) {
		if (strcmp(b->files[f].name, "kustomization.yaml") == 0)
			continue;
		kt *const *docs = bundle_docs(b, f, scratch);
		for (size_t i = 0; i < b->files[f].ndocs; i++)
			emit_doc(&es, docs[i]);
		arena_reset(scratch);
	}
	int rc = emit_close(&es);
	arena_free(scratch);
	double t = stats_now();
	if (fflush(out) != 0 || ferror(out))
		rc = -1;
	stats_add(STATS_WRITE, stats_now() - t);
	setvbuf(out, NULL, _IOFBF, BUFSIZ);
	free(buf);
	if (rc < 0)
		fprintf(stderr, "pipec: cannot write the output: %s\n", errno ? strerror(errno) : "emitter error");
	return rc;
}

/* Names pipec writes: NN-*.yaml and kustomization.yaml. */
static bool ours(const char *name)
{
	size_t n = strlen(name);
	if (strcmp(name, "kustomization.yaml") == 0)
		return true;
	return n > 8 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' && name[2] == '-' &&
	       strcmp(name + n - 5, ".yaml") == 0 && !strchr(name, '/');
}

/* Removes dir and the files in it (a bundle is flat). */
static int remove_bundle(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			char *path = xasprintf("%s/%s", dir, e->d_name);
			if (unlink(path) != 0)
				rc = -1;
			free(path);
		}
	closedir(d);
	if (rmdir(dir) != 0)
		rc = -1;
	return rc;
}

/* 0 if dir is absent or a directory of pipec's files only; -1 (reported) otherwise. */
static int check_replaceable(const char *dir, bool *exists)
{
	struct stat st;
	*exists = false;
	if (lstat(dir, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "pipec: cannot use '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pipec: cannot write the bundle to '%s': it exists and is not a directory\n", dir);
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "pipec: cannot read '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) && rc == 0)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 && !ours(e->d_name)) {
			fprintf(stderr, "pipec: refusing to replace '%s': it holds '%s', which pipec did not write\n", dir,
				e->d_name);
			rc = -1;
		}
	closedir(d);
	*exists = true;
	return rc;
}

static int write_one(const char *tmp, const bundle *b, size_t fi, char *buf, arena *scratch)
{
	const bundle_file *f = &b->files[fi];
	char *path = xasprintf("%s/%s", tmp, f->name);
	double t = stats_now();
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	stats_add(STATS_WRITE, stats_now() - t);
	int rc = -1;
	if (out) {
		setvbuf(out, buf, _IOFBF, OUT_BUFFER);
		errno = 0;
		rc = emit_yaml(bundle_docs(b, fi, scratch), f->ndocs, write_file_handler, out);
		arena_reset(scratch);
		t = stats_now();
		if (fflush(out) != 0 || ferror(out))
			rc = -1;
		int saved = errno;
		if (fclose(out) != 0 && rc == 0)
			rc = -1;
		else
			errno = saved;
		stats_add(STATS_WRITE, stats_now() - t);
	} else if (fd >= 0) {
		close(fd);
	}
	if (rc < 0)
		fprintf(stderr, "pipec: cannot write '%s': %s\n", path, errno ? strerror(errno) : "emitter error");
	free(path);
	return rc;
}

/* Puts the finished bundle tmp in place of copy (the directory dir names). */
static int swap_in(const char *tmp, const char *copy, const char *dir, bool exists)
{
	if (exists) {
		/* Swap both directories in one step where the kernel can, else two renames. */
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, copy, RENAME_EXCHANGE) == 0) {
			remove_bundle(tmp);
			return 0;
		}
		char *old = xasprintf("%s.old", tmp);
		if (rename(copy, old) != 0) {
			fprintf(stderr, "pipec: cannot replace '%s': %s\n", dir, strerror(errno));
			remove_bundle(tmp);
			free(old);
			return -1;
		}
		if (rename(tmp, copy) != 0) {
			fprintf(stderr, "pipec: cannot replace '%s': %s\n", dir, strerror(errno));
			rename(old, copy);
			remove_bundle(tmp);
			free(old);
			return -1;
		}
		remove_bundle(old);
		free(old);
		return 0;
	}
	if (rename(tmp, copy) != 0) {
		fprintf(stderr, "pipec: cannot create '%s': %s\n", dir, strerror(errno));
		remove_bundle(tmp);
		return -1;
	}
	return 0;
}

int output_dir(const bundle *b, const char *dir)
{
	bool exists;
	if (check_replaceable(dir, &exists) < 0)
		return -1;
	/* The temporary sibling: same file system, so the final rename is atomic. */
	char *copy = xstrdup(dir);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	char *slash = strrchr(copy, '/');
	char *tmp = slash ? xasprintf("%.*s/.%s.tmp-XXXXXX", (int)(slash - copy), copy, slash + 1)
			  : xasprintf(".%s.tmp-XXXXXX", copy);
	int rc = -1;
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "pipec: cannot create a directory beside '%s': %s\n", dir, strerror(errno));
		goto out;
	}
	mode_t mask = umask(0);
	umask(mask);
	chmod(tmp, 0777 & ~mask);
	char *buf = xmalloc(OUT_BUFFER);
	arena *scratch = arena_new();
	for (size_t f = 0; f < b->nfiles; f++)
		if (write_one(tmp, b, f, buf, scratch) < 0) {
			free(buf);
			arena_free(scratch);
			remove_bundle(tmp);
			goto out;
		}
	arena_free(scratch);
	free(buf);
	/* The swap and the clean-up of the old bundle are writing too. */
	double t = stats_now();
	rc = swap_in(tmp, copy, dir, exists);
	stats_add(STATS_WRITE, stats_now() - t);
out:
	free(tmp);
	free(copy);
	return rc;
}
