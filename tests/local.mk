## tests/local.mk -- make check: golden bundles, error diagnostics, validation, determinism.
AM_TESTS_ENVIRONMENT = PIPEC='$(abs_top_builddir)/pipec'; top_srcdir='$(abs_top_srcdir)'; \
	top_builddir='$(abs_top_builddir)'; PYTHON3='$(PYTHON3)'; \
	export PIPEC top_srcdir top_builddir PYTHON3;
TESTS += tests/run-golden tests/run-errors tests/determinism
EXTRA_DIST += tests/setup $(TESTS) tests/golden tests/errors
