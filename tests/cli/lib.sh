# The setting up, counters and assertions of the tests/cli/*.sh scripts,
# which ctest runs as NAME.sh ALMANAC_BINARY SOURCE_DIR and which source
# this file first: . "$(dirname "$0")/lib.sh". It sets $bin and $src from
# those arguments, makes the work folder $work (removed at exit, after the
# script's own at_exit function if it defines one), and runs everything
# with LC_ALL=C TZ=UTC. Every assertion counts one pass or one failure; a
# failure prints "FAIL: WHAT" (with $fail_tag, if set, as "FAIL (TAG):
# WHAT"). The script ends with `finish`, whose status fails the test when
# anything failed.
set -u
bin=$1
src=$2
work=$(mktemp -d)
trap 'if declare -F at_exit >/dev/null; then at_exit; fi; rm -rf "$work"' EXIT
export LC_ALL=C TZ=UTC
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
    echo "FAIL${fail_tag:+ ($fail_tag)}: $*"
    failed=$((failed + 1))
}
# check WHAT COMMAND...: passes when COMMAND succeeds.
check() {
    local what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}
# check_sh CONDITION WHAT: passes when the shell text CONDITION, evaluated,
# succeeds (for conditions with pipes, redirections or &&).
check_sh() { if eval "$1"; then ok; else fail "$2"; fi; }
# is WHAT GOT WANT: passes when GOT is WANT, to the letter.
is() {
    if [ "$2" = "$3" ]; then ok; else
        fail "$1: got '$2', expected '$3'"
    fi
}
# has WHAT TEXT PART: passes when PART is in TEXT.
has() {
    case $2 in
    *"$3"*) ok ;;
    *) fail "$1: '$3' not in '$2'" ;;
    esac
}
# finish: prints the counts; the status is 0 only when nothing failed.
finish() {
    echo "${fail_tag:+$fail_tag: }$passed passed, $failed failed"
    [ "$failed" = 0 ]
}
