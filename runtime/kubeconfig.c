/* kubeconfig.c -- the kubeconfig schema for libcyaml (bottom-up, unknown keys ignored) and
 * the resolution of the current context. */
#include "kubeconfig.h"

#include <cyaml/cyaml.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "rtutil.h"

/* The slice of kubeconfig that the sequencer needs. */
typedef struct kc_cluster {
	char *server, *ca, *ca_data;
	bool insecure;
} kc_cluster;
typedef struct kc_named_cluster {
	char *name;
	kc_cluster *cluster;
} kc_named_cluster;
typedef struct kc_context {
	char *cluster, *user, *ns;
} kc_context;
typedef struct kc_named_context {
	char *name;
	kc_context *context;
} kc_named_context;
typedef struct kc_user {
	char *token, *token_file, *cert_data, *key_data;
} kc_user;
typedef struct kc_named_user {
	char *name;
	kc_user *user;
} kc_named_user;
typedef struct kc_file {
	char *current;
	kc_named_cluster *clusters;
	unsigned clusters_count;
	kc_named_context *contexts;
	unsigned contexts_count;
	kc_named_user *users;
	unsigned users_count;
} kc_file;

#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)
#define STR(key, type, member) CYAML_FIELD_STRING_PTR(key, OPT, type, member, 0, CYAML_UNLIMITED)

static const cyaml_schema_field_t cluster_fields[] = {
	STR("server", kc_cluster, server),
	STR("certificate-authority", kc_cluster, ca),
	STR("certificate-authority-data", kc_cluster, ca_data),
	CYAML_FIELD_BOOL("insecure-skip-tls-verify", CYAML_FLAG_OPTIONAL, kc_cluster, insecure),
	CYAML_FIELD_END};
static const cyaml_schema_field_t named_cluster_fields[] = {
	STR("name", kc_named_cluster, name),
	CYAML_FIELD_MAPPING_PTR("cluster", OPT, kc_named_cluster, cluster, cluster_fields),
	CYAML_FIELD_END};
static const cyaml_schema_value_t named_cluster = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, kc_named_cluster, named_cluster_fields)};

static const cyaml_schema_field_t context_fields[] = {
	STR("cluster", kc_context, cluster),
	STR("user", kc_context, user),
	STR("namespace", kc_context, ns),
	CYAML_FIELD_END};
static const cyaml_schema_field_t named_context_fields[] = {
	STR("name", kc_named_context, name),
	CYAML_FIELD_MAPPING_PTR("context", OPT, kc_named_context, context, context_fields),
	CYAML_FIELD_END};
static const cyaml_schema_value_t named_context = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, kc_named_context, named_context_fields)};

static const cyaml_schema_field_t user_fields[] = {
	STR("token", kc_user, token),
	STR("tokenFile", kc_user, token_file),
	STR("client-certificate-data", kc_user, cert_data),
	STR("client-key-data", kc_user, key_data),
	CYAML_FIELD_END};
static const cyaml_schema_field_t named_user_fields[] = {
	STR("name", kc_named_user, name),
	CYAML_FIELD_MAPPING_PTR("user", OPT, kc_named_user, user, user_fields),
	CYAML_FIELD_END};
static const cyaml_schema_value_t named_user = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, kc_named_user, named_user_fields)};

static const cyaml_schema_field_t file_fields[] = {
	STR("current-context", kc_file, current),
	CYAML_FIELD_SEQUENCE("clusters", OPT, kc_file, clusters, &named_cluster, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("contexts", OPT, kc_file, contexts, &named_context, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("users", OPT, kc_file, users, &named_user, 0, CYAML_UNLIMITED),
	CYAML_FIELD_END};
static const cyaml_schema_value_t file_schema = {CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, kc_file, file_fields)};

/* libcyaml's messages have no positions; they are passed on as notes. */
static void on_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	if (level < CYAML_LOG_ERROR)
		return;
	FILE *err = ctx;
	fputs("  note: ", err);
	vfprintf(err, fmt, args);
}

char *kubeconfig_base64(const char *in)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = rt_calloc(strlen(in) / 4 * 3 + 4, 1);
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
			continue;
		if (*p == '=')
			break;
		const char *c = strchr(alphabet, *p);
		if (!c) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (uint32_t)(c - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = 0;
	return out;
}

