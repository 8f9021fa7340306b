" Vim syntax file
" Language:    pipec pipeline language (.pipe)
" Maintainer:  the pipec project
" Installed as $(datadir)/vim/vimfiles/syntax/pipe.vim; ftdetect/pipe.vim sets the filetype.
" Attribute and decorator key names follow the tables of pipec's compiler/ir.c.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" Identifiers may contain '-': keep it a keyword character so 'nightly-train' is one word.
syn iskeyword @,48-57,_,-

syn keyword pipeKeyword     pipeline step nextgroup=pipeName skipwhite
syn keyword pipeAfter       after
syn match   pipeName        contained /[A-Za-z_][A-Za-z0-9_-]*/

syn match   pipeDecorator   /@\(op\|pod\)\>/
syn match   pipeBadDecorator /@\(op\|pod\)\@![A-Za-z_][A-Za-z0-9_-]*/

" Attributes (pipeline and step level).
syn keyword pipeAttribute   namespace create_namespace image command run args labels annotations
syn keyword pipeAttribute   env secret_env env_from working_dir sequencer max_parallel on_failure ttl
syn keyword pipeAttribute   service_account image_pull_policy retries timeout pending_timeout
" @op keys.
syn keyword pipeOpKey       num_cpus memory gpu_resource_name num_gpus cuda_version cuda_strict
syn keyword pipeOpKey       cpu_limit memory_limit ephemeral_storage
" @pod keys.
syn keyword pipePodKey      node_selector affinity tolerations volumes volume_mounts host_ipc
syn keyword pipePodKey      image_pull_secrets security_context priority_class

syn keyword pipeBoolean     true false

syn match   pipeNumber      /\<-\?\d\+\(\.\d\+\)\?\>/

syn region  pipeString      start=/"/ skip=/\\\\\|\\"/ end=/"/ end=/$/ contains=pipeEscape,pipeBadEscape,@Spell
syn match   pipeBadEscape   contained /\\./
syn match   pipeEscape      contained /\\["\\nt]/
syn match   pipeEscape      contained /\\u\x\{4}/

syn match   pipeOperator    /=/
syn match   pipeDelimiter   /[{}()\[\],:]/

syn keyword pipeTodo        contained TODO FIXME XXX NOTE
syn match   pipeComment     /#.*$/ contains=pipeTodo,@Spell

hi def link pipeKeyword      Keyword
hi def link pipeAfter        Keyword
hi def link pipeName         Identifier
hi def link pipeDecorator    PreProc
hi def link pipeBadDecorator Error
hi def link pipeAttribute    Type
hi def link pipeOpKey        Special
hi def link pipePodKey       Special
hi def link pipeBoolean      Boolean
hi def link pipeNumber       Number
hi def link pipeString       String
hi def link pipeEscape       SpecialChar
hi def link pipeBadEscape    Error
hi def link pipeOperator     Operator
hi def link pipeDelimiter    Delimiter
hi def link pipeTodo         Todo
hi def link pipeComment      Comment

let b:current_syntax = 'pipe'

let &cpo = s:cpo_save
unlet s:cpo_save
