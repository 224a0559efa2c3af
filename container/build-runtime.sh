#!/usr/bin/env bash
# Builds what container/Dockerfile copies into the image, into container/build/:
#   runtime/    a Java runtime linked with jlink from the build JDK (the modules in container/jdk-modules)
#   todoke.jar  the executable application jar (app/target/todoke-exec.jar)
#
#   container/build-runtime.sh [--jar FILE] [--out DIR]
#   container/build-runtime.sh --check [--jar FILE]   jdeps: does container/jdk-modules cover the jar?
#
# Needs JAVA_HOME pointing at a JDK 21 or newer (jlink and jdeps; Debian bookworm packages only
# Java 17). The runtime is for the build machine's OS and CPU and uses its glibc: build the image on
# linux/amd64 for linux/amd64, on a glibc base (Debian). deploy/ runs this script in `./mvnw verify`.
# No --compress: the image layer is compressed for transport anyway, and uncompressed modules link
# four times faster and load faster.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/../app/target/todoke-exec.jar"
out="$here/build"
check=false
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --check) check=true; shift ;;
    *) echo "usage: $0 [--check] [--jar FILE] [--out DIR]" >&2; exit 2 ;;
  esac
done

java_home=${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}
if [ ! -x "$java_home/bin/jlink" ]; then
  echo "build-runtime: no jlink in $java_home (a JDK is needed, not a JRE)" >&2
  exit 1
fi
release=$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${release%%.*}" -lt 21 ]; then
  echo "build-runtime: $java_home is Java $release; Todoke needs 21 or newer" >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  echo "build-runtime: no $jar; build it first: ./mvnw -B -ntp -pl app -am package -DskipTests" >&2
  exit 1
fi
modules=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/jdk-modules" | grep -v '^$' | paste -sd, -)

if $check; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && "$java_home/bin/jar" xf "$jar" BOOT-INF)
  found=$("$java_home/bin/jdeps" --ignore-missing-deps -q --recursive --multi-release "$release" \
    --print-module-deps --class-path "$work/BOOT-INF/lib/*" "$work/BOOT-INF/classes")
  echo "jdeps finds: $found"
  missing=$(comm -23 <(tr , '\n' <<<"$found" | sort) <(tr , '\n' <<<"$modules" | sort))
  if [ -n "$missing" ]; then
    echo "build-runtime: add to container/jdk-modules: $(paste -sd, - <<<"$missing")" >&2
    exit 1
  fi
  echo "container/jdk-modules covers them (it also lists modules only loaded by name; see its comments)"
  exit 0
fi

rm -rf "$out/runtime"
mkdir -p "$out"
"$java_home/bin/jlink" \
  --add-modules "$modules" \
  --include-locales=en,ja \
  --strip-debug --no-man-pages --no-header-files \
  --output "$out/runtime"
cp "$jar" "$out/todoke.jar"
echo "build-runtime: $out/runtime (Java $release, $(du -sh "$out/runtime" | cut -f1)) and $out/todoke.jar"
