# Bash completion for almanac: commands, each command's options, indicator
# ids of the dataset (-d DIR, else $ALMANAC_DATASET, else the current
# folder) read from its indicators.csv, model names, and the values of
# --format, --type, --layout, --method, --transform and --aggregate.
#
# The commands and options are read from the program's own --help texts
# (`almanac --help`, `almanac CMD --help`), so they cannot drift from it.
# Installed to share/bash-completion/completions/almanac; to try it from
# the sources: source completions/almanac.bash.

# The commands: the lines "  NAME  what it does" of `almanac --help`.
_almanac_commands()
{
    "${1:-almanac}" --help 2>/dev/null |
        sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'
}

# The options of a command: every -X and --word of `almanac CMD --help`
# (`almanac NOUN VERB --help` with a verb in $3) that starts a word, an
# optional [ group or a | alternative.
_almanac_options()
{
    "$1" "$2" ${3:+"$3"} --help 2>/dev/null |
        grep -oE -- '(^|[][ |,(])--?[a-zA-Z][a-zA-Z0-9-]*' |
        sed 's/^[][ |,(]//' | sort -u
    echo --help
}

# The ids of the dataset in $1: the first field of every record of
# indicators.csv after the header. A quoted field may hold newlines, so
# the lines inside one are skipped: a record starts where the count of
# quotes seen so far is even.
_almanac_ids()
{
    local f=$1/indicators.csv
    [ -r "$f" ] || return 0
    awk 'BEGIN { inq = 0 }
         { if (!inq && NR > 1) { id = $0; sub(/,.*/, "", id); print id }
           n = gsub(/"/, "\"");
           if (n % 2) inq = !inq }' "$f"
}

_almanac()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local prog=${words[0]}
    # The program typed may be a path (build/engine/almanac).
    command -v "$prog" >/dev/null 2>&1 || prog=almanac

    local cmd="" verb="" dataset=${ALMANAC_DATASET:-.} i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -d | --dataset) dataset=${words[i + 1]} ;;
        -*) ;;
        *)
            if [ "${words[i - 1]}" = -d ]; then
                :
            elif [ -z "$cmd" ]; then
                cmd=${words[i]}
            elif [ -z "$verb" ]; then
                verb=${words[i]}
            fi
            ;;
        esac
    done
    if [ -z "$cmd" ]; then
        COMPREPLY=($(compgen -W "$(_almanac_commands "$prog") --help --version" -- "$cur"))
        return
    fi
    # The curation nouns take a verb first (README, "Curating by command").
    case $cmd in
    indicator | source | target)
        if [ -z "$verb" ]; then
            local verbs="add set list"
            [ "$cmd" = target ] && verbs="add list"
            COMPREPLY=($(compgen -W "$verbs --help" -- "$cur"))
            return
        fi
        ;;
    *) verb="" ;;
    esac

    case $prev in
    -d | --dataset | --into)
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    -o | --output | --script | --map | --x | --y)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --model)
        COMPREPLY=($(compgen -W "auto linear loglinear poly:2 poly:3 logistic drift mean theil-sen" -- "$cur"))
        return
        ;;
    --format)
        COMPREPLY=($(compgen -W "table csv json" -- "$cur"))
        return
        ;;
    --type)
        COMPREPLY=($(compgen -W "png svg pdf txt" -- "$cur"))
        return
        ;;
    --layout)
        COMPREPLY=($(compgen -W "long wide" -- "$cur"))
        return
        ;;
    --method)
        COMPREPLY=($(compgen -W "eurostat unsd" -- "$cur"))
        return
        ;;
    --transform)
        COMPREPLY=($(compgen -W "lin chg ch1 pch pc1 pca cch cca log" -- "$cur"))
        return
        ;;
    --aggregate)
        COMPREPLY=($(compgen -W "avg sum eop" -- "$cur"))
        return
        ;;
    --indicator)
        COMPREPLY=($(compgen -W "$(_almanac_ids "$dataset")" -- "$cur"))
        return
        ;;
    --to | --as-of | --since | --level | --period | --value | --vintage | \
        --size | --title | --quote | --source | --status | --qualifier | \
        --decimal | --delimiter | --frequency | --kind | --poly | --unit)
        return # a value to type
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_almanac_options "$prog" "$cmd" "$verb")" -- "$cur"))
        return
    fi
    case $cmd in
    show | fit | track | chart)
        COMPREPLY=($(compgen -W "$(_almanac_ids "$dataset")" -- "$cur"))
        ;;
    init)
        COMPREPLY=($(compgen -d -- "$cur"))
        ;;
    *)
        COMPREPLY=($(compgen -f -- "$cur"))
        ;;
    esac
}
complete -F _almanac almanac
