#!/usr/bin/env bash
# Starts a built image the way a container engine would, on machines where `podman run` cannot (a
# sandbox without cgroups or setrlimit): the image's file system mounted read-only, a fresh tmpfs on
# each VOLUME (owner and mode as in the image), the image's USER, ENV, WORKDIR and ENTRYPOINT. Then it
# waits for actuator health, sends one mail with an attachment through SMTP (the dev outbox is the next
# hop), and stops the process.
#
#   container/smoke-test-image.sh [TAG]             default TAG: localhost/todoke:0.1.0
#
# Needs root (a private mount namespace), podman, curl. Ports: HTTP_PORT, SMTP_PORT, MANAGEMENT_PORT
# (default 28080, 22525, 28081), bound to 127.0.0.1 (the host's network is shared).
set -euo pipefail

if [ "${1:-}" = --inside ]; then
  # In the private mount namespace: $2 image root, $3 work dir (lists), then exec the entrypoint.
  image=$2 work=$3 root=$3/root
  mkdir -p "$root"
  mount --bind "$image" "$root"
  mount -o remount,bind,ro "$root"
  while IFS= read -r volume; do
    [ -n "$volume" ] || continue
    mount -t tmpfs -o "mode=$(stat -c %a "$root$volume"),uid=$(stat -c %u "$root$volume"),gid=$(stat -c %g "$root$volume")" \
      tmpfs "$root$volume"
  done < "$work/volumes"
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  for f in /etc/hosts /etc/resolv.conf; do
    if [ -e "$root$f" ]; then mount --bind "$f" "$root$f"; fi
  done
  mapfile -t env < "$work/env"
  mapfile -t command < "$work/command"
  exec chroot --userspec="$(cat "$work/user")" "$root" \
    /usr/bin/env -i --chdir="$(cat "$work/workdir")" "${env[@]}" "${command[@]}"
fi

tag=${1:-localhost/todoke:0.1.0}
http=${HTTP_PORT:-28080} smtp=${SMTP_PORT:-22525} management=${MANAGEMENT_PORT:-28081}
podman=(podman ${PODMAN_STORAGE_DRIVER:+--storage-driver "$PODMAN_STORAGE_DRIVER"})
inspect() { "${podman[@]}" image inspect --format "$1" "$tag"; }

work=$(mktemp -d)
image=$("${podman[@]}" image mount "$tag")
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" || true
  fi
  "${podman[@]}" image unmount "$tag" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

inspect '{{.Config.User}}' > "$work/user"
inspect '{{.Config.WorkingDir}}' > "$work/workdir"
inspect '{{range .Config.Env}}{{println .}}{{end}}' | grep -v '^$' > "$work/env"
inspect '{{range $k, $v := .Config.Volumes}}{{println $k}}{{end}}' > "$work/volumes"
{
  inspect '{{range .Config.Entrypoint}}{{println .}}{{end}}{{range .Config.Cmd}}{{println .}}{{end}}' | grep -v '^$'
  printf '%s\n' --server.address=127.0.0.1 "--server.port=$http" --todoke.smtp.host=127.0.0.1 \
    "--todoke.smtp.port=$smtp" --management.server.address=127.0.0.1 "--management.server.port=$management" \
    "--todoke.public-url=http://127.0.0.1:$http" --todoke.storage.warm-up=0
} > "$work/command"
echo "smoke-test: $tag as user $(cat "$work/user") in $(cat "$work/workdir"), volumes: $(paste -sd' ' "$work/volumes")"

unshare --mount --propagation private "$0" --inside "$image" "$work" > "$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 180); do
  if curl -sf "http://127.0.0.1:$management/actuator/health" > "$work/health"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/log" >&2; echo "smoke-test: exited" >&2; exit 1; fi
  sleep 1
done
grep -q '"status":"UP"' "$work/health" || { tail -40 "$work/log" >&2; echo "smoke-test: no health" >&2; exit 1; }
echo "smoke-test: health $(cat "$work/health")"

printf '%s\r\n' 'From: alice@example.com' 'To: bob@partner.example' 'Subject: smoke test' 'MIME-Version: 1.0' \
  'Content-Type: multipart/mixed; boundary=b' '' '--b' 'Content-Type: text/plain' '' 'hello' '--b' \
  'Content-Type: application/octet-stream' 'Content-Disposition: attachment; filename="a.bin"' \
  'Content-Transfer-Encoding: base64' '' 'aGVsbG8gd29ybGQ=' '--b--' > "$work/mail.eml"
curl -sS --max-time 60 "smtp://127.0.0.1:$smtp" --mail-from alice@example.com --mail-rcpt bob@partner.example \
  -T "$work/mail.eml"
curl -sf "http://127.0.0.1:$http/outbox" | grep -q notice || { echo "smoke-test: no notice in the outbox" >&2; exit 1; }
echo "smoke-test: mail accepted, the recipient's notice is in the dev outbox; stopping"
