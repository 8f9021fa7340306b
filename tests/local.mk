## tests/local.mk -- make check: golden bundles, error diagnostics, independent validation of
## the bundles (Kubernetes schemas, YAML 1.1 round trip) and determinism.
AM_TESTS_ENVIRONMENT = PIPEC='$(abs_top_builddir)/pipec'; top_srcdir='$(abs_top_srcdir)'; \
	top_builddir='$(abs_top_builddir)'; PYTHON3='$(PYTHON3)'; \
	export PIPEC top_srcdir top_builddir PYTHON3;
TESTS += tests/run-golden tests/run-errors tests/run-plan tests/output-dir tests/determinism \
	tests/equivalence tests/cli \
	tests/validate-bundles
# Directories are copied whole; dist-hook drops what npm installed in the source tree.
EXTRA_DIST += tests/README.md tests/all tests/setup $(TESTS) tests/golden tests/errors tests/inputs tests/plan tests/validate
dist-hook: dist-hook-tests
dist-hook-tests:
	rm -rf $(distdir)/tests/validate/node_modules $(distdir)/tests/validate/.npm-cache
clean-local: clean-local-tests
clean-local-tests:
	rm -rf tests/validate/node_modules tests/validate/.npm-cache tests/validate/node_modules.stamp
	if test "$(abs_builddir)" != "$(abs_srcdir)"; then \
		rm -f tests/validate/package.json tests/validate/package-lock.json; fi
# The validator's npm packages, installed once before the tests that use them run.
check_DATA = tests/validate/node_modules.stamp
tests/validate/node_modules.stamp: $(srcdir)/tests/validate/package-lock.json
	$(AM_V_GEN)if srcdir='$(srcdir)' sh '$(srcdir)/tests/validate-bundles' --install-only; then \
		$(MKDIR_P) tests/validate && touch $@; \
	else echo "warning: the validator's npm packages are not installed: validation tests will skip" >&2; fi
.PHONY: dist-hook-tests clean-local-tests

# Unit tests of modules, linked against the compiler library.
check_PROGRAMS += tests/unit/units-test
tests_unit_units_test_SOURCES = tests/unit/units-test.c
tests_unit_units_test_LDADD = $(PIPEC_LIBS)
TESTS += tests/unit/units-test

# Fuzz targets: replayed over the regression corpus in every build; with
# CC=clang --enable-fuzzing, also real libFuzzer binaries (tests/fuzz/run-fuzz SECONDS).
check_PROGRAMS += tests/fuzz/fuzz-yaml-replay tests/fuzz/fuzz-build-replay tests/fuzz/fuzz-dsl-replay
tests_fuzz_fuzz_dsl_replay_SOURCES = tests/fuzz/fuzz-dsl.c tests/fuzz/standalone.c
tests_fuzz_fuzz_dsl_replay_LDADD = $(PIPEC_LIBS)
tests_fuzz_fuzz_yaml_replay_SOURCES = tests/fuzz/fuzz-yaml.c tests/fuzz/standalone.c
tests_fuzz_fuzz_yaml_replay_LDADD = $(PIPEC_LIBS)
tests_fuzz_fuzz_build_replay_SOURCES = tests/fuzz/fuzz-build.c tests/fuzz/standalone.c
tests_fuzz_fuzz_build_replay_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
tests_fuzz_fuzz_build_replay_LDADD = $(PIPEC_LIBS)
TESTS += tests/fuzz/replay
EXTRA_DIST += tests/fuzz/regressions tests/fuzz/dsl.dict tests/fuzz/run-fuzz
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-yaml tests/fuzz/fuzz-build tests/fuzz/fuzz-dsl
tests_fuzz_fuzz_dsl_SOURCES = tests/fuzz/fuzz-dsl.c
tests_fuzz_fuzz_dsl_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_dsl_LDADD = $(PIPEC_LIBS)
tests_fuzz_fuzz_yaml_SOURCES = tests/fuzz/fuzz-yaml.c
tests_fuzz_fuzz_yaml_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_yaml_LDADD = $(PIPEC_LIBS)
tests_fuzz_fuzz_build_SOURCES = tests/fuzz/fuzz-build.c
tests_fuzz_fuzz_build_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
tests_fuzz_fuzz_build_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_build_LDADD = $(PIPEC_LIBS)
endif