/* A path in a kubeconfig is relative to the kubeconfig's directory (as kubectl reads it). */
static char *resolve_path(const char *kubeconfig, const char *p)
{
	const char *slash = strrchr(kubeconfig, '/');
	if (p[0] == '/' || !slash)
		return rt_strdup(p);
	return rt_asprintf("%.*s/%s", (int)(slash - kubeconfig), kubeconfig, p);
}

static int fail(const char *path, FILE *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(const char *path, FILE *err, const char *fmt, ...)
{
	va_list ap;
	fprintf(err, "%s: error: ", path);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	return -1;
}

static int decode(const char *path, FILE *err, const char *what, const char *in, char **out)
{
	if (!in)
		return 0;
	*out = kubeconfig_base64(in);
	return *out ? 0 : fail(path, err, "%s is not valid base64", what);
}

static int resolve(const char *path, const kc_file *f, kubeconfig_result *r, FILE *err)
{
	if (!f->current)
		return fail(path, err, "no current-context is set");
	const kc_context *ctx = NULL;
	for (unsigned i = 0; i < f->contexts_count; i++)
		if (f->contexts[i].name && strcmp(f->contexts[i].name, f->current) == 0)
			ctx = f->contexts[i].context;
	if (!ctx || !ctx->cluster)
		return fail(path, err, "current context '%s' is not defined", f->current);
	const kc_cluster *cl = NULL;
	for (unsigned i = 0; i < f->clusters_count; i++)
		if (f->clusters[i].name && strcmp(f->clusters[i].name, ctx->cluster) == 0)
			cl = f->clusters[i].cluster;
	if (!cl || !cl->server)
		return fail(path, err, "cluster '%s' of context '%s' is not defined or has no server", ctx->cluster,
		            f->current);
	const kc_user *u = NULL;
	for (unsigned i = 0; ctx->user && i < f->users_count; i++)
		if (f->users[i].name && strcmp(f->users[i].name, ctx->user) == 0)
			u = f->users[i].user;
	if (ctx->user && !u)
		return fail(path, err, "user '%s' of context '%s' is not defined", ctx->user, f->current);
	r->server = rt_strdup(cl->server);
	r->insecure = cl->insecure;
	r->ns = ctx->ns ? rt_strdup(ctx->ns) : NULL;
	if (cl->ca)
		r->ca_file = resolve_path(path, cl->ca);
	if (decode(path, err, "certificate-authority-data", cl->ca_data, &r->ca_pem) < 0)
		return -1;
	if (!u)
		return 0;
	if (u->token) {
		r->token = rt_strdup(u->token);
	} else if (u->token_file) {
		char *tf = resolve_path(path, u->token_file);
		r->token = rt_read_trimmed(tf);
		int bad = !r->token;
		if (bad)
			fail(path, err, "cannot read tokenFile '%s'", tf);
		free(tf);
		if (bad)
			return -1;
	}
	if (decode(path, err, "client-certificate-data", u->cert_data, &r->cert_pem) < 0 ||
	    decode(path, err, "client-key-data", u->key_data, &r->key_pem) < 0)
		return -1;
	return 0;
}

int kubeconfig_load(const char *path, kubeconfig_result *out, FILE *err)
{
	memset(out, 0, sizeof *out);
	cyaml_config_t cfg = {
		.log_fn = on_log,
		.log_ctx = err,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_IGNORE_UNKNOWN_KEYS,
	};
	kc_file *f = NULL;
	cyaml_err_t e = cyaml_load_file(path, &cfg, &file_schema, (cyaml_data_t **)&f, NULL);
	if (e != CYAML_OK)
		return fail(path, err, "cannot load kubeconfig: %s", cyaml_strerror(e));
	int rc = resolve(path, f, out, err);
	cyaml_free(&cfg, &file_schema, f, 0);
	if (rc < 0)
		kubeconfig_result_free(out);
	return rc;
}

void kubeconfig_result_free(kubeconfig_result *r)
{
	free(r->server);
	free(r->ca_file);
	free(r->ca_pem);
	free(r->token);
	free(r->cert_pem);
	free(r->key_pem);
	free(r->ns);
	memset(r, 0, sizeof *r);
}
