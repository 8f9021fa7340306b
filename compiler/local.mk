## compiler/local.mk -- the compiler core (a convenience library) and the pipec binary.
noinst_LIBRARIES += compiler/libpipec.a
compiler_libpipec_a_SOURCES = \
	compiler/arena.c compiler/arena.h \
	compiler/check.c compiler/check.h \
	compiler/diag.c compiler/diag.h \
	compiler/emit.c compiler/emit.h \
	compiler/hash.h \
	compiler/ir.c compiler/ir.h \
	compiler/kube.c compiler/kube.h \
	compiler/ktree.c compiler/ktree.h \
	compiler/lower.c compiler/lower.h \
	compiler/output.c compiler/output.h \
	compiler/pipec.c compiler/pipec.h \
	compiler/resolve.c compiler/resolve.h \
	compiler/spec_yaml.c compiler/spec_yaml.h \
	compiler/stats.c compiler/stats.h \
	compiler/units.c compiler/units.h \
	compiler/xalloc.c compiler/xalloc.h
compiler_libpipec_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(JANSSON_CFLAGS)

bin_PROGRAMS += pipec
pipec_SOURCES = compiler/main.c
pipec_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(JANSSON_CFLAGS)
# The grammar library and the core call each other (pipec.c -> dsl_load -> ir_*): list it twice.
PIPEC_LIBS = $(PIPEC_GRAMMAR_LIB) compiler/libpipec.a $(PIPEC_GRAMMAR_LIB) runtime/libpipecrt.a \
	$(YAML_LIBS) $(JANSSON_LIBS)
pipec_LDADD = $(PIPEC_LIBS)
