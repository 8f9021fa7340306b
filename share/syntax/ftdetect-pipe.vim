" Vim filetype detection for pipec's pipeline language: *.pipe files.
" Installed as $(datadir)/vim/vimfiles/ftdetect/pipe.vim.
autocmd BufNewFile,BufRead *.pipe setfiletype pipe
