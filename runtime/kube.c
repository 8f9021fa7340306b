/* kube.c -- HTTPS requests with retries, and a non-blocking watch stream, over libcurl. */
#include "config.h"
#include "kube.h"

#include <curl/curl.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtutil.h"

struct kube {
	char *server;
	char *auth;         /* "Authorization: Bearer ..." or NULL */
	kube_conf conf;     /* strings below are owned copies */
	kube_timing t;
	CURL *req;          /* reused for synchronous requests (keeps the connection) */
	/* the watch */
	CURLM *multi;
	CURL *watch;
	struct curl_slist *watch_hdrs;
	char *wbuf;
	size_t wlen, wcap;
	unsigned rand_state;
};

typedef struct buf {
	char *p;
	size_t len, cap;
} buf;

static void buf_add(buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = rt_realloc(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

/* Captures Retry-After (delta-seconds form; the API server sends that form). */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	double *retry_after = ud;
	size_t len = size * n;
	static const char key[] = "retry-after:";
	if (len > sizeof key - 1) {
		size_t i = 0;
		while (i < sizeof key - 1 && tolower((unsigned char)p[i]) == key[i])
			i++;
		if (i == sizeof key - 1) {
			char tmp[32];
			size_t m = len - i < sizeof tmp - 1 ? len - i : sizeof tmp - 1;
			memcpy(tmp, p + i, m);
			tmp[m] = 0;
			*retry_after = atof(tmp);
		}
	}
	return len;
}

static double env_num(const char *name, double dflt)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return dflt;
	char *end;
	double d = strtod(v, &end);
	return *end == 0 && d >= 0 ? d : dflt;
}

kube_timing kube_timing_from_env(void)
{
	kube_timing t = {
		.backoff_base = env_num("PIPEC_RUNTIME_BACKOFF_BASE", 0.5),
		.backoff_cap = env_num("PIPEC_RUNTIME_BACKOFF_CAP", 30),
		.retry_budget = env_num("PIPEC_RUNTIME_RETRY_BUDGET", 600),
		.request_timeout = env_num("PIPEC_RUNTIME_REQUEST_TIMEOUT", 30),
		.watch_timeout = (long)env_num("PIPEC_RUNTIME_WATCH_TIMEOUT", 300),
	};
	if (t.watch_timeout < 1)
		t.watch_timeout = 1;
	return t;
}

static void setup_tls(kube *k, CURL *h)
{
	if (k->conf.ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, k->conf.ca_file);
	if (k->conf.ca_pem) {
		struct curl_blob b = {.data = (void *)k->conf.ca_pem, .len = strlen(k->conf.ca_pem), .flags = CURL_BLOB_COPY};
		curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &b);
	}
	if (k->conf.cert_pem && k->conf.key_pem) {
		struct curl_blob c = {.data = (void *)k->conf.cert_pem, .len = strlen(k->conf.cert_pem), .flags = CURL_BLOB_COPY};
		struct curl_blob y = {.data = (void *)k->conf.key_pem, .len = strlen(k->conf.key_pem), .flags = CURL_BLOB_COPY};
		curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &c);
		curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &y);
		curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (k->conf.insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "pipec-runtime/" PACKAGE_VERSION);
}

static char *dup_or_null(const char *s)
{
	return s ? rt_strdup(s) : NULL;
}

kube *kube_new(const kube_conf *c, kube_timing t)
{
	static bool curl_ready;
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			fputs("pipec-runtime: libcurl failed to initialise\n", stderr);
			return NULL;
		}
		curl_ready = true;
	}
	kube *k = rt_calloc(1, sizeof *k);
	size_t len = strlen(c->server);
	while (len && c->server[len - 1] == '/')
		len--;
	k->server = rt_asprintf("%.*s", (int)len, c->server);
	k->conf.ca_file = dup_or_null(c->ca_file);
	k->conf.ca_pem = dup_or_null(c->ca_pem);
	k->conf.cert_pem = dup_or_null(c->cert_pem);
	k->conf.key_pem = dup_or_null(c->key_pem);
	k->conf.insecure = c->insecure;
	if (c->token)
		k->auth = rt_asprintf("Authorization: Bearer %s", c->token);
	k->t = t;
	k->req = curl_easy_init();
	k->multi = curl_multi_init();
	k->rand_state = (unsigned)time(NULL) ^ (unsigned)getpid();
	if (!k->req || !k->multi) {
		fputs("pipec-runtime: libcurl failed to create a handle\n", stderr);
		kube_free(k);
		return NULL;
	}
	return k;
}

