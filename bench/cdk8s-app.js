// cdk8s-app.js -- the cdk8s peer of the benchmark: reads a pipeline in gen-pipeline's JSON form
// and synthesizes the same step Jobs pipec emits (names, labels, annotations, resources, env,
// node selectors, tolerations, CUDA affinity) with cdk8s core ApiObjects.
//   node cdk8s-app.js PIPELINE.json OUTDIR      (NODE_PATH: where cdk8s is installed)
'use strict';
const fs = require('fs');
const { App, Chart, ApiObject } = require('cdk8s');

const MEM = { '512Mi': '512Mi', '1GB': '1Gi', '2GB': '2Gi', '4Gi': '4Gi', '8GB': '8Gi', '16GB': '16Gi', '32GB': '32Gi' };
const cpu = (c) => (Number.isInteger(c) ? String(c) : `${Math.round(c * 1000)}m`);
const DUR = { '30m': 1800, '1h': 3600, '2h': 7200, '1h30m': 5400 };

function cudaTerms(v) {
  const [maj, min] = v.split('.').map(Number);
  const terms = [];
  for (const pre of ['nvidia.com/cuda.runtime-version', 'nvidia.com/cuda.runtime']) {
    terms.push([{ key: `${pre}.major`, operator: 'Gt', values: [String(maj)] }]);
    const t = [{ key: `${pre}.major`, operator: 'In', values: [String(maj)] }];
    if (min > 0) t.push({ key: `${pre}.minor`, operator: 'Gt', values: [String(min - 1)] });
    terms.push(t);
  }
  return terms.map((t) => ({ weight: 100, preference: { matchExpressions: t } }));
}

function sorted(o) {
  const r = {};
  for (const k of Object.keys(o).sort()) r[k] = o[k];
  return r;
}

function job(p, s) {
  const op = Object.assign({}, p.op, s.op);
  const pod = s.pod || {};
  const labels = Object.assign({}, p.labels, {
    'app.kubernetes.io/managed-by': 'pipec', 'app.kubernetes.io/part-of': p.pipeline,
    'pipec.dev/pipeline': p.pipeline, 'pipec.dev/step': s.name,
  });
  const meta = { name: `${p.pipeline}-${s.name}`, namespace: p.namespace, labels: sorted(labels) };
  if (s.after && s.after.length) meta.annotations = { 'pipec.dev/after': s.after.join(',') };
  const env = Object.entries(Object.assign({}, p.env, s.env)).map(([name, value]) => ({ name, value }));
  const req = { cpu: cpu(op.num_cpus), memory: MEM[op.memory] };
  const lim = { memory: MEM[op.memory] };
  const podSpec = { restartPolicy: 'Never', automountServiceAccountToken: false };
  if (pod.node_selector) podSpec.nodeSelector = sorted(pod.node_selector);
  const tol = (pod.tolerations || []).slice();
  if (op.gpu_resource_name) {
    env.push({ name: 'NVIDIA_REQUIRE_CUDA', value: `cuda>=${op.cuda_version.split('.').slice(0, 2).join('.')}` });
    podSpec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: cudaTerms(op.cuda_version) } };
    tol.push({ key: op.gpu_resource_name, operator: 'Exists', effect: 'NoSchedule' });
    req[op.gpu_resource_name] = '1';
    lim[op.gpu_resource_name] = '1';
  }
  if (tol.length) podSpec.tolerations = tol;
  podSpec.containers = [{
    name: 'main', image: s.image || p.image, command: s.command, env,
    resources: { requests: sorted(req), limits: sorted(lim) },
  }];
  const spec = { suspend: true, backoffLimit: s.retries || 0 };
  if (s.timeout) spec.activeDeadlineSeconds = DUR[s.timeout];
  spec.ttlSecondsAfterFinished = 172800;
  spec.template = { metadata: { labels: sorted(Object.assign({}, labels, { pipeline: p.pipeline })) }, spec: podSpec };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec };
}

const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const app = new App({ outdir: process.argv[3] });
const chart = new Chart(app, p.pipeline);
for (const s of p.steps) new ApiObject(chart, s.name, job(p, s));
app.synth();
