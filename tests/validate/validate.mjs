#!/usr/bin/env node
// Independent validator for pipec's manifest bundles: every YAML document must pass
// kubernetes-models' per-kind validation AND a strict walk of the official Kubernetes
// schemas that rejects unknown fields and wrong types, plus Kubernetes' name/label rules.
//
// usage: node validate.mjs FILE-OR-DIR...   (dirs are searched for *.yaml / *.yml)
// output: "file:doc: kind/name: path: problem" per problem, then a count line;
// exit 0 if every document is valid, 1 if any problem, 2 on usage error.
//
// Dependencies are loaded through createRequire from $PIPEC_VALIDATE_NODE_MODULES
// (default: node_modules beside this file) so that an out-of-tree build can install
// them in its build directory and still run this script from the source tree.

import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modulesDir = path.resolve(process.env.PIPEC_VALIDATE_NODE_MODULES || path.join(here, 'node_modules'));
const req = createRequire(path.join(path.dirname(modulesDir), 'validate-loader.cjs'));

// The kinds a pipec bundle may contain, keyed by "apiVersion kind", with the
// kubernetes-models module that holds the class for that kind. A new kind is a new row.
const KINDS = [
  { apiVersion: 'v1', kind: 'Namespace', module: 'kubernetes-models/v1/Namespace', schema: 'io.k8s.api.core.v1.Namespace', nameRule: 'label' },
  { apiVersion: 'v1', kind: 'ServiceAccount', module: 'kubernetes-models/v1/ServiceAccount', schema: 'io.k8s.api.core.v1.ServiceAccount', nameRule: 'subdomain' },
  { apiVersion: 'v1', kind: 'ConfigMap', module: 'kubernetes-models/v1/ConfigMap', schema: 'io.k8s.api.core.v1.ConfigMap', nameRule: 'subdomain' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', module: 'kubernetes-models/rbac.authorization.k8s.io/v1/Role', schema: 'io.k8s.api.rbac.v1.Role', nameRule: 'subdomain' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', module: 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding', schema: 'io.k8s.api.rbac.v1.RoleBinding', nameRule: 'subdomain' },
  { apiVersion: 'batch/v1', kind: 'Job', module: 'kubernetes-models/batch/v1/Job', schema: 'io.k8s.api.batch.v1.Job', nameRule: 'subdomain+label' },
];

function loadDeps() {
  let yaml;
  try {
    yaml = req('yaml');
  } catch (e) {
    process.stderr.write(`validate: cannot load npm dependencies from ${modulesDir} (run "npm ci" in tests/validate): ${e.message}\n`);
    process.exit(2);
  }
  for (const row of KINDS) {
    row.cls = req(row.module)[row.kind];
    if (typeof row.cls !== 'function')
      throw new Error(`${row.module} has no class ${row.kind}`);
  }
  return { yaml, schemas: loadSchemas() };
}

// The raw JSON schemas: kubernetes-models up to 4.3 ships each definition of the official
// Kubernetes OpenAPI spec as a module that hands its schema to @kubernetes-models/validate's
// register(id, schema). Capture those calls instead of compiling them, so we can walk the
// definitions ourselves with a stricter rule for unknown fields.
function loadSchemas() {
  const pkgMain = req.resolve('kubernetes-models-schemas');
  const pkgReq = createRequire(pkgMain);
  const registry = new Map();
  const validateLib = pkgReq('@kubernetes-models/validate');
  validateLib.register = (id, schema) => { registry.set(id, schema); };
  // Each module's addSchema() first adds the definitions it refers to, so loading the
  // top-level kinds brings in every definition reachable from them.
  for (const row of KINDS) {
    const file = row.schema.split('.').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
    pkgReq(path.join(path.dirname(pkgMain), '_schemas', `${file}.js`)).addSchema();
    if (!registry.has(row.schema))
      throw new Error(`kubernetes-models-schemas registered no schema ${row.schema}: layout changed?`);
  }
  return registry;
}

// ---- path formatting -------------------------------------------------------------

function fmtPath(parts) {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) s += (s ? '.' : '') + p;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s || '.';
}

