/* main.c -- the pipec command line: parses arguments and calls the library. Subcommands are
 * rows of one table; exit statuses are those of LANGUAGE.md. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "convert.h"
#include "dsl.h"
#include "local_run.h"
#include "lower.h"
#include "output.h"
#include "pipec.h"
#include "stats.h"

/* ORDER exit_status */
enum exit_status { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

#define DEFAULT_RUNTIME_IMAGE "ghcr.io/pipec/pipec-runtime:" PACKAGE_VERSION

typedef struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
} cmd;

static const cmd *find_cmd(const char *name);

static int usage_error(const char *cmdname, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *cmdname, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "pipec: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pipec %s%s--help' for more information.\n", cmdname ? cmdname : "", cmdname ? " " : "");
	return EXIT_USAGE;
}

static void print_help(const cmd *c)
{
	printf("Usage: pipec %s %s\n%s", c->name, c->usage, c->help);
}

static enum pipec_lang parse_lang(const char *s)
{
	return strcmp(s, "pipe") == 0 ? LANG_PIPE : strcmp(s, "yaml") == 0 ? LANG_YAML : LANG_AUTO;
}

/* Reads and compiles one file; prints its diagnostics. Returns an exit status. */
static int compile_file(pipec_unit *u, const char *path, enum pipec_lang lang, const char *ns)
{
	if (pipec_read(u, path) < 0)
		return EXIT_IO;
	bool ok = pipec_compile(u, lang, ns);
	diag_print(u->d, stderr);
	return ok ? EXIT_OK : EXIT_INPUT;
}

static bool valid_run_id(const char *s)
{
	return strcmp(s, "hash") == 0 || (strlen(s) <= 40 && check_dns_label(s, strlen(s)));
}

/* ---- build ------------------------------------------------------------------------------- */

static int cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' }, { "run-id", required_argument, NULL, 'r' },
		{ "namespace", required_argument, NULL, 'n' }, { "runtime-image", required_argument, NULL, 'i' },
		{ "kustomize", no_argument, NULL, 'k' }, { "lang", required_argument, NULL, 'l' },
		{ "stats", no_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char *out = "-", *ns = NULL;
	lower_options lo = { .runtime_image = DEFAULT_RUNTIME_IMAGE };
	enum pipec_lang lang = LANG_AUTO;
	int c;
	while ((c = getopt_long(argc, argv, "o:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'r':
			if (!valid_run_id(optarg))
				return usage_error("build", "invalid --run-id '%s': use up to 40 lowercase letters, digits and '-', or 'hash'", optarg);
			lo.run_id = optarg;
			break;
		case 'n':
			if (!check_dns_label(optarg, strlen(optarg)))
				return usage_error("build", "invalid --namespace '%s': expected a DNS-1123 label", optarg);
			ns = optarg;
			break;
		case 'i':
			if (!optarg[0] || strpbrk(optarg, " \t\n"))
				return usage_error("build", "invalid --runtime-image '%s'", optarg);
			lo.runtime_image = optarg;
			break;
		case 'k':
			lo.kustomize = true;
			break;
		case 'l':
			if ((lang = parse_lang(optarg)) == LANG_AUTO)
				return usage_error("build", "invalid --lang '%s': expected pipe or yaml", optarg);
			break;
		case 's':
			stats_enable();
			break;
		case 'h':
			print_help(find_cmd("build"));
			return EXIT_OK;
		default:
			return usage_error("build", "%s", "invalid option");
		}
	}
	if (optind + 1 != argc)
		return usage_error("build", "%s", "expected exactly one input file");
	if (lo.kustomize && strcmp(out, "-") == 0)
		return usage_error("build", "%s", "--kustomize needs -o DIR");
	pipec_unit *u = pipec_unit_new();
	int rc = compile_file(u, argv[optind], lang, ns);
	if (rc == EXIT_OK) {
		bundle *b = lower_pipeline(u->a, u->checked, &lo);
		stats_phase_end(STATS_LOWER, u->a);
		int w = strcmp(out, "-") == 0 ? output_stream(b, stdout) : output_dir(b, out);
		stats_phase_end(STATS_EMIT, u->a);
		rc = w < 0 ? EXIT_IO : EXIT_OK;
	}
	stats_print(stderr);
	pipec_unit_free(u);
	return rc;
}

/* ---- check ------------------------------------------------------------------------------- */

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	enum pipec_lang lang = LANG_AUTO;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			print_help(find_cmd("check"));
			return EXIT_OK;
		}
		if (c != 'l' || (lang = parse_lang(optarg)) == LANG_AUTO)
			return usage_error("check", "%s", "invalid option");
	}
	if (optind == argc)
		return usage_error("check", "%s", "expected at least one input file");
	int worst = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		pipec_unit *u = pipec_unit_new();
		int rc = compile_file(u, argv[i], lang, NULL);
		pipec_unit_free(u);
		/* An I/O error outranks input errors. */
		if (rc == EXIT_IO || (rc == EXIT_INPUT && worst == EXIT_OK))
			worst = rc;
	}
	return worst;
}

