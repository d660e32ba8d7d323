# The counters and assertions of the tests/cli/*.sh scripts, sourced by
# each as: . "$(dirname "$0")/lib.sh". Every assertion counts one pass or
# one failure; a failure prints "FAIL: WHAT" (with $fail_tag, if set, as
# "FAIL (TAG): WHAT"). The script ends with `finish`, whose status fails
# the test when anything failed.
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
