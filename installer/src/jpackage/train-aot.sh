#!/usr/bin/env bash
# Gives a Linux app image a JDK ahead-of-time cache (JDK 25 -XX:AOTCacheOutput): one training run of the
# desktop app's smoke path (open the demo, scan it, first heat-map frame, screenshot) under xvfb-run, made
# with the image's own launcher and runtime, so class path and JDK match by construction. Both launchers
# then start with -XX:AOTCache=$APPDIR/nbdscope.aot (jpackage's launcher expands $APPDIR), which loads the
# classes of that path (JavaFX, the engine, Netty, picocli) already parsed, verified and linked.
# The cache stays valid when the image moves (the .deb installs it under /opt/nbdscope): the JDK checks
# the class path relative to the image. Without xvfb-run, or if training fails, the image keeps no cache
# and starts as before.
# Usage: train-aot.sh APP_IMAGE_DIR
set -euo pipefail
image=$1
app="$image/lib/app"
aot="$app/nbdscope.aot"
log="$image/../aot-training.log"
command -v xvfb-run >/dev/null || { echo "train-aot: no xvfb-run: the app image gets no AOT cache"; exit 0; }

cfgs=("$app/nbdscope.cfg" "$app/nbdscope-cli.cfg")
for c in "${cfgs[@]}"; do
  [ -f "$c" ] || { echo "train-aot: no $c" >&2; exit 1; }
  # the [JavaOptions] section must be the last one: options are appended to it
  [ "$(grep '^\[' "$c" | tail -1)" = "[JavaOptions]" ] || { echo "train-aot: $c does not end with [JavaOptions]" >&2; exit 1; }
done

cp "${cfgs[0]}" "${cfgs[0]}.orig"
echo 'java-options=-XX:AOTCacheOutput=$APPDIR/nbdscope.aot' >> "${cfgs[0]}"
ok=0
if xvfb-run -a -s "-screen 0 1400x900x24" "$image/bin/nbdscope" --smoke --screenshot "$image/../aot-training.png" > "$log" 2>&1 \
    && [ -s "$aot" ]; then
  ok=1
fi
mv -f "${cfgs[0]}.orig" "${cfgs[0]}"
rm -f "$aot.config" "$image/../aot-training.png"
if [ "$ok" = 1 ]; then
  for c in "${cfgs[@]}"; do echo 'java-options=-XX:AOTCache=$APPDIR/nbdscope.aot' >> "$c"; done
  echo "train-aot: $(du -h "$aot" | cut -f1) AOT cache at ${aot#"$image"/} for both launchers"
else
  rm -f "$aot"
  echo "train-aot: training failed, the app image gets no AOT cache:"
  cat "$log"
fi