void kube_free(kube *k)
{
	if (!k)
		return;
	kube_watch_stop(k);
	if (k->multi)
		curl_multi_cleanup(k->multi);
	if (k->req)
		curl_easy_cleanup(k->req);
	free(k->server);
	free(k->auth);
	free((char *)k->conf.ca_file);
	free((char *)k->conf.ca_pem);
	free((char *)k->conf.cert_pem);
	free((char *)k->conf.key_pem);
	free(k->wbuf);
	free(k);
}

double kube_backoff(const kube *k, unsigned attempt)
{
	double d = k->t.backoff_base;
	for (unsigned i = 1; i < attempt && d < k->t.backoff_cap; i++)
		d *= 2;
	if (d > k->t.backoff_cap)
		d = k->t.backoff_cap;
	/* Full jitter: spread concurrent clients (many sequencers after an API outage). */
	unsigned *st = (unsigned *)&((kube *)k)->rand_state;
	*st = *st * 1103515245u + 12345u;
	double r = (double)((*st >> 8) & 0xffff) / 65536.0;
	return d * (0.5 + 0.5 * r);
}

char *kube_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = rt_calloc(strlen(s) * 3 + 1, 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	return out;
}

static bool retryable(long status)
{
	return status == 0 || status == 429 || (status >= 500 && status != 501 && status != 505);
}

/* One attempt. Returns the status (0 on a connection error, with *cerr set). */
static long attempt(kube *k, const char *method, const char *url, struct curl_slist *hdrs, const char *body,
                    buf *resp, double *retry_after, CURLcode *cerr)
{
	CURL *h = k->req;
	curl_easy_reset(h);
	setup_tls(k, h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(k->t.request_timeout * 1000));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, retry_after);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	*cerr = curl_easy_perform(h);
	long status = 0;
	if (*cerr == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

/* The message of a Kubernetes Status body, or the start of the body. */
static char *describe(long status, const char *body, CURLcode cerr)
{
	if (status == 0)
		return rt_asprintf("connection failed: %s", curl_easy_strerror(cerr));
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;
	const char *msg = json_string_value(json_object_get(j, "message"));
	char *s = msg ? rt_asprintf("HTTP %ld: %.300s", status, msg)
	              : rt_asprintf("HTTP %ld: %.120s", status, body && *body ? body : "(empty body)");
	json_decref(j);
	for (char *c = s; *c; c++) /* one log line per message */
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	return s;
}

long kube_request(kube *k, const char *method, const char *path, const char *content_type, const char *body,
                  json_t **out, char **err)
{
	char *url = rt_asprintf("%s%s", k->server, path);
	struct curl_slist *hdrs = curl_slist_append(NULL, "Accept: application/json");
	if (k->auth)
		hdrs = curl_slist_append(hdrs, k->auth);
	if (content_type) {
		char *ct = rt_asprintf("Content-Type: %s", content_type);
		hdrs = curl_slist_append(hdrs, ct);
		free(ct);
	}
	double start = rt_mono();
	long status = 0;
	buf resp = {0};
	char *msg = NULL;
	for (unsigned n = 1;; n++) {
		double retry_after = -1;
		CURLcode cerr = CURLE_OK;
		resp.len = 0;
		if (resp.p)
			resp.p[0] = 0;
		status = attempt(k, method, url, hdrs, body, &resp, &retry_after, &cerr);
		free(msg);
		msg = (status >= 200 && status < 300) ? NULL : describe(status, resp.p, cerr);
		if (!retryable(status))
			break;
		double wait = kube_backoff(k, n);
		if (status == 429 && retry_after >= 0)
			wait = retry_after > 60 ? 60 : retry_after;
		if (rt_mono() - start + wait > k->t.retry_budget) {
			rt_log("%s %s: %s; giving up after %u attempts", method, path, msg, n);
			break;
		}
		rt_log("%s %s: %s; retrying in %.2fs (attempt %u)", method, path, msg, wait, n + 1);
		rt_sleep(wait);
	}
	if (out)
		*out = resp.p && resp.len ? json_loads(resp.p, 0, NULL) : NULL;
	if (err)
		*err = msg;
	else
		free(msg);
	free(resp.p);
	free(url);
	curl_slist_free_all(hdrs);
	return status;
}

static size_t on_watch(char *p, size_t size, size_t n, void *ud)
{
	kube *k = ud;
	size_t len = size * n;
	if (k->wlen + len + 1 > k->wcap) {
		k->wcap = (k->wlen + len + 1) * 2;
		k->wbuf = rt_realloc(k->wbuf, k->wcap, 1);
	}
	memcpy(k->wbuf + k->wlen, p, len);
	k->wlen += len;
	k->wbuf[k->wlen] = 0;
	return len;
}

bool kube_watch_open(const kube *k)
{
	return k->watch != NULL;
}

void kube_watch_stop(kube *k)
{
	if (!k->watch)
		return;
	curl_multi_remove_handle(k->multi, k->watch);
	curl_easy_cleanup(k->watch);
	curl_slist_free_all(k->watch_hdrs);
	k->watch = NULL;
	k->watch_hdrs = NULL;
	k->wlen = 0;
}

int kube_watch_start(kube *k, const char *path)
{
	kube_watch_stop(k);
	CURL *h = curl_easy_init();
	if (!h)
		return -1;
	char *url = rt_asprintf("%s%s", k->server, path);
	k->watch_hdrs = curl_slist_append(NULL, "Accept: application/json");
	if (k->auth)
		k->watch_hdrs = curl_slist_append(k->watch_hdrs, k->auth);
	setup_tls(k, h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, k->watch_hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_watch);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, k);
	/* The server ends the watch after timeoutSeconds; a silent dead connection is caught here. */
	curl_easy_setopt(h, CURLOPT_TIMEOUT, k->t.watch_timeout + 30);
	free(url);
	k->watch = h;
	k->wlen = 0;
	if (curl_multi_add_handle(k->multi, h) != CURLM_OK) {
		kube_watch_stop(k);
		return -1;
	}
	return 0;
}

