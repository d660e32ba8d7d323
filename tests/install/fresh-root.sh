#!/usr/bin/env bash
# The .deb packages in a fresh Debian root: builds them (README.md,
# "Installing"), unpacks a minimal bookworm root, installs the almanac
# package there with apt-get (which brings its dependencies, by Debian's
# names, and nothing of the build machine), adds man-db, then runs the
# README's main job with the installed program (check and report of a
# copy of the shipped dataset, charts through the gnuplot the package
# depends on), and reads `man almanac-fit` and `man 5 almanac`. Then it
# installs libalmanac0 and libalmanac-dev with a C compiler, and builds
# and runs tests/example/example.c through pkg-config. Every mount is
# undone (umount -l) on the way out, whatever happens.
#
# As root, with the network (apt-get):
#   tests/install/fresh-root.sh [ROOT_TAR [WORK_DIR]]
# ROOT_TAR is a minbase bookworm root as a tar (default
# /work/debroot-clean.tar; make one with `debootstrap --variant=minbase
# bookworm DIR && tar -C DIR -cf root.tar .`); WORK_DIR (default
# /work/fresh-man) is emptied and receives the root. The .deb is built in
# build-deb/ of the sources. Exits 0 when every step passed, 1 otherwise,
# 77 when not root or without the root tar.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
tarball=${1:-/work/debroot-clean.tar}
root=${2:-/work/fresh-man}
[ "$(id -u)" -eq 0 ] || {
    echo "fresh-root.sh: needs root (mount, chroot): skipped"
    exit 77
}
[ -r "$tarball" ] || {
    echo "fresh-root.sh: no root tar $tarball: skipped"
    exit 77
}
passed=0
failed=0
ok() {
    echo "ok: $*"
    passed=$((passed + 1))
}
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}
mounted=()
cleanup() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -l "${mounted[i]}" 2>/dev/null ||
            echo "fresh-root.sh: could not unmount ${mounted[i]}" >&2
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# 1. The package, as README says.
build=$src/build-deb
mkdir -p "$build"
{
    cmake -S "$src" -B "$build" -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF &&
        cmake --build "$build" -j2 &&
        (cd "$build" && rm -f ./*.deb && cpack -G DEB)
} >"$build/fresh-root.log" 2>&1 || {
    fail "building the .deb (see $build/fresh-root.log)"
    tail -20 "$build/fresh-root.log"
    exit 1
}
debs=("$build"/*.deb)
for p in almanac libalmanac0 libalmanac-dev; do
    [ -f "$(echo "$build/${p}_"*.deb)" ] && ok "built $p" || {
        fail "no ${p}_*.deb in $build"
        exit 1
    }
done

# 2. A fresh root, with /proc, /sys and /dev for apt-get and dpkg.
case $root in
/ | "") echo "fresh-root.sh: refusing root '$root'" >&2; exit 1 ;;
esac
if mountpoint -q "$root/proc" || mountpoint -q "$root/dev"; then
    echo "fresh-root.sh: $root has mounts: unmount them first" >&2
    exit 1
fi
rm -rf "$root" && mkdir -p "$root" && tar -C "$root" -xf "$tarball" ||
    { fail "unpacking $tarball"; exit 1; }
for m in proc sys dev; do
    mkdir -p "$root/$m"
    case $m in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sys "$root/sys" ;;
    dev) mount --bind /dev "$root/dev" ;;
    esac && mounted+=("$root/$m") || { fail "mount $root/$m"; exit 1; }
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/tmp/debs" && cp "${debs[@]}" "$root/tmp/debs/"
# Nothing of almanac before the install.
if chroot "$root" sh -c 'command -v almanac' >/dev/null 2>&1; then
    fail "the fresh root already has almanac"
else ok "the fresh root has no almanac"; fi

in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LC_ALL=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
        sh -c "$1"
}

# 3. The package and its dependencies, from Debian's archive; man-db to
#    read the pages.
if in_root 'apt-get update -q && apt-get install -y -q /tmp/debs/almanac_*.deb man-db' \
    >"$root/tmp/apt.log" 2>&1; then
    ok "apt-get install ./almanac_*.deb man-db"
else
    fail "apt-get install (see $root/tmp/apt.log)"
    tail -20 "$root/tmp/apt.log"
    exit 1
fi
# The program stands alone: it links libalmanac statically.
if in_root 'dpkg -s libalmanac0' >/dev/null 2>&1; then
    fail "installing almanac brought libalmanac0"
else ok "almanac needs no libalmanac0"; fi
out=$(in_root 'dpkg-query -W -f "\${Maintainer}" almanac')
[ -n "$out" ] && ok "Maintainer: $out" || fail "no Maintainer"
# The libraries it runs with are the root's, found by apt through the
# package's Depends (Debian's names), none missing.
missing=$(in_root 'ldd /usr/bin/almanac | grep "not found"')
[ -z "$missing" ] && ok "ldd /usr/bin/almanac: every library found" ||
    fail "ldd: $missing"

# 4. The README's main job with the installed program.
job='cp -r /usr/share/almanac/datasets/china-2024 /tmp/ds &&
  almanac check -d /tmp/ds &&
  almanac report -d /tmp/ds -o /tmp/report.html --to 2030'
if in_root "cd /tmp && $job" >"$root/tmp/job.log" 2>&1; then
    ok "the main job: check, report -o report.html --to 2030"
else
    fail "the main job (see $root/tmp/job.log)"
    tail -20 "$root/tmp/job.log"
fi
grep -q 'indicators, .* observations' "$root/tmp/job.log" &&
    ok "check printed the dataset's counts" || fail "check's summary"
# The report holds its charts, drawn by the root's gnuplot, inline.
if [ -s "$root/tmp/report.html" ] &&
    grep -q '<svg' "$root/tmp/report.html" &&
    grep -q 'sei_va_share_gdp_pct' "$root/tmp/report.html"; then
    ok "report.html has the indicators and their SVG charts"
else
    fail "report.html has no charts or indicators"
fi
in_root 'almanac --version' >"$root/tmp/version.log" 2>&1 &&
    grep -q '^gnuplot [0-9]' "$root/tmp/version.log" &&
    ok "almanac --version: $(tr '\n' ' ' <"$root/tmp/version.log")" ||
    fail "almanac --version: $(cat "$root/tmp/version.log")"

# 5. The manual pages, through man as a user runs it.
out=$(in_root 'MANWIDTH=80 man almanac-fit 2>&1')
case $out in
*"almanac-fit - fit and project indicators"*"--model"*) ok "man almanac-fit" ;;
*) fail "man almanac-fit: $(printf '%s\n' "$out" | head -5)" ;;
esac
out=$(in_root 'MANWIDTH=80 man 5 almanac 2>&1')
case $out in
*"OBSERVATIONS.CSV"*) ok "man 5 almanac" ;;
*) fail "man 5 almanac: $(printf '%s\n' "$out" | head -5)" ;;
esac
# man's page equals --help's text where they say the same: the options.
if in_root 'almanac fit --help' | grep -q -- '--level PCT'; then
    ok "almanac fit --help"
else fail "almanac fit --help"; fi
out=$(in_root 'whatis almanac-report 2>&1')
case $out in
*"almanac-report (1)"*) ok "whatis almanac-report (mandb indexed it)" ;;
*) fail "whatis almanac-report: $out" ;;
esac

# 6. The library for C programmers: libalmanac0 and libalmanac-dev (which
#    bring GSL's, jansson's, Nettle's, libxlsxwriter's -dev packages for
#    almanac.pc), a compiler, and the example through pkg-config.
cp "$src/tests/example/example.c" "$root/tmp/example.c"
if in_root 'apt-get install -y -q /tmp/debs/libalmanac0_*.deb \
        /tmp/debs/libalmanac-dev_*.deb gcc libc6-dev pkg-config' \
    >"$root/tmp/apt-dev.log" 2>&1; then
    ok "apt-get install ./libalmanac0_*.deb ./libalmanac-dev_*.deb gcc"
else
    fail "apt-get install the library (see $root/tmp/apt-dev.log)"
    tail -20 "$root/tmp/apt-dev.log"
fi
if in_root 'cd /tmp && cc -std=c11 -Wall -Wextra -Werror -o example example.c \
        $(pkg-config --cflags --libs almanac) &&
    ./example /usr/share/almanac/datasets/china-2024 sei_va_share_gdp_pct \
        /tmp/sei.svg' >"$root/tmp/example.log" 2>&1 &&
    grep -q '<svg' "$root/tmp/sei.svg"; then
    ok "the example, built through pkg-config, drew sei.svg"
else
    fail "the example: $(cat "$root/tmp/example.log")"
fi
in_root 'ldd /tmp/example' | grep -Eq 'libalmanac.so.0 => (/usr)?/lib/' &&
    ok "the example runs with the installed libalmanac.so.0" ||
    fail "the example does not link the installed libalmanac.so.0"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
