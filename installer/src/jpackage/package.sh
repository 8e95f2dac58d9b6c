#!/usr/bin/env bash
# Builds the trimmed runtime (jlink) and the installers (jpackage): an app image, a .deb, an .rpm when
# rpmbuild is present; on Windows/macOS the same script makes .msi/.dmg from windows.args/mac.args.
# On Linux train-aot.sh gives the app image a JDK AOT cache, which the packages then carry too, and
# script-launchers.sh replaces jpackage's native launchers in the app image and the .deb (see there why).
# Usage: package.sh APP_TARGET_DIR OUT_DIR VERSION
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
app_target=$1; out=$2; version=$3
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
bin="$JAVA_HOME/bin"
rm -rf "$out"; mkdir -p "$out/input" "$out/dist"
cp "$app_target/nbdscope-app.jar" "$out/input/"
cp "$app_target"/lib/*.jar "$out/input/"
# JavaFX comes as -linux jars on the class path; the platform-neutral twins are empty and not needed.
for j in "$out"/input/javafx-*.jar; do case "$j" in *-linux.jar|*-win.jar|*-mac*.jar) ;; *) rm -f "$j";; esac; done
# jpackage versions must be numeric
ver=${version%%-*}

# The JDK modules the app really uses (jdeps over the app and its libraries; JavaFX's needs added).
modules=$(cat "$here/modules.txt" | grep -v '^#' | paste -sd, -)
"$bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress zip-9 --output "$out/runtime"

jpackage() { "$bin/jpackage" "$@"; }
app_image() {   # the app image with both launchers, from the jars and the trimmed runtime
  jpackage --type app-image @"$here/common.args" @"$here/app.args" --app-version "$ver" \
    --input "$out/input" --runtime-image "$out/runtime" \
    --add-launcher nbdscope-cli="$here/nbdscope-cli.properties" \
    --icon "$here/nbdscope.png" --dest "$out/dist"
}

case "$(uname -s)" in
  Linux)
    # app image -> a JDK AOT cache trained inside it (train-aot.sh) -> the same cache in the .deb (and .rpm),
    # whose launchers are made from the same jars and runtime, so the installed app starts from it too
    # Netty's epoll library as a file in lib/app/native, found through java.library.path (the JDK's default
    # directories kept after it): Netty then loads it in place instead of copying it to a temporary file
    # at every start
    mkdir -p "$out/input/native"
    cp "$app_target"/native/META-INF/native/*.so "$out/input/native/"
    native_opt='-Djava.library.path=$APPDIR/native:/usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib'
    app_image
    for c in "$out"/dist/nbdscope/lib/app/*.cfg; do echo "java-options=$native_opt" >> "$c"; done
    bash "$here/train-aot.sh" "$out/dist/nbdscope"
    bash "$here/script-launchers.sh" "$out/dist/nbdscope"
    cli_props="$out/nbdscope-cli.properties" pkg_opts=(--java-options "$native_opt") cli_extra="$native_opt"
    if [ -s "$out/dist/nbdscope/lib/app/nbdscope.aot" ]; then
      cp "$out/dist/nbdscope/lib/app/nbdscope.aot" "$out/input/"
      cli_extra="$cli_extra -XX:AOTCache=\$APPDIR/nbdscope.aot"
      pkg_opts+=(--java-options '-XX:AOTCache=$APPDIR/nbdscope.aot')
    fi
    awk -v extra="$cli_extra" '/^java-options=/ {print $0 " " extra; next} {print}' "$here/nbdscope-cli.properties" > "$cli_props"
    types=deb; command -v rpmbuild >/dev/null && types="$types rpm"
    for t in $types; do
      jpackage --type "$t" @"$here/common.args" @"$here/app.args" "${pkg_opts[@]}" --app-version "$ver" \
        --input "$out/input" --runtime-image "$out/runtime" \
        --add-launcher nbdscope-cli="$cli_props" --icon "$here/nbdscope.png" \
        --license-file "$here/LICENSE" --file-associations "$here/session-files.properties" \
        --resource-dir "$here/resources/linux" @"$here/linux.args" --dest "$out/dist"
    done
    # the .deb gets the script launchers too (dpkg-deb repacks it; the .rpm keeps jpackage's launchers)
    deb=$(ls "$out"/dist/*.deb)
    rm -rf "$out/deb-root"
    dpkg-deb -R "$deb" "$out/deb-root"
    bash "$here/script-launchers.sh" "$out/deb-root/opt/nbdscope"
    dpkg-deb --root-owner-group -Zxz -b "$out/deb-root" "$deb" >/dev/null
    rm -rf "$out/deb-root"
    ;;
  *)
    case "$(uname -s)" in Darwin) plat=mac.args; types="app-image dmg" ;; *) plat=windows.args; types="app-image msi" ;; esac
    for t in $types; do
      extra=()
      [ "$t" != app-image ] && extra=(--license-file "$here/LICENSE" --file-associations "$here/session-files.properties" "@$here/$plat")
      jpackage --type "$t" @"$here/common.args" @"$here/app.args" --app-version "$ver" \
        --input "$out/input" --runtime-image "$out/runtime" \
        --add-launcher nbdscope-cli="$here/nbdscope-cli.properties" \
        --icon "$here/nbdscope.png" --dest "$out/dist" "${extra[@]}"
    done
    ;;
esac
ls -la "$out/dist"
