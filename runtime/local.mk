## runtime/local.mk -- the runtime: the DAG engine, the in-cluster sequencer pipec-runtime, the
## local runner behind `pipec run`, and their tests. Included from the top Makefile.am.

# The DAG engine, the plan loader and the local runner are one convenience library that the
# sequencer, the unit tests and (later) the pipec CLI link.
noinst_LIBRARIES += runtime/libpipecrt.a
runtime_libpipecrt_a_SOURCES = runtime/rtutil.h \
	runtime/dag.c runtime/dag.h \
	runtime/plan.c runtime/plan.h \
	runtime/local_run.c runtime/local_run.h
runtime_libpipecrt_a_CPPFLAGS = $(AM_CPPFLAGS) $(JANSSON_CFLAGS)

bin_PROGRAMS += pipec-runtime
pipec_runtime_SOURCES = runtime/main.c runtime/kube.c runtime/kube.h \
	runtime/kubeconfig.c runtime/kubeconfig.h runtime/seq.c runtime/seq.h
pipec_runtime_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS) $(CYAML_CFLAGS)
pipec_runtime_LDADD = runtime/libpipecrt.a $(CURL_LIBS) $(JANSSON_LIBS) $(CYAML_LIBS)

## Runtime tests
check_PROGRAMS += tests/runtime/test-dag tests/runtime/test-plan tests/runtime/lr-driver
tests_runtime_test_dag_SOURCES = tests/runtime/test-dag.c
tests_runtime_test_dag_LDADD = runtime/libpipecrt.a $(JANSSON_LIBS)
tests_runtime_test_plan_SOURCES = tests/runtime/test-plan.c
tests_runtime_test_plan_LDADD = runtime/libpipecrt.a $(JANSSON_LIBS)
tests_runtime_lr_driver_SOURCES = tests/runtime/lr-driver.c
tests_runtime_lr_driver_LDADD = runtime/libpipecrt.a $(JANSSON_LIBS)

# Shell tests: each prints PASS/FAIL and exits 0, 1, or 77 (skipped: python3 or openssl
# missing). The seq-* tests run pipec-runtime against tests/runtime/kube-sim.py over TLS.
RUNTIME_SH_TESTS = tests/runtime/test-plan.sh tests/runtime/local-run.sh \
	tests/runtime/seq-diamond.sh tests/runtime/seq-fanout.sh \
	tests/runtime/seq-fail-continue.sh tests/runtime/seq-fail-stop.sh \
	tests/runtime/seq-watch-gone.sh tests/runtime/seq-watch-drop.sh \
	tests/runtime/seq-retry.sh tests/runtime/seq-start-wait.sh \
	tests/runtime/seq-restart.sh tests/runtime/seq-resuspend.sh \
	tests/runtime/seq-pending.sh tests/runtime/seq-rerun.sh \
	tests/runtime/seq-kubeconfig.sh tests/runtime/seq-bench.sh tests/runtime/e2e-bundle.sh
TESTS += tests/runtime/test-dag $(RUNTIME_SH_TESTS)
EXTRA_DIST += tests/runtime/plans $(RUNTIME_SH_TESTS) \
	tests/runtime/lib.sh tests/runtime/kube-sim.py tests/runtime/check.py \
	runtime/README.md share/Dockerfile.runtime
