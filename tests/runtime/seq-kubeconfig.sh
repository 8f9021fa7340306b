#!/bin/sh
# seq-kubeconfig.sh -- the three ways to configure the sequencer. --kubeconfig: the current
# context's server, CA (base64 data) and token, read with libcyaml from a kubeconfig with keys
# the schema does not know. In-cluster (no flags but --plan): KUBERNETES_SERVICE_HOST/PORT and
# the service-account directory (PIPEC_RUNTIME_SA_DIR stands in for it). Then the
# configuration errors (exit 3) and usage errors (exit 2).
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a" 0 continue
start_sim '{}'
ca=$(base64 <"$T/ca.crt" | tr -d '\n')
cat >"$T/kubeconfig" <<KC
apiVersion: v1
kind: Config
preferences: {}
current-context: test
clusters:
- name: other
  cluster: {server: "https://127.0.0.2:1"}
- name: sim
  cluster:
    server: $SERVER
    certificate-authority-data: $ca
    extensions: [{name: x, extension: {a: 1}}]
contexts:
- name: test
  context: {cluster: sim, user: me, namespace: ml}
users:
- name: me
  user:
    token: $(cat "$T/token")
KC
timeout 30 "$PIPEC_RUNTIME" --plan "$T/plan.json" --kubeconfig "$T/kubeconfig" >"$T/seq.log" 2>&1
RC=$?
expect_rc 0
expect_log 'step a: running -> succeeded'
# In-cluster: the second run finds the step Complete and only writes the summary again.
mkdir "$T/sa" && cp "$T/token" "$T/ca.crt" "$T/sa/"
KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=${SERVER##*:} PIPEC_RUNTIME_SA_DIR=$T/sa \
	timeout 30 "$PIPEC_RUNTIME" --plan "$T/plan.json" >"$T/incluster.log" 2>&1
RC=$?
expect_rc 0
expect_log 'step a: waiting -> succeeded' "$T/incluster.log"
env -u KUBERNETES_SERVICE_HOST "$PIPEC_RUNTIME" --plan "$T/plan.json" >"$T/err.log" 2>&1
RC=$?
expect_rc 3
expect_log 'not in a cluster' "$T/err.log"
sed 's/current-context: test/current-context: nope/' "$T/kubeconfig" >"$T/bad"
"$PIPEC_RUNTIME" --plan "$T/plan.json" --kubeconfig "$T/bad" >"$T/err.log" 2>&1
RC=$?
expect_rc 3
expect_log "current context 'nope' is not defined" "$T/err.log"
echo '{"apiVersion": "pipec.dev/v1"' >"$T/badplan.json"
"$PIPEC_RUNTIME" --plan "$T/badplan.json" --kubeconfig "$T/kubeconfig" >"$T/err.log" 2>&1
RC=$?
expect_rc 3
expect_log 'badplan.json:[0-9]+:[0-9]+: error: ' "$T/err.log"
"$PIPEC_RUNTIME" --plan "$T/plan.json" --server "$SERVER" >"$T/err.log" 2>&1
RC=$?
expect_rc 2
expect_log 'go together' "$T/err.log"
"$PIPEC_RUNTIME" --bogus >"$T/err.log" 2>&1
RC=$?
expect_rc 2
finish