/* ---- plan -------------------------------------------------------------------------------- */

static char *after_text(const ir_step *s)
{
	size_t len = 2;
	for (size_t j = 0; j < s->nafter; j++)
		len += s->after[j].len + 1;
	char *t = malloc(len);
	if (!t)
		abort();
	t[0] = '\0';
	for (size_t j = 0; j < s->nafter; j++) {
		if (j)
			strcat(t, ",");
		strcat(t, s->after[j].name);
	}
	if (!s->nafter)
		strcpy(t, "-");
	return t;
}

static int print_plan(const chk_pipeline *cp, bool json)
{
	const ir_pipeline *p = cp->ir;
	if (json) {
		json_t *o = json_object(), *steps = json_array();
		json_object_set_new(o, "pipeline", json_string(p->name));
		json_object_set_new(o, "namespace", json_string(cp->namespace));
		json_object_set_new(o, "maxParallel", json_integer(cp->max_parallel));
		json_object_set_new(o, "onFailure", json_string(cp->on_failure));
		for (size_t k = 0; k < p->nsteps; k++) {
			const chk_step *s = &cp->steps[p->order[k]];
			json_t *st = json_object(), *after = json_array(), *res = json_object();
			json_object_set_new(st, "name", json_string(s->ir->name));
			json_object_set_new(st, "image", json_string(s->image));
			for (size_t j = 0; j < s->ir->nafter; j++)
				json_array_append_new(after, json_string(s->ir->after[j].name));
			json_object_set_new(st, "after", after);
			json_object_set_new(res, "cpu", json_string(s->op.cpu));
			json_object_set_new(res, "memory", json_string(s->op.memory));
			if (s->op.gpu) {
				json_object_set_new(res, "gpuResource", json_string(s->op.gpu));
				json_object_set_new(res, "gpus", json_integer(s->op.num_gpus));
			}
			if (s->op.cuda_major >= 0) {
				char v[32];
				snprintf(v, sizeof v, "%d.%d", s->op.cuda_major, s->op.cuda_minor);
				json_object_set_new(res, "cuda", json_string(v));
			}
			json_object_set_new(st, "resources", res);
			json_array_append_new(steps, st);
		}
		json_object_set_new(o, "steps", steps);
		int rc = json_dumpf(o, stdout, JSON_SORT_KEYS | JSON_INDENT(2));
		json_decref(o);
		return rc == 0 && fputc('\n', stdout) != EOF ? EXIT_OK : EXIT_IO;
	}
	char par[24] = "unlimited";
	if (cp->max_parallel)
		snprintf(par, sizeof par, "%lld", cp->max_parallel);
	printf("pipeline %s: %zu steps, namespace %s, max parallel %s, on failure %s\n", p->name, p->nsteps,
	       cp->namespace, par, cp->on_failure);
	printf("%-4s %-24s %-24s %-6s %-8s %s\n", "#", "STEP", "AFTER", "CPU", "MEMORY", "GPU");
	for (size_t k = 0; k < p->nsteps; k++) {
		const chk_step *s = &cp->steps[p->order[k]];
		char *after = after_text(s->ir);
		char gpu[128] = "-";
		if (s->op.gpu)
			snprintf(gpu, sizeof gpu, "%lld x %s", s->op.num_gpus, s->op.gpu);
		if (s->op.cuda_major >= 0)
			snprintf(gpu + strlen(gpu), sizeof gpu - strlen(gpu), ", cuda>=%d.%d%s", s->op.cuda_major,
				 s->op.cuda_minor, s->op.cuda_strict ? " (strict)" : "");
		printf("%-4zu %-24s %-24s %-6s %-8s %s\n", k + 1, s->ir->name, after, s->op.cpu, s->op.memory, gpu);
		free(after);
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
}

static int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	bool json = false;
	enum pipec_lang lang = LANG_AUTO;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			print_help(find_cmd("plan"));
			return EXIT_OK;
		}
		if (c == 'j')
			json = true;
		else if (c != 'l' || (lang = parse_lang(optarg)) == LANG_AUTO)
			return usage_error("plan", "%s", "invalid option");
	}
	if (optind + 1 != argc)
		return usage_error("plan", "%s", "expected exactly one input file");
	pipec_unit *u = pipec_unit_new();
	int rc = compile_file(u, argv[optind], lang, NULL);
	if (rc == EXIT_OK)
		rc = print_plan(u->checked, json);
	pipec_unit_free(u);
	return rc;
}