function pointerToParts(ptr) {
  if (!ptr) return [];
  return ptr.split('/').slice(1).map((t) => {
    const u = t.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(u) ? Number(u) : u;
  });
}

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'timestamp';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function show(v) {
  const s = v instanceof Date ? v.toISOString() : JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

// ---- (a) kubernetes-models ---------------------------------------------------------

// kubernetes-models' ajv errors, one line per path: the branches of a failed oneOf
// (quantity = number | quantity string, int-or-string) are joined into one message.
function modelProblems(row, doc) {
  try {
    new row.cls(doc).validate();
    return [];
  } catch (e) {
    if (!Array.isArray(e.errors)) return [{ path: [], msg: `kubernetes-models: ${e.message}` }];
    const byPath = new Map();
    for (const err of e.errors) {
      let p = err.instancePath;
      let msg = err.message;
      if (err.keyword === 'additionalProperties') {
        p += '/' + err.params.additionalProperty;
        msg = 'unknown field';
      } else if (err.keyword === 'required') {
        p += '/' + err.params.missingProperty;
        msg = 'required field missing';
      } else if (err.keyword === 'enum') {
        msg += ': ' + err.params.allowedValues.map((x) => JSON.stringify(x)).join(', ');
      }
      if (!byPath.has(p)) byPath.set(p, { oneOf: false, msgs: [] });
      const ent = byPath.get(p);
      if (err.keyword === 'oneOf') ent.oneOf = true;
      else if (!ent.msgs.includes(msg)) ent.msgs.push(msg);
    }
    const out = [];
    for (const [p, ent] of byPath) {
      const msg = ent.oneOf ? ent.msgs.join(' or ') || 'matches no allowed form' : ent.msgs.join('; ');
      out.push({ path: pointerToParts(p), msg: `${msg} (kubernetes-models)` });
    }
    return out;
  }
}

// ---- (b) strict walk of the official schemas ----------------------------------------

const INT_RANGE = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
// Kubernetes' resource.Quantity grammar (k8s.io/apimachinery/pkg/api/resource).
const RE_QUANTITY = /^[+-]?(?:\d+|\d+\.\d*|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const RE_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RE_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function checkFormat(schema, v) {
  switch (schema.format) {
    case 'int32':
    case 'int64': {
      const [lo, hi] = INT_RANGE[schema.format];
      return v < lo || v > hi ? `${v} is out of ${schema.format} range` : null;
    }
    case 'quantity':
      return RE_QUANTITY.test(v) ? null : `${show(v)} is not a Kubernetes quantity`;
    case 'byte':
      return RE_BASE64.test(v) ? null : 'is not base64';
    case 'date-time':
      return RE_DATETIME.test(v) ? null : `${show(v)} is not an RFC 3339 date-time`;
    default:
      return null;
  }
}

function typeMatches(type, v) {
  switch (type) {
    case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    default: return false;
  }
}

function describe(schema, schemas) {
  if (schema.$ref) return describe(schemas.get(schema.$ref.replace(/#$/, '')) || {}, schemas);
  if (schema.oneOf) return schema.oneOf.map((s) => describe(s, schemas)).join(' or ');
  if (schema.format && schema.type !== 'object') return `${schema.type} (${schema.format})`;
  return schema.type || 'any';
}

// Walks value v against schema s. Rule: an object schema that lists properties
// accepts no other key unless it declares additionalProperties (maps such as labels,
// data, resources.limits); an object schema with neither is opaque (e.g. FieldsV1).
// null is rejected even where the spec marks a field nullable: pipec must omit unset
// fields rather than write null.
function walk(v, s, parts, out, schemas) {
  if (s.$ref) {
    const id = s.$ref.replace(/#$/, '');
    const target = schemas.get(id);
    if (!target) { out.push({ path: parts, msg: `schema ${id} not found (strict)` }); return; }
    walk(v, target, parts, out, schemas);
    return;
  }
  if (s.oneOf) {
    const alts = s.oneOf.filter((a) => a.type !== 'null');
    if (v === null) { out.push({ path: parts, msg: `null is not allowed, omit the field (strict)` }); return; }
    let best = null;
    for (const a of alts) {
      const errs = [];
      walk(v, a, parts, errs, schemas);
      if (errs.length === 0) return;
      // Prefer the branch whose type matched (its deeper errors are the useful ones).
      const matched = !errs.some((e) => e.path === parts && e.typeErr);
      if (!best || (matched && !best.matched)) best = { errs, matched };
    }
    if (alts.length === 1 || best.matched) { out.push(...best.errs); return; }
    out.push({ path: parts, msg: `expected ${alts.map((a) => describe(a, schemas)).join(' or ')}, got ${typeName(v)} ${show(v)} (strict)`, typeErr: true });
    return;
  }
  if (v === null) {
    out.push({ path: parts, msg: `null is not allowed, omit the field (strict)` });
    return;
  }
  if (s.type && !typeMatches(s.type, v)) {
    out.push({ path: parts, msg: `expected ${describe(s, schemas)}, got ${typeName(v)} ${show(v)} (strict)`, typeErr: true });
    return;
  }
  if (s.enum && !s.enum.includes(v)) {
    out.push({ path: parts, msg: `${show(v)} is not one of ${s.enum.map((x) => JSON.stringify(x)).join(', ')} (strict)` });
    return;
  }
  if (s.format && (typeof v === 'string' || typeof v === 'number')) {
    const bad = checkFormat(s, v);
    if (bad) { out.push({ path: parts, msg: `${bad} (strict)` }); return; }
  }
  if (Array.isArray(v)) {
    if (s.items) v.forEach((item, i) => walk(item, s.items, parts.concat(i), out, schemas));
    return;
  }
  if (typeMatches('object', v)) {
    const props = s.properties;
    const addl = s.additionalProperties;
    for (const req of s.required || [])
      if (!(req in v)) out.push({ path: parts.concat(req), msg: 'required field missing (strict)' });
    for (const [k, val] of Object.entries(v)) {
      if (props && Object.prototype.hasOwnProperty.call(props, k)) {
        walk(val, props[k], parts.concat(k), out, schemas);
      } else if (addl && typeof addl === 'object') {
        walk(val, addl, parts.concat(k), out, schemas);
      } else if (addl === true || (!props && addl === undefined)) {
        // declared free-form
      } else {
        const hint = props ? nearest(k, Object.keys(props)) : null;
        out.push({ path: parts.concat(k), msg: `unknown field ${JSON.stringify(k)}${hint ? `, did you mean ${JSON.stringify(hint)}?` : ''} (strict)` });
      }
    }
  }
}

function nearest(word, candidates) {
  let best = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { bestD = d; best = c; }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 4)) ? best : null;
}

function editDistance(a, b) {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

// ---- (c) names, labels, annotations (k8s.io/apimachinery/pkg/util/validation) ------

const RE_DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RE_DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RE_QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const RE_LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

function dns1123Label(v) {
  if (v.length > 63) return `must be no more than 63 characters (has ${v.length})`;
  if (!RE_DNS1123_LABEL.test(v)) return 'must be a DNS-1123 label (lower-case alphanumerics and "-", starting and ending with an alphanumeric)';
  return null;
}

function dns1123Subdomain(v) {
  if (v.length > 253) return `must be no more than 253 characters (has ${v.length})`;
  if (!RE_DNS1123_SUBDOMAIN.test(v)) return 'must be a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".", starting and ending with an alphanumeric)';
  return null;
}

// A label or annotation key: [prefix/]name, prefix a DNS-1123 subdomain, name a qualified name.
function qualifiedName(k) {
  const parts = k.split('/');
  let name = k;
  if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const bad = dns1123Subdomain(prefix);
    if (bad) return `prefix part ${bad}`;
  } else if (parts.length > 2) {
    return 'must be a qualified name with at most one "/"';
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return `name part must be no more than 63 characters (has ${name.length})`;
  if (!RE_QUALIFIED_NAME.test(name)) return 'name part must consist of alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  return null;
}

function labelValue(v) {
  if (v.length > 63) return `must be no more than 63 characters (has ${v.length})`;
  if (!RE_LABEL_VALUE.test(v)) return 'must be empty or alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  return null;
}

function checkMeta(meta, parts, out) {
  if (!meta || typeof meta !== 'object') return;
  const labels = meta.labels;
  if (labels && typeof labels === 'object') {
    for (const [k, val] of Object.entries(labels)) {
      const badKey = qualifiedName(k);
      if (badKey) out.push({ path: parts.concat('labels', k), msg: `invalid label key: ${badKey}` });
      if (typeof val === 'string') {
        const badVal = labelValue(val);
        if (badVal) out.push({ path: parts.concat('labels', k), msg: `invalid label value ${JSON.stringify(val)}: ${badVal}` });
      }
    }
  }
  const ann = meta.annotations;
  if (ann && typeof ann === 'object') {
    let size = 0;
    for (const [k, val] of Object.entries(ann)) {
      const badKey = qualifiedName(k);
      if (badKey) out.push({ path: parts.concat('annotations', k), msg: `invalid annotation key: ${badKey}` });
      size += Buffer.byteLength(k) + (typeof val === 'string' ? Buffer.byteLength(val) : 0);
    }
    if (size > MAX_ANNOTATIONS_BYTES)
      out.push({ path: parts.concat('annotations'), msg: `annotations total ${size} bytes, must be at most ${MAX_ANNOTATIONS_BYTES}` });
  }
}

function checkNamesAndLabels(row, doc, out) {
  const meta = doc.metadata;
  const name = meta && meta.name;
  if (typeof name !== 'string' || name === '') {
    out.push({ path: ['metadata', 'name'], msg: 'must be a non-empty string' });
  } else {
    const bad = row.nameRule === 'label' ? dns1123Label(name) : dns1123Subdomain(name);
    if (bad) out.push({ path: ['metadata', 'name'], msg: `invalid name ${JSON.stringify(name)}: ${bad}` });
    // A Job's name becomes the value of its pods' job-name label: at most 63 characters.
    else if (row.nameRule === 'subdomain+label' && name.length > 63)
      out.push({ path: ['metadata', 'name'], msg: `invalid name ${JSON.stringify(name)}: a Job name must be no more than 63 characters (has ${name.length})` });
  }
  if (meta && typeof meta.namespace === 'string') {
    const bad = dns1123Label(meta.namespace);
    if (bad) out.push({ path: ['metadata', 'namespace'], msg: `invalid namespace ${JSON.stringify(meta.namespace)}: ${bad}` });
  }
  checkMeta(meta, ['metadata'], out);
  const tmpl = doc.spec && doc.spec.template;
  if (tmpl && typeof tmpl === 'object') {
    checkMeta(tmpl.metadata, ['spec', 'template', 'metadata'], out);
    const ns = tmpl.spec && tmpl.spec.nodeSelector;
    if (ns && typeof ns === 'object') {
      for (const [k, val] of Object.entries(ns)) {
        const p = ['spec', 'template', 'spec', 'nodeSelector', k];
        const badKey = qualifiedName(k);
        if (badKey) out.push({ path: p, msg: `invalid node selector key: ${badKey}` });
        if (typeof val === 'string' && labelValue(val)) out.push({ path: p, msg: `invalid node selector value ${show(val)}: ${labelValue(val)}` });
      }
    }
  }
}

// ---- driver ------------------------------------------------------------------------

function collectFiles(args) {
  const files = [];
  const visit = (p, explicit) => {
    let st;
    try { st = statSync(p); } catch (e) { throw new Error(`${p}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`); }
    if (st.isDirectory()) {
      for (const ent of readdirSync(p).sort()) visit(path.join(p, ent), false);
    } else if (explicit || /\.ya?ml$/.test(p)) {
      files.push(p);
    }
  };
  for (const a of args) visit(a, true);
  return files;
}

function validateFile(file, deps, report) {
  const src = readFileSync(file, 'utf8');
  // kubectl reads manifests with a YAML 1.1 parser (sigs.k8s.io/yaml, go-yaml v2), so do we.
  const docs = deps.yaml.parseAllDocuments(src, { version: '1.1' });
  let index = 0;
  let checked = 0;
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    index++;
    if (d.errors && d.errors.length) {
      for (const e of d.errors) {
        const pos = e.linePos && e.linePos[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
        report(file, index, '-', '.', `YAML error${pos}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
      }
      checked++;
      continue;
    }
    const doc = d.toJS({ maxAliasCount: 0 });
    if (doc === null || doc === undefined) continue; // an empty document: kubectl ignores it
    checked++;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      report(file, index, '-', '.', `document is a ${typeName(doc)}, expected a Kubernetes object`);
      continue;
    }
    const who = `${doc.kind || '?'}/${(doc.metadata && doc.metadata.name) || '?'}`;
    const row = KINDS.find((r) => r.apiVersion === doc.apiVersion && r.kind === doc.kind);
    if (!row) {
      report(file, index, who, '.', `unknown kind ${JSON.stringify(doc.apiVersion)} ${JSON.stringify(doc.kind)} (known: ${KINDS.map((r) => `${r.apiVersion} ${r.kind}`).join(', ')})`);
      continue;
    }
    const problems = [];
    problems.push(...modelProblems(row, doc));
    walk(doc, deps.schemas.get(row.schema), [], problems, deps.schemas);
    checkNamesAndLabels(row, doc, problems);
    for (const p of problems) report(file, index, who, fmtPath(p.path), p.msg);
  }
  return checked;
}

function main(argv) {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help') {
    process.stderr.write('usage: validate.mjs FILE-OR-DIR...\n');
    return 2;
  }
  let files;
  try {
    files = collectFiles(argv);
  } catch (e) {
    process.stderr.write(`validate: ${e.message}\n`);
    return 2;
  }
  const deps = loadDeps();
  let problems = 0;
  let docs = 0;
  const report = (file, index, who, p, msg) => {
    problems++;
    process.stdout.write(`${file}:${index}: ${who}: ${p}: ${msg}\n`);
  };
  for (const f of files) {
    if (/(^|\/)kustomization\.ya?ml$/.test(f)) {
      process.stdout.write(`${f}: skipped (kustomize configuration, not a Kubernetes API object)\n`);
      continue;
    }
    docs += validateFile(f, deps, report);
  }
  process.stdout.write(`${docs} document${docs === 1 ? '' : 's'} checked in ${files.length} file${files.length === 1 ? '' : 's'}, ${problems} problem${problems === 1 ? '' : 's'}\n`);
  return problems ? 1 : 0;
}

// A reader that stops early (| head) is not an error of ours.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode || 0); throw e; });
process.exitCode = main(process.argv.slice(2));
