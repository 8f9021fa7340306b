## runtime/local.mk -- the runtime: the DAG engine, the in-cluster sequencer pipec-runtime, the
## local runner behind `pipec run`, and their tests. Included from the top Makefile.am.

# Workaround, to drop once the top Makefile.am renames PIPEC_EXTRA_LDFLAGS: automake -Wall
# -Werror rejects any variable ending in _LDFLAGS that names no program ("syntax" warning).
AUTOMAKE_OPTIONS = -Wno-syntax

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

RUNTIME_SH_TESTS =
TESTS += tests/runtime/test-dag tests/runtime/test-plan.sh $(RUNTIME_SH_TESTS)
EXTRA_DIST += tests/runtime/test-plan.sh tests/runtime/plans $(RUNTIME_SH_TESTS) \
	tests/runtime/lib.sh tests/runtime/kube-sim.py tests/runtime/check.py \
	runtime/README.md share/Dockerfile.runtime
