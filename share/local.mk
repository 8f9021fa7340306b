## share/local.mk -- what pipec installs besides the binary: the man page, the JSON Schema of
## the YAML spec, shell completions and editor syntax files; plus the Dockerfile in the tarball.

dist_man_MANS += share/pipec.1

# $(pkgdatadir)/pipec.schema.json, for yaml-language-server's "$schema=" modeline.
dist_pkgdata_DATA = share/pipec.schema.json

# bash-completion looks a command's completion up by the command's name, so the file must be
# installed as "pipec": automake installs DATA under their own names, hence the hook.
bashcompdir = $(datadir)/bash-completion/completions
zshcompdir = $(datadir)/zsh/site-functions
vimsyntaxdir = $(datadir)/vim/vimfiles/syntax
vimftdetectdir = $(datadir)/vim/vimfiles/ftdetect

dist_zshcomp_DATA = share/completions/_pipec
dist_vimsyntax_DATA = share/syntax/pipe.vim

# The examples, whole: the golden and determinism tests build them, and users read them.
EXTRA_DIST += examples

EXTRA_DIST += share/completions/pipec.bash share/syntax/ftdetect-pipe.vim \
	share/syntax/pipe.tmLanguage.json share/Dockerfile \
	tests/schema-examples tests/schema-fixtures

install-data-local: install-data-local-share
install-data-local-share:
	$(MKDIR_P) '$(DESTDIR)$(bashcompdir)' '$(DESTDIR)$(vimftdetectdir)'
	$(INSTALL_DATA) $(srcdir)/share/completions/pipec.bash '$(DESTDIR)$(bashcompdir)/pipec'
	$(INSTALL_DATA) $(srcdir)/share/syntax/ftdetect-pipe.vim '$(DESTDIR)$(vimftdetectdir)/pipe.vim'
uninstall-local: uninstall-local-share
uninstall-local-share:
	rm -f '$(DESTDIR)$(bashcompdir)/pipec' '$(DESTDIR)$(vimftdetectdir)/pipe.vim'
.PHONY: install-data-local-share uninstall-local-share

## The schema against the examples, bad fixtures and pipec (node with tests/validate's ajv).
## It reuses the npm packages that tests/validate-bundles installs, so it comes after it; in
## a parallel make check from a fresh build tree it may find none yet and skip.
TESTS += tests/schema-examples
