#!/usr/bin/env bash
# Builds the image with Podman without pulling anything from a registry: the Debian bookworm base is
# made from Debian packages with debootstrap and imported as localhost/debian:bookworm-slim (once),
# then container/Dockerfile is built on it.
#
#   container/build-image-offline.sh [TAG]          default TAG: localhost/todoke:0.1.0
#
# Needs root, podman, debootstrap, a Debian mirror (DEBIAN_MIRROR, default deb.debian.org), JAVA_HOME
# (a JDK 21+) and app/target/todoke-exec.jar. PODMAN_STORAGE_DRIVER=vfs where overlay is unavailable
# (inside another container). RUN steps use chroot isolation: it works without cgroups.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tag=${1:-localhost/todoke:0.1.0}
base=localhost/debian:bookworm-slim
podman=(podman ${PODMAN_STORAGE_DRIVER:+--storage-driver "$PODMAN_STORAGE_DRIVER"})

if ! "${podman[@]}" image exists "$base"; then
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  chmod 0755 "$rootfs" # it becomes the image's /: mktemp's 0700 would lock every non-root user out
  debootstrap --variant=minbase bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | "${podman[@]}" import --change 'CMD ["/bin/bash"]' - "$base"
fi

"$here/build-runtime.sh"
"${podman[@]}" build --pull=never --isolation=chroot --build-arg BASE_IMAGE="$base" -t "$tag" "$here"
