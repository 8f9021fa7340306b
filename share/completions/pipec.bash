# bash completion for pipec(1) -- subcommands, their options, and pipeline files
# (.pipe, .yaml, .yml). Installed as $(datadir)/bash-completion/completions/pipec.

_pipec_files()
{
	# Pipeline files and directories to descend into.
	_filedir '@(pipe|yaml|yml)'
}

_pipec()
{
	local cur prev words cword
	_init_completion -s || return

	local commands='build check plan fmt convert run'
	local cmd='' i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*)
			cmd=${words[i]}
			break
			;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	# Option arguments.
	case $prev in
	-o | --output)
		COMPREPLY=($(compgen -W '-' -- "$cur"))
		_filedir -d
		return
		;;
	--logs)
		_filedir -d
		return
		;;
	--run-id)
		COMPREPLY=($(compgen -W 'hash' -- "$cur"))
		return
		;;
	--lang)
		COMPREPLY=($(compgen -W 'pipe yaml' -- "$cur"))
		return
		;;
	--to)
		COMPREPLY=($(compgen -W 'yaml pipe' -- "$cur"))
		return
		;;
	-n | --namespace | --runtime-image | --max-parallel)
		# Free-form values.
		return
		;;
	esac
	[[ $split == true ]] && return

	local opts
	case $cmd in
	build) opts='-o --output --run-id -n --namespace --runtime-image --kustomize --stats --lang -h --help' ;;
	check) opts='--lang -h --help' ;;
	plan) opts='--json --lang -h --help' ;;
	fmt) opts='-w --check -h --help' ;;
	convert) opts='--to -h --help' ;;
	run) opts='--max-parallel --dry-run --logs -h --help' ;;
	*) opts='' ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		return
	fi
	case $cmd in
	fmt) _filedir pipe ;;
	*) _pipec_files ;;
	esac
} &&
	complete -F _pipec pipec
