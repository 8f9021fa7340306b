#!/usr/bin/env python3
"""kube-sim.py -- a test stand-in for the Kubernetes API server, for pipec-runtime's tests.

Python 3 standard library only. Serves, over TLS on 127.0.0.1 with bearer-token auth, the calls
the sequencer makes: list and watch Jobs by label selector with resourceVersions (chunked watch
events ADDED/MODIFIED/DELETED, ERROR with a 410 Status), GET and PATCH (JSON merge patch) of a
Job, and list of Pods by label. It plays the Job controller from a scenario file and injects
faults. It exits by itself after --timeout seconds (or on SIGTERM), and keeps a JSON record
(--record, rewritten after every change) that tests assert on:

  unsuspends   {job: times spec.suspend went true -> false on an unfinished Job}
  maxActive    the most step Jobs unsuspended and unfinished at once
  violations   ["job started before its dependency d completed", ...]
  patches      [{job, body}] every PATCH received, in order
  requests     {kind: count}; kinds: list, watch, get, patch, pods
  faults       how many injected faults were served
  latencies    [seconds from the latest completion of any step to each un-suspend of a
               step with dependencies: the delay between a completion and the start it allows]
  jobs         {name: the Job object as it is now}

Scenario (JSON), every key optional:
  default   {"outcome": "succeed"|"fail"|"pending", "delay": 0.1, "reason": R, "message": M}
  steps     {step: same keys as default, plus for "pending":
             "pod": {"scheduled": false, "reason": R, "message": M}       (PodScheduled=False)
                 or {"waiting": {"reason": "ImagePullBackOff", "message": M}}}
  preload   {step: {"complete": true, "failed": true, "suspend": bool, "annotations": {...},
                    "absent": true, "createAfter": seconds}}
  resuspend {"step": S, "after": seconds}  (once, seconds after S first starts, a "re-apply"
                                            sets suspend=true again)
  faults    [{"on": "list"|"watch"|"get"|"patch"|"pods"|"any", "times": N, "skip": N,
              and one of: "status": 500|429|403|404 (+ "retryAfter": s), "gone": true (watch:
              ERROR 410 event), "dropAfterEvents": N (watch: cut the connection after N
              events, no final chunk), "slow": seconds}]
"""
import argparse
import copy
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

LOCK = threading.Condition()


