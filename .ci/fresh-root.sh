#!/usr/bin/env bash
# Runs a command in this checkout inside a brand-new Debian 12 root, so that what a developer or
# a CI machine installed by hand earlier cannot make a run pass: the root starts as a minimal
# debootstrap (minbase plus CA certificates), with no Java, no Maven repository and none of the
# lab's daemons. The README's commands must install everything they need in there.
#
#   .ci/fresh-root.sh [COMMAND...]          default COMMAND: ./test.sh
#   RRI_FRESH_KEEP=1 .ci/fresh-root.sh ...   keep the root afterwards, to look inside
#
# As root, on a Debian machine. The project copied in is this work tree's tracked files plus
# untracked files that git does not ignore (in a fresh clone: exactly the commit).
#
# The minimal base is made once with debootstrap from this machine's own apt sources and kept
# as a tarball (RRI_FRESH_BASE, default /var/tmp/rri-debian12-minbase.tar); every run unpacks a
# new copy of it. Nothing else is cached between runs: packages and Maven artifacts are fetched
# anew each time, except the container image's base root file systems that
# docker/build-image.sh --local-bases makes (RRI_IMAGE_BASES, default /var/tmp/rri-image-bases,
# bind-mounted at the same path inside the root): they hold only Debian packages, but making
# them takes ~5 min.
#
# Traps this handles, found on the machines we run on:
#  - `ip netns exec` remounts / as a slave inside the namespace; that fails unless the root
#    directory is a mount point, so the root is bind-mounted onto itself;
#  - the tarball's top directory would keep mktemp's 0700 mode, which non-root daemons (FRR
#    drops to user frr) cannot traverse: the root is chmod 755;
#  - the machine may reach the registries through a TLS-inspecting proxy whose CA lives in
#    /usr/local/share/ca-certificates: those are copied in before anything is downloaded;
#  - /run is a fresh tmpfs, so the netns directory and the daemons' pid files start empty.
# Exit status: the command's (2 when the root cannot be made).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "fresh-root: run as root" >&2; exit 2; }
cd "$(dirname "$0")/.."
PROJECT=$PWD
[ $# -gt 0 ] || set -- ./test.sh
BASE=${RRI_FRESH_BASE:-/var/tmp/rri-debian12-minbase.tar}
log() { printf '%s [fresh-root] %s\n' "$(date +%T)" "$*" >&2; }

apt_mirror() {   # the first non-security Debian mirror in this machine's apt sources
  cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | awk '$1 == "URIs:" { print $2 } $1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2) }' \
    | grep -v -- '-security' | head -n 1 || true
}

copy_trust_and_sources() {   # $1: a root; the machine's apt sources and extra CA certificates
  local r=$1
  mkdir -p "$r/etc/apt/sources.list.d" "$r/usr/local/share/ca-certificates"
  rm -f "$r/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/*.sources "$r/etc/apt/sources.list.d/" 2>/dev/null || true
  [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$r/etc/apt/sources.list"
  cp /etc/apt/apt.conf.d/99* "$r/etc/apt/apt.conf.d/" 2>/dev/null || true
  cp /usr/local/share/ca-certificates/*.crt "$r/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$r" update-ca-certificates >/dev/null 2>&1 || true
}

build_base() {
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap on this machine"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap; } \
      >/var/tmp/rri-fresh-debootstrap-install.log 2>&1 \
      || { log "cannot install debootstrap, see /var/tmp/rri-fresh-debootstrap-install.log"; exit 2; }
  fi
  local mirror build
  mirror=$(apt_mirror)
  [ -n "$mirror" ] || { log "no Debian mirror in this machine's apt sources"; exit 2; }
  build=$(mktemp -d /var/tmp/rri-fresh-build.XXXXXX)
  log "making the minimal Debian 12 base once (debootstrap --variant=minbase from $mirror)"
  if ! debootstrap --variant=minbase --include=ca-certificates bookworm "$build" "$mirror" \
       >/var/tmp/rri-fresh-debootstrap.log 2>&1; then
    log "debootstrap failed, see /var/tmp/rri-fresh-debootstrap.log"; rm -rf --one-file-system "$build"; exit 2
  fi
  copy_trust_and_sources "$build"
  rm -rf "$build/var/cache/apt/archives/"*.deb "$build/var/lib/apt/lists/"*
  tar -C "$build" -cf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE"
  rm -rf --one-file-system "$build"
}

[ -s "$BASE" ] || build_base

ROOT=$(mktemp -d /var/tmp/rri-fresh-root.XXXXXX)
MOUNTS=()
CHILD_MNT=
cleanup() {
  local p i
  # processes still running inside the root (recognised by their root directory or by the
  # command's mount namespace only)
  for p in /proc/[0-9]*; do
    if [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] \
       || { [ -n "$CHILD_MNT" ] && [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$CHILD_MNT" ]; }; then
      kill -9 "${p#/proc/}" 2>/dev/null || true
    fi
  done
  # network namespaces the command left: their bind mounts live under the root's /run/netns
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTS[$i]}" 2>/dev/null || true; done
  if [ "${RRI_FRESH_KEEP:-0}" = 1 ]; then log "kept the root: $ROOT"
  elif grep -q " $ROOT[ /]" /proc/mounts; then log "left $ROOT: something is still mounted inside"
  else rm -rf --one-file-system "$ROOT"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount --bind "$ROOT" "$ROOT"; MOUNTS+=("$ROOT")
tar -C "$ROOT" -xf "$BASE"
chmod 755 "$ROOT"
copy_trust_and_sources "$ROOT"   # the sources and certificates of today, not of the base's day
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$ROOT/proc"; MOUNTS+=("$ROOT/proc")
mount --rbind /sys "$ROOT/sys"; mount --make-rslave "$ROOT/sys"; MOUNTS+=("$ROOT/sys")
mount --rbind /dev "$ROOT/dev"; mount --make-rslave "$ROOT/dev"; MOUNTS+=("$ROOT/dev")
mount -t tmpfs tmpfs "$ROOT/run"; MOUNTS+=("$ROOT/run")
mount -t tmpfs tmpfs "$ROOT/tmp"; MOUNTS+=("$ROOT/tmp")
IMAGE_BASES=${RRI_IMAGE_BASES:-/var/tmp/rri-image-bases}
mkdir -p "$IMAGE_BASES" "$ROOT$IMAGE_BASES"
mount --bind "$IMAGE_BASES" "$ROOT$IMAGE_BASES"; MOUNTS+=("$ROOT$IMAGE_BASES")
chmod 1777 "$ROOT/tmp"

mkdir -p "$ROOT/srv/rri-speaker"
git -C "$PROJECT" ls-files -z --cached --others --exclude-standard \
  | (cd "$PROJECT" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) \
  | tar -C "$PROJECT" --null -T - -cf - | tar -C "$ROOT/srv/rri-speaker" -xf -

log "in a fresh Debian 12 root (nothing installed beyond minbase): $*"
# The command runs in a mount namespace of its own whose root mount is the fresh root (pivot_root),
# not merely chrooted: a container engine inside (ContainerImageIT's dockerd) pivots its
# containers' roots onto the root mount, and `docker exec` (so every HEALTHCHECK) enters a
# container through setns, which lands on the namespace's root mount. Under a plain chroot that
# is this machine's /, and the exec fails with "stat /usr/local/bin/...: no such file".
set +e
unshare --mount --propagation private -- /bin/sh -c '
  cd "$1" && shift && mkdir -p .fresh-old-root && pivot_root . .fresh-old-root || exit 2
  exec /usr/sbin/chroot . /bin/sh -c "umount -l /.fresh-old-root; rmdir /.fresh-old-root; exec \"\$@\"" sh "$@"
' sh "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/bash -c 'cd /srv/rri-speaker && exec "$@"' bash "$@" &
CHILD=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do   # the command's mount namespace, for the cleanup
  CHILD_MNT=$(readlink "/proc/$CHILD/ns/mnt" 2>/dev/null || true)
  [ -n "$CHILD_MNT" ] && [ "$CHILD_MNT" != "$(readlink /proc/self/ns/mnt)" ] && break
  CHILD_MNT=; sleep 0.1
done
wait "$CHILD"
rc=$?
set -e
log "exit status $rc"
exit $rc