/* ---- fmt --------------------------------------------------------------------------------- */

/* Replaces path with text through a temporary file and a rename: never half-written. */
static int write_back(const char *path, const char *text, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		abort();
	snprintf(tmp, n + 16, "%s.fmt-XXXXXX", path);
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	bool ok = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = false;
	else if (!f && fd >= 0)
		close(fd);
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok) {
		fprintf(stderr, "pipec: cannot write '%s': %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

static int cmd_fmt(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' }, { "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	bool write = false, check = false;
	int c;
	while ((c = getopt_long(argc, argv, "wh", opts, NULL)) != -1) {
		if (c == 'h') {
			print_help(find_cmd("fmt"));
			return EXIT_OK;
		}
		if (c == 'w')
			write = true;
		else if (c == 'c')
			check = true;
		else
			return usage_error("fmt", "%s", "invalid option");
	}
	if (optind == argc)
		return usage_error("fmt", "%s", "expected at least one .pipe file");
	if (write && check)
		return usage_error("fmt", "%s", "--write and --check exclude each other");
	int worst = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		if (pipec_lang_of(path) == LANG_YAML)
			return usage_error("fmt", "'%s' is YAML: fmt formats .pipe files", path);
		pipec_unit *u = pipec_unit_new();
		int rc = EXIT_OK;
		size_t len = 0;
		char *text = NULL;
		if (pipec_read(u, path) < 0)
			rc = EXIT_IO;
		else if (!(text = dsl_format(u->d, u->file, &len)))
			rc = EXIT_INPUT;
		diag_print(u->d, stderr);
		if (text) {
			bool same = len == u->file->len && memcmp(text, u->file->text, len) == 0;
			if (check && !same) {
				fprintf(stderr, "pipec: %s is not formatted (run 'pipec fmt -w %s')\n", path, path);
				rc = EXIT_INPUT;
			} else if (write && !same && strcmp(path, "-") != 0) {
				rc = write_back(path, text, len) < 0 ? EXIT_IO : EXIT_OK;
			} else if (!check && !write) {
				rc = fwrite(text, 1, len, stdout) == len ? EXIT_OK : EXIT_IO;
			}
			free(text);
		}
		pipec_unit_free(u);
		if (rc == EXIT_IO || (rc == EXIT_INPUT && worst == EXIT_OK))
			worst = rc;
	}
	return worst;
}

/* ---- convert ------------------------------------------------------------------------------ */

static int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' }, { "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	enum pipec_lang to = LANG_AUTO, lang = LANG_AUTO;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			print_help(find_cmd("convert"));
			return EXIT_OK;
		}
		if (c == 't') {
			if ((to = parse_lang(optarg)) == LANG_AUTO)
				return usage_error("convert", "invalid --to '%s': expected yaml or pipe", optarg);
		} else if (c != 'l' || (lang = parse_lang(optarg)) == LANG_AUTO) {
			return usage_error("convert", "%s", "invalid option");
		}
	}
	if (to == LANG_AUTO)
		return usage_error("convert", "%s", "missing --to yaml|pipe");
	if (optind + 1 != argc)
		return usage_error("convert", "%s", "expected exactly one input file");
	pipec_unit *u = pipec_unit_new();
	int rc = compile_file(u, argv[optind], lang, NULL);
	if (rc == EXIT_OK) {
		/* Into memory first, so a failure writes nothing. */
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		int w = !mem ? -1 : to == LANG_PIPE ? convert_to_pipe(u->ir, mem) : convert_to_yaml(u->ir, mem);
		if (mem && fclose(mem) != 0)
			w = -1;
		if (w < 0 || fwrite(buf, 1, len, stdout) != len)
			rc = EXIT_IO;
		free(buf);
	}
	pipec_unit_free(u);
	return rc;
}