/* Hands each complete line of the buffer to fn, keeps the rest. */
static void drain_lines(kube *k, kube_event_fn *fn, void *ud)
{
	size_t start = 0;
	for (size_t i = 0; i < k->wlen; i++) {
		if (k->wbuf[i] != '\n')
			continue;
		k->wbuf[i] = 0;
		json_error_t je;
		json_t *ev = i > start ? json_loads(k->wbuf + start, 0, &je) : NULL;
		const char *type = json_string_value(json_object_get(ev, "type"));
		json_t *obj = json_object_get(ev, "object");
		if (type && obj)
			fn(ud, type, obj);
		else if (i > start)
			rt_log("watch: ignoring a malformed event line");
		json_decref(ev);
		start = i + 1;
	}
	if (start == 0)
		return; /* nothing complete yet (and wbuf may still be NULL) */
	memmove(k->wbuf, k->wbuf + start, k->wlen - start);
	k->wlen -= start;
}

int kube_watch_poll(kube *k, int timeout_ms, kube_event_fn *fn, void *ud, long *status)
{
	*status = 0;
	if (!k->watch)
		return -1;
	int running = 0;
	curl_multi_perform(k->multi, &running);
	if (running)
		curl_multi_poll(k->multi, NULL, 0, timeout_ms, NULL);
	curl_multi_perform(k->multi, &running);
	long code = 0;
	curl_easy_getinfo(k->watch, CURLINFO_RESPONSE_CODE, &code);
	if (code == 200)
		drain_lines(k, fn, ud);
	if (running)
		return 1;
	CURLcode res = CURLE_OK;
	int left;
	for (CURLMsg *m; (m = curl_multi_info_read(k->multi, &left));)
		if (m->msg == CURLMSG_DONE)
			res = m->data.result;
	kube_watch_stop(k);
	if (code == 200 && res == CURLE_OK)
		return 0; /* the server ended it (timeoutSeconds): resume from the last resourceVersion */
	*status = res == CURLE_OK ? code : 0; /* cut after 200 counts as a lost connection */
	return -1;
}
