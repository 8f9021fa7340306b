/* main.c -- pipec-runtime, the in-cluster sequencer: parses the command line, reads the plan
 * and the cluster configuration (in-cluster, flags, or kubeconfig), and calls seq_run(). */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube.h"
#include "kubeconfig.h"
#include "plan.h"
#include "rtutil.h"
#include "seq.h"

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
#define DEFAULT_PLAN "/etc/pipec/plan.json"

/* ORDER seq_exit */
static const struct {
	int code;
	const char *meaning;
} exit_codes[] = {
	{SEQ_EXIT_OK, "every step succeeded"},
	{SEQ_EXIT_FAILED, "the pipeline failed: a step failed, was skipped, or timed out Pending"},
	{SEQ_EXIT_USAGE, "bad command line"},
	{SEQ_EXIT_CONFIG, "configuration error: unreadable or invalid plan, kubeconfig, token or CA"},
	{SEQ_EXIT_CLUSTER, "the cluster could not be used: API unreachable, access denied or step Jobs "
	                   "missing after the start-up wait"},
};

typedef struct opts {
	const char *plan, *server, *token_file, *ca_file, *kubeconfig;
} opts;

/* Flags: one row each. */
static const struct {
	const char *name;
	size_t offset;
	const char *help;
} flags[] = {
	{"--plan", offsetof(opts, plan), "FILE  the plan (default " DEFAULT_PLAN ")"},
	{"--server", offsetof(opts, server), "URL  API server, e.g. https://127.0.0.1:6443"},
	{"--token-file", offsetof(opts, token_file), "FILE  bearer token"},
	{"--ca-file", offsetof(opts, ca_file), "FILE  CA certificate (PEM) of the API server"},
	{"--kubeconfig", offsetof(opts, kubeconfig), "FILE  use the current context of a kubeconfig"},
};

static void usage(FILE *f)
{
	fputs("usage: pipec-runtime                       (in a cluster: service account, " DEFAULT_PLAN ")\n"
	      "       pipec-runtime --plan FILE --server URL --token-file FILE --ca-file FILE\n"
	      "       pipec-runtime --plan FILE --kubeconfig FILE\n\n"
	      "Runs the steps of a pipec plan on Kubernetes by un-suspending their Jobs in dependency order.\n\n",
	      f);
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		fprintf(f, "  %-13s %s\n", flags[i].name, flags[i].help);
	fputs("  --help        this text\n  --version     the version\n\nExit codes:\n", f);
	for (size_t i = 0; i < sizeof exit_codes / sizeof *exit_codes; i++)
		fprintf(f, "  %d  %s\n", exit_codes[i].code, exit_codes[i].meaning);
	fputs("\nEnvironment (seconds; for tests and tuning): PIPEC_RUNTIME_BACKOFF_BASE (0.5), _BACKOFF_CAP (30),\n"
	      "_RETRY_BUDGET (600), _REQUEST_TIMEOUT (30), _WATCH_TIMEOUT (300), _POLL_INTERVAL (10),\n"
	      "_START_WAIT (300). In a cluster: KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT;\n"
	      "PIPEC_RUNTIME_SA_DIR replaces " SA_DIR " (tests).\n",
	      f);
}

static int parse_args(int argc, char **argv, opts *o)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(argv[i], "--version") == 0) {
			puts("pipec-runtime " PACKAGE_VERSION);
			exit(0);
		}
		size_t f = 0;
		while (f < sizeof flags / sizeof *flags && strcmp(argv[i], flags[f].name) != 0)
			f++;
		if (f == sizeof flags / sizeof *flags) {
			fprintf(stderr, "pipec-runtime: unknown argument '%s'\n", argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "pipec-runtime: %s needs a value\n", argv[i]);
			return -1;
		}
		*(const char **)((char *)o + flags[f].offset) = argv[++i];
	}
	bool direct = o->server || o->token_file || o->ca_file;
	if (direct && o->kubeconfig) {
		fputs("pipec-runtime: --kubeconfig and --server/--token-file/--ca-file exclude each other\n", stderr);
		return -1;
	}
	if (direct && !(o->server && o->token_file && o->ca_file)) {
		fputs("pipec-runtime: --server, --token-file and --ca-file go together\n", stderr);
		return -1;
	}
	if ((direct || o->kubeconfig) && !o->plan) {
		fputs("pipec-runtime: --plan FILE is needed outside a cluster\n", stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	opts o = {0};
	if (parse_args(argc, argv, &o) < 0) {
		usage(stderr);
		return SEQ_EXIT_USAGE;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	plan *p = plan_load(o.plan ? o.plan : DEFAULT_PLAN, stderr);
	if (!p)
		return SEQ_EXIT_CONFIG;
	kube_conf kc = {0};
	kubeconfig_result kr = {0};
	char *server = NULL, *token = NULL, *sa_token = NULL, *sa_ca = NULL;
	int rc = SEQ_EXIT_CONFIG;
	if (o.kubeconfig) {
		if (kubeconfig_load(o.kubeconfig, &kr, stderr) < 0)
			goto out;
		kc = (kube_conf){.server = kr.server, .token = kr.token, .ca_file = kr.ca_file, .ca_pem = kr.ca_pem,
		                 .cert_pem = kr.cert_pem, .key_pem = kr.key_pem, .insecure = kr.insecure};
	} else {
		/* PIPEC_RUNTIME_SA_DIR stands in for the service-account directory in tests. */
		const char *sa = getenv("PIPEC_RUNTIME_SA_DIR") ? getenv("PIPEC_RUNTIME_SA_DIR") : SA_DIR;
		sa_token = rt_asprintf("%s/token", sa);
		sa_ca = rt_asprintf("%s/ca.crt", sa);
		const char *tf = o.token_file ? o.token_file : sa_token;
		if (o.server) {
			server = rt_strdup(o.server);
		} else {
			const char *h = getenv("KUBERNETES_SERVICE_HOST"), *port = getenv("KUBERNETES_SERVICE_PORT");
			if (!h || !*h) {
				fputs("pipec-runtime: not in a cluster (KUBERNETES_SERVICE_HOST is unset): pass --server, "
				      "--token-file and --ca-file, or --kubeconfig\n",
				      stderr);
				goto out;
			}
			/* An IPv6 service address needs brackets in a URL. */
			server = strchr(h, ':') ? rt_asprintf("https://[%s]:%s", h, port && *port ? port : "443")
			                        : rt_asprintf("https://%s:%s", h, port && *port ? port : "443");
		}
		token = rt_read_trimmed(tf);
		if (!token)
			fprintf(stderr, "pipec-runtime: cannot read the token file %s\n", tf);
		if (!token)
			goto out;
		kc = (kube_conf){.server = server, .token = token, .ca_file = o.ca_file ? o.ca_file : sa_ca};
	}
	kube *k = kube_new(&kc, kube_timing_from_env());
	if (!k)
		goto out;
	seq_options so = seq_options_from_env();
	rc = seq_run(p, k, &so);
	kube_free(k);
out:
	kubeconfig_result_free(&kr);
	free(server);
	free(token);
	free(sa_token);
	free(sa_ca);
	plan_free(p);
	return rc;
}