/* ---- run ---------------------------------------------------------------------------------- */

/* argv of a step: its command (the /bin/sh -c form for `run`) followed by its args. */
static char **step_argv(arena *a, const chk_step *s)
{
	size_t nc = s->command->list.n, na = s->args ? s->args->list.n : 0;
	char **argv = arena_array(a, nc + na + 1, sizeof(char *));
	for (size_t i = 0; i < nc; i++)
		argv[i] = (char *)s->command->list.items[i]->str.s;
	for (size_t i = 0; i < na; i++)
		argv[nc + i] = (char *)s->args->list.items[i]->str.s;
	return argv;
}

/* The step's env as NAME=VALUE. secret_env is not resolved locally: such variables come from
 * the caller's environment, if set there. */
static char **step_env(arena *a, const chk_step *s)
{
	size_t n = s->env ? s->env->map.n : 0;
	char **env = arena_array(a, n + 2, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		env[k++] = arena_printf(a, "%s=%s", s->env->map.entries[i].key, s->env->map.entries[i].value->str.s);
	if (s->op.cuda_major >= 0)
		env[k++] = arena_printf(a, "NVIDIA_REQUIRE_CUDA=cuda>=%d.%d", s->op.cuda_major, s->op.cuda_minor);
	return env;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max-parallel", required_argument, NULL, 'j' }, { "dry-run", no_argument, NULL, 'n' },
		{ "logs", required_argument, NULL, 'L' }, { "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	lr_options lo = { .status = stderr };
	bool parallel_given = false;
	enum pipec_lang lang = LANG_AUTO;
	int c;
	while ((c = getopt_long(argc, argv, "j:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 4096)
				return usage_error("run", "invalid --max-parallel '%s': expected 1 to 4096", optarg);
			lo.max_parallel = (unsigned)v;
			parallel_given = true;
			break;
		}
		case 'n':
			lo.dry_run = true;
			break;
		case 'L':
			lo.logs_dir = optarg;
			break;
		case 'l':
			if ((lang = parse_lang(optarg)) == LANG_AUTO)
				return usage_error("run", "invalid --lang '%s': expected pipe or yaml", optarg);
			break;
		case 'h':
			print_help(find_cmd("run"));
			return EXIT_OK;
		default:
			return usage_error("run", "%s", "invalid option");
		}
	}
	if (optind + 1 != argc)
		return usage_error("run", "%s", "expected exactly one input file");
	pipec_unit *u = pipec_unit_new();
	int rc = compile_file(u, argv[optind], lang, NULL);
	if (rc == EXIT_OK) {
		const chk_pipeline *cp = u->checked;
		const ir_pipeline *p = cp->ir;
		/* Steps in topological order; `after` as positions in that order. */
		size_t *pos = arena_array(u->a, p->nsteps, sizeof(size_t));
		for (size_t k = 0; k < p->nsteps; k++)
			pos[p->order[k]] = k;
		lr_step *steps = arena_array(u->a, p->nsteps, sizeof(lr_step));
		for (size_t k = 0; k < p->nsteps; k++) {
			const chk_step *s = &cp->steps[p->order[k]];
			size_t *after = arena_array(u->a, s->ir->nafter ? s->ir->nafter : 1, sizeof(size_t));
			for (size_t j = 0; j < s->ir->nafter; j++)
				after[j] = pos[s->ir->after[j].step];
			steps[k] = (lr_step){
				.name = s->ir->name, .argv = step_argv(u->a, s), .env = step_env(u->a, s),
				.working_dir = s->working_dir, .after = after, .nafter = s->ir->nafter,
				.timeout_seconds = s->timeout > 0 ? s->timeout : 0,
			};
		}
		if (!parallel_given)
			lo.max_parallel = (unsigned)cp->max_parallel;
		lo.stop_on_failure = strcmp(cp->on_failure, "stop") == 0;
		int r = local_run(steps, p->nsteps, &lo);
		rc = r < 0 ? EXIT_IO : r == 0 ? EXIT_OK : EXIT_INPUT;
	}
	pipec_unit_free(u);
	return rc;
}

/* ---- the table ------------------------------------------------------------------------------ */

static const cmd commands[] = {
	{ "build", cmd_build, "FILE [-o DIR|-] [--run-id ID|hash] [--namespace NS] [--runtime-image IMAGE] [--kustomize] [--stats]",
	  "Compile a pipeline into a Kubernetes bundle.\n\n"
	  "  -o, --output DIR|-      write the bundle's files into DIR (replaced atomically),\n"
	  "                          or '-' for one YAML stream on standard output (default)\n"
	  "      --run-id ID|hash    suffix run-scoped names with ID, or with a hash of the pipeline\n"
	  "  -n, --namespace NS      override the pipeline's namespace\n"
	  "      --runtime-image IMG the sequencer's image (default " DEFAULT_RUNTIME_IMAGE ")\n"
	  "      --kustomize         also write kustomization.yaml (needs -o DIR)\n"
	  "      --lang pipe|yaml    the input's syntax (default: by extension)\n"
	  "      --stats             print each phase's wall time and memory to standard error\n" },
	{ "check", cmd_check, "FILE...", "Parse and check pipelines; print diagnostics, write nothing.\n\n"
					 "      --lang pipe|yaml    the inputs' syntax (default: by extension)\n" },
	{ "fmt", cmd_fmt, "FILE.pipe... [-w|--check]",
	  "Print .pipe files in the canonical layout (indentation, aligned '=', spacing; order and\n"
	  "comments kept).\n\n"
	  "  -w, --write             rewrite the files in place instead of printing them\n"
	  "      --check             print nothing; exit 1 if a file is not formatted (for CI)\n" },
	{ "convert", cmd_convert, "FILE --to yaml|pipe",
	  "Print a pipeline in the other syntax (comments are not carried over).\n\n"
	  "      --to yaml|pipe      the syntax to write\n"
	  "      --lang pipe|yaml    the input's syntax (default: by extension)\n" },
	{ "run", cmd_run, "FILE [--max-parallel N] [--dry-run] [--logs DIR]",
	  "Run a pipeline on this machine, without a cluster: each step's command as a child process,\n"
	  "with its env and working_dir, in dependency order. Images, @pod settings and resources are\n"
	  "ignored locally, and secret_env variables are taken from this environment if set; a step\n"
	  "whose command is not installed here fails with a clear message. Exit status 0 only if\n"
	  "every step succeeded; 1 if one failed or the run was interrupted (Ctrl-C stops them all).\n\n"
	  "  -j, --max-parallel N    at most N steps at once (default: the pipeline's max_parallel)\n"
	  "  -n, --dry-run           print what would run, run nothing\n"
	  "      --logs DIR          one log file per step in DIR (default ./pipec-logs)\n"
	  "      --lang pipe|yaml    the input's syntax (default: by extension)\n" },
	{ "plan", cmd_plan, "FILE [--json]",
	  "Print the resolved order: steps, their dependencies and resources.\n\n"
	  "      --json              as JSON instead of a table\n"
	  "      --lang pipe|yaml    the input's syntax (default: by extension)\n" },
};

static const cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void main_help(void)
{
	printf("Usage: pipec COMMAND [OPTION]... FILE...\n"
	       "Compile pipeline specs (.pipe or .yaml) into Kubernetes manifests.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].usage);
	printf("\nExit status: 0 success, 1 the input has errors, 2 usage error, 3 I/O or system error.\n"
	       "Run 'pipec COMMAND --help' for a command's options.\n"
	       "Report bugs to: " PACKAGE_BUGREPORT "\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL, "%s", "missing command");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		main_help();
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("pipec " PACKAGE_VERSION "\n");
		return EXIT_OK;
	}
	const cmd *c = find_cmd(argv[1]);
	if (!c)
		return usage_error(NULL, "unknown command '%s'", argv[1]);
	int rc = c->run(argc - 1, argv + 1);
	if (fflush(stdout) != 0 && rc == EXIT_OK) {
		perror("pipec: cannot write to standard output");
		rc = EXIT_IO;
	}
	return rc;
}
