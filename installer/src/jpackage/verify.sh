#!/usr/bin/env bash
# Launches what package.sh built: the app image's two launchers, then (in CI, as root) the installed .deb.
# Usage: verify.sh OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
dist="$out/dist"
expected="$here/expected-map-demo.txt"
fail() { echo "installer check FAILED: $*" >&2; exit 1; }

check_launchers() {   # $1 = directory holding bin/nbdscope and bin/nbdscope-cli
  local home=$1 tag=$2
  echo "== $tag: nbdscope-cli --version"
  env -u DISPLAY "$home/bin/nbdscope-cli" --version || fail "$tag: nbdscope-cli --version"
  echo "== $tag: nbdscope-cli map demo (no display)"
  env -u DISPLAY "$home/bin/nbdscope-cli" map demo > "$out/$tag-map-demo.txt" || fail "$tag: nbdscope-cli map demo"
  diff -u "$expected" "$out/$tag-map-demo.txt" || fail "$tag: map demo differs from $expected"
  echo "== $tag: nbdscope --smoke under xvfb-run"
  local t0 t1
  t0=$(date +%s%N)
  # the launch time is noted inside xvfb-run, once the X server is up, just before the launcher starts
  xvfb-run -a -s "-screen 0 1400x900x24" sh -c 'echo "launched at $(date +%s%3N)"; exec "$0" --smoke --screenshot "$1"' \
    "$home/bin/nbdscope" "$out/$tag-smoke.png" > "$out/$tag-smoke.log" 2>&1 || { cat "$out/$tag-smoke.log"; fail "$tag: smoke mode"; }
  t1=$(date +%s%N)
  cat "$out/$tag-smoke.log"
  [ -s "$out/$tag-smoke.png" ] || fail "$tag: no smoke screenshot"
  local launched frame
  launched=$(sed -n 's/^launched at \([0-9]*\)$/\1/p' "$out/$tag-smoke.log")
  frame=$(sed -n 's/.*first heat-map frame: .* (at \([0-9]*\) ms since the epoch).*/\1/p' "$out/$tag-smoke.log")
  [ -n "$launched" ] && [ -n "$frame" ] || fail "$tag: smoke log lacks the launch or first-frame time"
  echo "$tag: first heat-map frame $(( frame - launched )) ms after the launcher started (target <= 2000 ms)"
  echo "$tag: smoke run took $(( (t1 - t0) / 1000000 )) ms in all (X server, JVM start, demo server, scan, screenshot)"
}

image="$dist/nbdscope"
[ -x "$image/bin/nbdscope" ] || fail "no app image at $image"
if [ -s "$image/lib/app/nbdscope.aot" ]; then echo "app image: JDK AOT cache lib/app/nbdscope.aot ($(du -h "$image/lib/app/nbdscope.aot" | cut -f1))"
else echo "WARNING: the app image has no AOT cache (train-aot.sh): slower start-up" >&2; fi
[ -x "$image/bin/nbdscope-cli" ] || fail "no nbdscope-cli launcher in the app image"
for l in nbdscope nbdscope-cli; do   # script-launchers.sh: no rpm/dpkg queries before every start
  [ "$(head -c 9 "$image/bin/$l")" = '#!/bin/sh' ] || fail "bin/$l is not the script launcher (script-launchers.sh)"
done
check_launchers "$image" app-image

deb=$(ls "$dist"/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no .deb in $dist"
size=$(stat -c %s "$deb")
echo "deb: $(basename "$deb") is $((size / 1024 / 1024)) MiB ($size bytes); target <= 60 MB"
[ "$size" -le 60000000 ] || echo "WARNING: the .deb is over the 60 MB target" >&2
depends=$(dpkg-deb -f "$deb" Depends)
listing=$(dpkg-deb -c "$deb")
[[ "$depends" == *libgtk-3-0* ]] || fail ".deb does not depend on libgtk-3-0: $depends"
[[ "$listing" == *nbdscope-nbdscope.desktop* ]] || fail ".deb has no desktop entry"
[[ "$listing" == *MimeInfo.xml* ]] || fail ".deb has no MIME type for .nbdscope session files"
[[ "$listing" == *bin/nbdscope-cli* ]] || fail ".deb has no nbdscope-cli launcher"
[[ "$listing" != *nbdscope-cli.desktop* ]] || fail "the command-line launcher must not get a desktop entry"
# a file manager opening a .nbdscope file runs the Exec line: it must pass the file (%f)
desktop_exec=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./opt/nbdscope/lib/nbdscope-nbdscope.desktop | grep '^Exec=')
[[ "$desktop_exec" == "Exec=/opt/nbdscope/bin/nbdscope %f" ]] || fail "the desktop entry does not pass the opened file: $desktop_exec"

if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
  echo "== installing $deb with dpkg -i"
  trap 'dpkg -r nbdscope >/dev/null 2>&1 || true' EXIT
  dpkg -i "$deb" || fail "dpkg -i $deb (missing dependencies? .ci/install-peers installs them)"
  check_launchers /opt/nbdscope installed
  [ "$(head -c 9 /opt/nbdscope/bin/nbdscope)" = '#!/bin/sh' ] || fail "the installed launcher is not the script launcher"
  grep -q 'application/x-nbdscope-session' /opt/nbdscope/lib/nbdscope-nbdscope.desktop \
    || fail "the installed desktop entry does not open .nbdscope session files"
  grep -qx 'Exec=/opt/nbdscope/bin/nbdscope %f' /opt/nbdscope/lib/nbdscope-nbdscope.desktop \
    || fail "the installed desktop entry does not pass the opened file (%f)"
  dpkg -r nbdscope
  trap - EXIT
  [ ! -e /opt/nbdscope/bin/nbdscope ] || fail "dpkg -r left /opt/nbdscope/bin/nbdscope behind"
  echo "installed and removed the .deb"
else
  echo "(not CI or not root: skipping dpkg -i / dpkg -r)"
fi
echo "installer checks passed"
