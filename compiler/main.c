/* main.c -- the pipec command line: parses arguments and calls the library. Subcommands are
 * rows of one table; exit statuses are those of LANGUAGE.md. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
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
