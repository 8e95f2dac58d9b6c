#!/usr/bin/env bash
# Replaces jpackage's native Linux launchers (bin/NAME) with shell scripts that start the same JVM the
# same way: the class path, main class and java-options of lib/app/NAME.cfg, with $APPDIR resolved
# from the script's own location (so the tree may move, as the .deb moves it to /opt/nbdscope).
#
# Why: jpackage's Linux launcher asks the package managers who owns it before every start (its launcher
# and its launcher library each run `rpm -qf` and then `dpkg -S` on the launcher's path). `dpkg -S` reads
# every installed package's file list: on a Debian desktop with ~700 packages that is 0.4-0.5 s each, so
# ~1 s of every start, before the JVM even begins, whether or not the app came from a package.
# Usage: script-launchers.sh APP_ROOT   (the directory holding bin/ and lib/app/)
set -euo pipefail
root=$1
for cfg in "$root"/lib/app/*.cfg; do
  name=$(basename "$cfg" .cfg)
  [ -f "$root/bin/$name" ] || { echo "script-launchers: no launcher bin/$name for $cfg" >&2; exit 1; }
  main='' cp='' opts=()
  while IFS= read -r line; do
    case "$line" in
      app.mainclass=*) main=${line#app.mainclass=} ;;
      app.classpath=*) cp="${cp:+$cp:}${line#app.classpath=}" ;;
      java-options=*) opts+=("${line#java-options=}") ;;
      app.mainjar=*|app.mainmodule=*) echo "script-launchers: $cfg: ${line%%=*} is not supported" >&2; exit 1 ;;
    esac
  done < "$cfg"
  [ -n "$main" ] && [ -n "$cp" ] || { echo "script-launchers: $cfg has no main class or class path" >&2; exit 1; }
  # "$APPDIR" stays for the script to expand; everything else is quoted as it was written
  q() { local s=$1; s=${s//\'/\'\\\'\'}; s="'$s'"; printf '%s' "${s//\$APPDIR/\'\"\$APPDIR\"\'}"; }
  {
    echo '#!/bin/sh'
    echo "# $name: starts the app's JVM as lib/app/$name.cfg says (made by installer/src/jpackage/script-launchers.sh"
    echo "# in place of jpackage's native launcher, which queries rpm and dpkg at every start)."
    echo 'self=$(readlink -f "$0")'
    echo 'APPDIR=${self%/bin/*}/lib/app'
    printf 'exec "$APPDIR/../runtime/bin/java"'
    for o in "${opts[@]}"; do printf ' %s' "$(q "$o")"; done
    printf ' -cp %s %s "$@"\n' "$(q "$cp")" "$(q "$main")"
  } > "$root/bin/$name.tmp"
  chmod 755 "$root/bin/$name.tmp"
  mv -f "$root/bin/$name.tmp" "$root/bin/$name"
done