class Sim:
    def __init__(self, plan, scenario, record_path, manifests=None):
        self.plan = plan
        # Jobs as pipec emitted them (--manifests): served as they are, labels included, so
        # the end-to-end tests prove the compiler's and the sequencer's selectors agree.
        self.manifests = {j["metadata"]["name"]: j for j in (manifests or [])
                          if j.get("kind") == "Job"}
        self.sc = scenario
        self.record_path = record_path
        self.ns = plan["namespace"]
        self.rv = 100
        self.jobs = {}
        self.history = []  # (rv, type, object copy)
        self.step_of = {s["job"]: s for s in plan["steps"]}
        self.job_of = {s["name"]: s["job"] for s in plan["steps"]}
        self.unsuspends = {}
        self.active = set()
        self.max_active = 0
        self.violations = []
        self.latencies = []
        self.completed_at = {}
        self.patches = []
        self.requests = {}
        self.faults_served = 0
        self.gen = {}
        self.resuspended = False
        self.faults = [dict(f) for f in scenario.get("faults", [])]
        self.timers = []
        for s in plan["steps"]:
            pre = scenario.get("preload", {}).get(s["name"], {})
            if pre.get("absent"):
                continue
            if "createAfter" in pre:
                self.later(pre["createAfter"], self.create_job, s, pre)
                continue
            self.create_job(s, pre, emit=False)
        if plan.get("sequencerJob") in self.manifests:
            job = copy.deepcopy(self.manifests[plan["sequencerJob"]])
            job["metadata"].setdefault("annotations", {})
            job["metadata"]["resourceVersion"] = str(self.bump())
            job["status"] = {"active": 1}
            self.jobs[plan["sequencerJob"]] = job
        elif plan.get("sequencerJob"):
            labels = self.base_labels()
            self.jobs[plan["sequencerJob"]] = {
                "apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": plan["sequencerJob"], "namespace": self.ns, "labels": labels,
                             "annotations": {}, "resourceVersion": str(self.bump())},
                "spec": {"suspend": False}, "status": {"active": 1}}
        self.save()

    # -- helpers ------------------------------------------------------------------------------
    def bump(self):
        self.rv += 1
        return self.rv

    def later(self, delay, fn, *args):
        t = threading.Timer(delay, self.locked, (fn,) + args)
        t.daemon = True
        t.start()
        self.timers.append(t)

    def locked(self, fn, *args):
        with LOCK:
            fn(*args)
            LOCK.notify_all()

    def base_labels(self):
        p = self.plan["pipeline"]
        labels = {"app.kubernetes.io/managed-by": "pipec", "app.kubernetes.io/part-of": p,
                  "pipec.dev/pipeline": p}
        if self.plan.get("run"):
            labels["pipec.dev/run"] = self.plan["run"]
        return labels

    def behaviour(self, step):
        b = dict(self.sc.get("default", {"outcome": "succeed", "delay": 0.1}))
        b.update(self.sc.get("steps", {}).get(step, {}))
        return b

    def create_job(self, s, pre, emit=True):
        labels = self.base_labels()
        labels["pipec.dev/step"] = s["name"]
        pod_labels = dict(labels)
        pod_labels["pipeline"] = self.plan["pipeline"]
        job = {"apiVersion": "batch/v1", "kind": "Job",
               "metadata": {"name": s["job"], "namespace": self.ns, "labels": labels,
                            "annotations": dict(pre.get("annotations", {}),
                                                **{"pipec.dev/after": ",".join(s.get("after", []))}),
                            "resourceVersion": str(self.bump())},
               "spec": {"suspend": pre.get("suspend", True),
                        "template": {"metadata": {"labels": pod_labels}}},
               "status": {}}
        if s["job"] in self.manifests:
            job = copy.deepcopy(self.manifests[s["job"]])
            job["metadata"].setdefault("annotations", {}).update(pre.get("annotations", {}))
            job["metadata"]["resourceVersion"] = str(self.bump())
            if "suspend" in pre:
                job["spec"]["suspend"] = pre["suspend"]
            job["status"] = {}
        if pre.get("complete"):
            job["status"] = {"succeeded": 1, "conditions": [
                {"type": "Complete", "status": "True", "reason": "Completed", "message": ""}]}
        if pre.get("failed"):
            job["status"] = {"failed": 1, "conditions": [
                {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                 "message": "Job has reached the specified backoff limit"}]}
        self.jobs[s["job"]] = job
        if not job["spec"]["suspend"] and not self.finished(job):
            self.start(s["job"], count=False)
        if emit:
            self.emit("ADDED", job)

    def finished(self, job):
        return any(c["type"] in ("Complete", "Failed") and c["status"] == "True"
                   for c in job.get("status", {}).get("conditions", []))

    def emit(self, typ, job):
        job["metadata"]["resourceVersion"] = str(self.bump())
        self.history.append((self.rv, typ, copy.deepcopy(job)))
        self.save()

    def save(self):
        rec = {"unsuspends": self.unsuspends, "maxActive": self.max_active,
               "violations": self.violations, "patches": self.patches, "requests": self.requests,
               "latencies": self.latencies,
               "faults": self.faults_served, "jobs": self.jobs}
        tmp = self.record_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(rec, f, indent=1, sort_keys=True)
        os.replace(tmp, self.record_path)

    # -- the Job controller ---------------------------------------------------------------------
    def start(self, name, count=True):
        s = self.step_of.get(name)
        if not s:
            return
        if count:
            self.unsuspends[name] = self.unsuspends.get(name, 0) + 1
            for dep in s.get("after", []):
                dj = self.jobs.get(self.job_of[dep])
                ok = dj and any(c["type"] == "Complete" and c["status"] == "True"
                                for c in dj.get("status", {}).get("conditions", []))
                if not ok:
                    self.violations.append("%s started before its dependency %s completed" % (name, dep))
            # The completion that let this step start is the latest one: its dependency's in a
            # chain, the one that freed a slot under maxParallel.
            if self.completed_at and s.get("after"):
                self.latencies.append(round(time.time() - max(self.completed_at.values()), 4))
        self.active.add(name)
        self.max_active = max(self.max_active, len(self.active))
        self.jobs[name]["status"]["active"] = 1
        g = self.gen[name] = self.gen.get(name, 0) + 1
        b = self.behaviour(s["name"])
        if b.get("outcome", "succeed") != "pending":
            self.later(float(b.get("delay", 0.1)), self.finish, name, g)
        rs = self.sc.get("resuspend")
        if rs and rs["step"] == s["name"] and not self.resuspended:
            self.resuspended = True
            self.later(float(rs.get("after", 0.1)), self.reapply, name)

    def stop(self, name):
        self.active.discard(name)
        self.gen[name] = self.gen.get(name, 0) + 1
        self.jobs[name]["status"].pop("active", None)

    def finish(self, name, g):
        if self.gen.get(name) != g or name not in self.active:
            return
        job = self.jobs[name]
        b = self.behaviour(self.step_of[name]["name"])
        self.active.discard(name)
        job["status"].pop("active", None)
        if b.get("outcome", "succeed") == "fail":
            job["status"]["failed"] = 1
            job["status"]["conditions"] = [
                {"type": "Failed", "status": "True", "reason": b.get("reason", "BackoffLimitExceeded"),
                 "message": b.get("message", "Job has reached the specified backoff limit")}]
        else:
            self.completed_at[name] = time.time()
            job["status"]["succeeded"] = 1
            job["status"]["conditions"] = [
                {"type": "Complete", "status": "True", "reason": "Completed", "message": ""}]
        self.emit("MODIFIED", job)

    def reapply(self, name):
        job = self.jobs[name]
        if self.finished(job) or job["spec"].get("suspend"):
            return
        job["spec"]["suspend"] = True
        self.stop(name)
        self.emit("MODIFIED", job)

    def patch(self, name, body):
        job = self.jobs[name]
        was = bool(job["spec"].get("suspend"))
        merge(job, body)
        now = bool(job["spec"].get("suspend"))
        self.patches.append({"job": name, "body": body})
        if was and not now and not self.finished(job):
            self.start(name)
        elif not was and now and not self.finished(job):
            self.stop(name)
        self.emit("MODIFIED", job)
        return job

    def pods(self, selector):
        items = []
        for name in sorted(self.active):
            job = self.jobs[name]
            labels = dict(job["spec"]["template"]["metadata"]["labels"], **{"job-name": name})
            if not matches(labels, selector):
                continue
            b = self.behaviour(self.step_of[name]["name"])
            status = {"phase": "Running", "conditions": [{"type": "PodScheduled", "status": "True"}]}
            if b.get("outcome") == "pending":
                pod = b.get("pod", {"scheduled": False, "reason": "Unschedulable",
                                    "message": "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."})
                status = {"phase": "Pending", "conditions": []}
                if pod.get("scheduled", True) is False:
                    status["conditions"].append({"type": "PodScheduled", "status": "False",
                                                 "reason": pod.get("reason", "Unschedulable"),
                                                 "message": pod.get("message", "")})
                if "waiting" in pod:
                    status["conditions"].append({"type": "PodScheduled", "status": "True"})
                    status["containerStatuses"] = [{"name": "main", "ready": False,
                                                    "state": {"waiting": pod["waiting"]}}]
            items.append({"apiVersion": "v1", "kind": "Pod",
                          "metadata": {"name": name + "-abcde", "namespace": self.ns, "labels": labels},
                          "status": status})
        return {"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": str(self.rv)},
                "items": items}

    # -- faults ---------------------------------------------------------------------------------
    def fault(self, kind):
        for f in self.faults:
            if f.get("times", 1) <= 0 or f.get("on", "any") not in (kind, "any"):
                continue
            if f.get("skip", 0) > 0:
                f["skip"] -= 1
                continue
            f["times"] = f.get("times", 1) - 1
            self.faults_served += 1
            self.save()
            return dict(f)
        return None


