## grammar/local.mk -- placeholder until the DSL front end lands.
PIPEC_GRAMMAR_LIB = grammar/libpipec_grammar.a
noinst_LIBRARIES += grammar/libpipec_grammar.a
grammar_libpipec_grammar_a_SOURCES = grammar/dsl_placeholder.c grammar/dsl.h
