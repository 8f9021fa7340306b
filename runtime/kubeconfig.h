/* kubeconfig.h -- reads the current context of a kubeconfig file (for running the sequencer
 * outside a cluster): the server URL, the CA (file or base64 data), and the credentials (a
 * token, a token file, or client certificate and key data). Parsed with libcyaml against a
 * fixed-key schema that ignores every key it does not know.
 * Ownership: a kubeconfig_result owns its strings; kubeconfig_result_free() releases them. */
#ifndef PIPEC_KUBECONFIG_H
#define PIPEC_KUBECONFIG_H
#include <stdbool.h>
#include <stdio.h>

typedef struct kubeconfig_result {
	char *server;
	char *ca_file;   /* a path, resolved against the kubeconfig's directory, or NULL */
	char *ca_pem;    /* decoded certificate-authority-data, or NULL */
	char *token;     /* from token or tokenFile, or NULL */
	char *cert_pem;  /* decoded client-certificate-data, or NULL */
	char *key_pem;   /* decoded client-key-data, or NULL */
	char *ns;        /* the context's namespace, or NULL */
	bool insecure;
} kubeconfig_result;

/* Loads path and resolves its current context into *out. Returns 0, or -1 after printing
 * "path: error: ..." lines to err (unreadable or malformed file, no current context, a context,
 * cluster or user that is not defined, undecodable base64). */
int kubeconfig_load(const char *path, kubeconfig_result *out, FILE *err);
void kubeconfig_result_free(kubeconfig_result *r);

/* Decodes standard base64 (whitespace ignored) into a new NUL-terminated string; NULL when the
 * input is not base64. */
char *kubeconfig_base64(const char *in);
#endif