def merge(target, patch):
    """RFC 7386 JSON merge patch, in place."""
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        elif isinstance(v, dict) and isinstance(target.get(k), dict):
            merge(target[k], v)
        else:
            target[k] = copy.deepcopy(v)


def parse_selector(sel):
    out = []
    for part in filter(None, (sel or "").split(",")):
        if "!=" in part:
            k, v = part.split("!=", 1)
            out.append((k, v, False))
        else:
            k, v = part.replace("==", "=").split("=", 1)
            out.append((k, v, True))
    return out


def matches(labels, sel):
    return all((labels.get(k) == v) == eq for k, v, eq in sel)


def status_body(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sim = None
    token = None
    deadline = 0

    def setup(self):
        super().setup()
        # Small writes (headers, chunks) must not wait for delayed ACKs (Nagle).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        if os.environ.get("KUBE_SIM_VERBOSE"):
            sys.stderr.write("kube-sim: " + (fmt % args) + "\n")

    def send_json(self, code, obj, headers=None):
        data = (json.dumps(obj) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def route(self, method):
        u = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        parts = [unquote(p) for p in u.path.strip("/").split("/")]
        if self.headers.get("Authorization") != "Bearer " + self.token:
            return self.send_json(401, status_body(401, "Unauthorized", "Unauthorized"))
        sim = self.sim
        ns = sim.ns
        if len(parts) >= 6 and parts[:3] == ["apis", "batch", "v1"] and parts[3] == "namespaces" \
                and parts[5] == "jobs":
            if parts[4] != ns:
                return self.send_json(404, status_body(404, "NotFound", "namespace not found"))
            if len(parts) == 6 and method == "GET":
                kind = "watch" if q.get("watch") in ("1", "true") else "list"
            elif len(parts) == 7 and method in ("GET", "PATCH"):
                kind = method.lower()
            else:
                return self.send_json(405, status_body(405, "MethodNotAllowed", "not supported here"))
        elif len(parts) == 5 and parts[:2] == ["api", "v1"] and parts[2] == "namespaces" \
                and parts[4] == "pods" and method == "GET":
            kind = "pods"
        else:
            return self.send_json(404, status_body(404, "NotFound", "no such path " + u.path))
        body = None
        if method == "PATCH":
            n = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(n)
            if self.headers.get("Content-Type") != "application/merge-patch+json":
                return self.send_json(415, status_body(415, "UnsupportedMediaType", "want merge patch"))
            try:
                body = json.loads(raw)
            except ValueError:
                return self.send_json(400, status_body(400, "BadRequest", "bad JSON"))
        with LOCK:
            sim.requests[kind] = sim.requests.get(kind, 0) + 1
            f = sim.fault(kind)
        if f and "slow" in f:
            time.sleep(float(f["slow"]))
        elif f and "status" in f:
            hdrs = {"Retry-After": str(f["retryAfter"])} if "retryAfter" in f else None
            return self.send_json(f["status"], status_body(f["status"], "Injected", "injected fault"), hdrs)
        sel = parse_selector(q.get("labelSelector"))
        if kind == "watch":
            return self.watch(q, sel, f)
        with LOCK:
            if kind == "list":
                items = [j for j in sim.jobs.values() if matches(j["metadata"]["labels"], sel)]
                obj = {"apiVersion": "batch/v1", "kind": "JobList",
                       "metadata": {"resourceVersion": str(sim.rv)}, "items": copy.deepcopy(items)}
            elif kind == "pods":
                obj = sim.pods(sel)
            else:
                name = parts[6]
                if name not in sim.jobs:
                    return self.send_json(404, status_body(404, "NotFound", 'jobs.batch "%s" not found' % name))
                obj = copy.deepcopy(sim.patch(name, body) if kind == "patch" else sim.jobs[name])
                LOCK.notify_all()
        return self.send_json(200, obj)

    def do_GET(self):
        self.route("GET")

    def do_PATCH(self):
        self.route("PATCH")

    def chunk(self, obj):
        data = (json.dumps(obj) + "\n").encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def watch(self, q, sel, f):
        sim = self.sim
        since = int(q.get("resourceVersion") or 0)
        end = min(time.time() + float(q.get("timeoutSeconds", 300)), self.deadline)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if f and f.get("gone"):
            self.chunk({"type": "ERROR", "object": status_body(
                410, "Expired", "too old resource version: %d (%d)" % (since, sim.rv))})
            self.wfile.write(b"0\r\n\r\n")
            return
        drop = f.get("dropAfterEvents") if f else None
        sent = 0
        pos = 0
        while time.time() < end:
            with LOCK:
                evs = [e for e in sim.history[pos:] if e[0] > since]
                pos = len(sim.history)
                if not evs:
                    LOCK.wait(0.2)
                    continue
            for rv, typ, obj in evs:
                if not matches(obj["metadata"]["labels"], sel):
                    continue
                if drop is not None and sent >= drop:
                    self.close_connection = True
                    self.connection.shutdown(2)  # cut mid-stream: no final chunk
                    return
                self.chunk({"type": typ, "object": obj})
                sent += 1
        self.wfile.write(b"0\r\n\r\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plan", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--timeout", type=float, default=50)
    ap.add_argument("--manifests", help="JSON list of the Jobs pipec emitted, served as they are")
    a = ap.parse_args()
    with open(a.plan) as f:
        plan = json.load(f)
    with open(a.scenario) as f:
        scenario = json.load(f)
    manifests = None
    if a.manifests:
        with open(a.manifests) as f:
            manifests = json.load(f)
    Handler.sim = Sim(plan, scenario, a.record, manifests)
    Handler.token = a.token
    Handler.deadline = time.time() + a.timeout
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.replace(a.port_file + ".tmp", a.port_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait(a.timeout)  # the hard time bound
    srv.shutdown()
    with LOCK:
        Handler.sim.save()


if __name__ == "__main__":
    main()
