## bench/local.mk -- `make bench` (not part of `make check`): pipec against kubectl kustomize,
## a cdk8s app and the libyaml emit floor, for N = 10 ... 100,000 steps (bench/run-bench).
EXTRA_PROGRAMS = bench/emit-floor
bench_emit_floor_SOURCES = bench/emit-floor.c
bench_emit_floor_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
bench_emit_floor_LDADD = $(YAML_LIBS)
CLEANFILES += bench/emit-floor
EXTRA_DIST += bench/gen-pipeline bench/run-bench bench/cdk8s-app.js bench/RESULTS.md

# BENCH_FLAGS: e.g. BENCH_FLAGS='--sizes 10,1000 --no-peers' for a quick run.
bench: pipec$(EXEEXT) bench/emit-floor$(EXEEXT)
	$(PYTHON3) $(srcdir)/bench/run-bench --pipec $(builddir)/pipec$(EXEEXT) \
		--emit-floor $(builddir)/bench/emit-floor$(EXEEXT) --work $(builddir)/bench/.work $(BENCH_FLAGS)
clean-local: clean-local-bench
clean-local-bench:
	rm -rf bench/.work
.PHONY: bench clean-local-bench
