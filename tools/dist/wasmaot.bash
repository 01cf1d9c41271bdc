# bash completion for wasmaot (installed as bash-completion/completions/wasmaot).
# The options come from `wasmaot --help` itself, so they are the installed binary's.

# The option names of a `--help` text (first column, and the feature list), one per line.
_wasmaot_options() {
    "$1" ${2:+"$2"} --help 2>/dev/null | sed -n \
        -e 's/^  \(-[^ ]*\).*/\1/p' \
        -e 's/^  -[^ ]*, \(-[^ ]*\).*/\1/p' \
        -e 's/^    \([a-z0-9-]*\)  .*(on)$/--disable-\1/p' \
        -e 's/^    \([a-z0-9-]*\)  .*(off)$/--enable-\1/p' | sed -e 's/,$//' -e 's/=[A-Z].*$/=/'
    echo --enable-all
}

_wasmaot() {
    local cur prev words cword
    _init_completion -n = || return
    local wasmaot=${words[0]} sub=
    if [[ $cword -ge 2 ]]; then
        case ${words[1]} in run | inspect | cache) sub=${words[1]} ;; esac
    fi
    if [[ $cword -eq 1 && $cur != -* ]]; then
        COMPREPLY=($(compgen -W 'run inspect cache' -- "$cur"))
        _filedir '@(wasm|wat)'
        return
    fi
    case $sub in
    inspect) _filedir; return ;;
    cache) [[ $cword -eq 2 ]] && COMPREPLY=($(compgen -W 'info clean' -- "$cur")); return ;;
    esac
    case $prev in
    -o) _filedir; return ;;
    --dir) _filedir -d; return ;;
    --target) COMPREPLY=($(compgen -W 'x86_64-linux-gnu aarch64-linux-gnu' -- "$cur")); return ;;
    -j | --env | --tcplisten | --max-memory | --max-stack | --fuel | --timeout) return ;;
    esac
    case $cur in
    --emit=*) COMPREPLY=($(compgen -W 'exe obj llvm-ir asm shared' -- "${cur#--emit=}")); return ;;
    --target=*) COMPREPLY=($(compgen -W 'x86_64-linux-gnu aarch64-linux-gnu' -- "${cur#--target=}")); return ;;
    --cpu=*) COMPREPLY=($(compgen -W 'native x86-64 x86-64-v2 x86-64-v3 x86-64-v4' -- "${cur#--cpu=}")); return ;;
    -*)
        COMPREPLY=($(compgen -W "$(_wasmaot_options "$wasmaot" $sub)" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
        return
        ;;
    esac
    _filedir '@(wasm|wat)'
}
complete -F _wasmaot wasmaot
