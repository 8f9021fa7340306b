/* kube.h -- the sequencer's Kubernetes API client: HTTPS through libcurl, bearer-token or
 * client-certificate auth, JSON bodies through jansson. Requests are retried on 429 (honouring
 * Retry-After), 5xx and connection errors with capped exponential backoff and full jitter;
 * one watch stream at a time is read without blocking the caller (curl multi), so the
 * sequencer can poll it between its own requests.
 * Ownership: kube_new() copies the configuration; returned json_t are new references the caller
 * decrefs; returned char * are the caller's to free. */
#ifndef PIPEC_KUBE_H
#define PIPEC_KUBE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct kube_conf {
	const char *server;     /* "https://10.0.0.1:443", no trailing slash needed */
	const char *token;      /* bearer token, or NULL */
	const char *ca_file;    /* PEM file, or NULL */
	const char *ca_pem;     /* PEM data (kubeconfig certificate-authority-data), or NULL */
	const char *cert_pem;   /* client certificate PEM, or NULL */
	const char *key_pem;    /* client key PEM, or NULL */
	bool insecure;          /* kubeconfig insecure-skip-tls-verify */
} kube_conf;

/* Retry and timing knobs. Defaults are for a real cluster; the tests shrink them through the
 * environment (see kube_timing_from_env). */
typedef struct kube_timing {
	double backoff_base;   /* first retry delay, seconds */
	double backoff_cap;    /* no delay above this, except a longer Retry-After (itself capped at 60 s) */
	double retry_budget;   /* give a request up after retrying this long, seconds */
	double request_timeout;/* one request, seconds */
	long watch_timeout;    /* timeoutSeconds asked of the server for each watch */
} kube_timing;

/* Defaults, overridden by PIPEC_RUNTIME_BACKOFF_BASE, _BACKOFF_CAP, _RETRY_BUDGET,
 * _REQUEST_TIMEOUT and _WATCH_TIMEOUT (numbers of seconds) when set. */
kube_timing kube_timing_from_env(void);

typedef struct kube kube;

/* Returns a client, or NULL after printing why to stderr (libcurl could not start). */
kube *kube_new(const kube_conf *c, kube_timing t);
void kube_free(kube *k);

/* Sends method to path ("/apis/batch/v1/..."), with body (or NULL) of type content_type.
 * Retries 429, 5xx and connection errors until the retry budget is spent. Returns the final
 * HTTP status, or 0 when no response came. *out gets the parsed JSON body when there is one
 * (else NULL); *err, when not NULL, a one-line description of a failure (caller frees). */
long kube_request(kube *k, const char *method, const char *path, const char *content_type, const char *body,
                  json_t **out, char **err);

/* The delay before retry number attempt (1-based): min(cap, base * 2^(attempt-1)) with full
 * jitter. Exposed so that other waits (watch reconnects, start-up waits) back off alike. */
double kube_backoff(const kube *k, unsigned attempt);

/* Watch events go to a callback: type ("ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR")
 * and the object (borrowed). */
typedef void kube_event_fn(void *ud, const char *type, json_t *object);

/* Starts a watch GET on path (which must already carry its query). Any watch already open is
 * closed. Returns 0, or -1 when libcurl refused. */
int kube_watch_start(kube *k, const char *path);
/* Waits up to timeout_ms for data on the open watch and hands every complete event to fn.
 * Returns 1 while the watch is open, 0 when it ended normally (server closed it after 200),
 * or -1 when it failed: *status is the HTTP status, 0 when the connection failed or was cut
 * (also after a 200). */
int kube_watch_poll(kube *k, int timeout_ms, kube_event_fn *fn, void *ud, long *status);
bool kube_watch_open(const kube *k);
void kube_watch_stop(kube *k);

/* Percent-encodes s for a query string (caller frees). */
char *kube_escape(const char *s);
#endif
