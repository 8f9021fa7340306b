## grammar/local.mk -- the DSL front end: the re2c scanner, the bison parser, the formatter,
## and the converters between .pipe and the YAML spec (compiler/convert.c), as one
## convenience library. The generated C (parser.c, parser.h, lexer.c) is built from
## parser.y and lexer.re, shipped in the tarball, and never committed.

# What pipec and the tests link for the DSL (main's compiler/local.mk uses this name).
PIPEC_GRAMMAR_LIB = grammar/libpipec_grammar.a
noinst_LIBRARIES += grammar/libpipec_grammar.a
grammar_libpipec_grammar_a_SOURCES = \
	grammar/lex.h grammar/parse.h \
	grammar/dsl.c grammar/dsl.h grammar/layout.c grammar/layout.h \
	compiler/convert.c compiler/convert.h \
	compiler/arena.h compiler/diag.h compiler/ir.h compiler/xalloc.h
grammar_libpipec_grammar_a_CPPFLAGS = $(AM_CPPFLAGS) $(YAML_CFLAGS)
# The generated scanner and parser are compiled in their own library, with warnings that
# bison's and re2c's skeletons may trip relaxed; their objects go into libpipec_grammar.a,
# the one library the CLI and the tests link.
grammar_libpipec_grammar_a_LIBADD = $(grammar_libpipec_grammar_gen_a_OBJECTS)
grammar_libpipec_grammar_a_DEPENDENCIES = $(grammar_libpipec_grammar_gen_a_OBJECTS)
noinst_LIBRARIES += grammar/libpipec_grammar_gen.a
grammar_libpipec_grammar_gen_a_SOURCES = grammar/parser.y grammar/lexer.re
grammar_libpipec_grammar_gen_a_CFLAGS = $(AM_CFLAGS) -Wno-unused-function -Wno-unused-parameter \
	-Wno-sign-compare -Wno-implicit-fallthrough

# bison: a header for the scanner, and every warning but -Wyacc (configure runs bison
# as "bison -y", and the grammar needs bison extensions).
AM_YFLAGS = -d -Wall -Wno-yacc

# re2c: byte-stable output (no date, no version), warnings are errors.
RE2C_FLAGS = -W -Werror --no-generation-date --no-version
SUFFIXES += .re
.re.c:
	$(AM_V_at)$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(RE2C) $(RE2C_FLAGS) -o $@ $<

BUILT_SOURCES += grammar/parser.h
# The scanner returns the parser's token kinds.
grammar/libpipec_grammar_gen_a-lexer.$(OBJEXT): grammar/parser.h
grammar/libpipec_grammar_a-dsl.$(OBJEXT): grammar/parser.h
# Generated sources go in the tarball, so a release builds without re2c or bison.
EXTRA_DIST += grammar/lexer.c

EXTRA_DIST += docs/language.md

## DSL tests: a driver program over the corpus in tests/dsl (errors, fmt, round trips).
check_PROGRAMS += tests/dsl/dsl-test
tests_dsl_dsl_test_SOURCES = tests/dsl/dsl-test.c
tests_dsl_dsl_test_CPPFLAGS = $(AM_CPPFLAGS) $(YAML_CFLAGS)
tests_dsl_dsl_test_LDADD = $(PIPEC_LIBS)
TESTS += tests/dsl/run-dsl-tests
EXTRA_DIST += tests/dsl/run-dsl-tests tests/dsl/errors tests/dsl/fmt tests/dsl/roundtrip
