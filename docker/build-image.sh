#!/usr/bin/env bash
# Builds the rri-speaker container image from docker/Dockerfile (a Maven/JDK build stage, then a
# JRE runtime stage running as a non-root user).
#
#   docker/build-image.sh [-t TAG] [--local-bases] [--maven-repo DIR] [--save FILE]
#
# With access to a registry nothing else is needed: the Dockerfile's defaults pull
# maven:3.9-eclipse-temurin-17 and eclipse-temurin:17-jre, and Maven in the build stage fetches
# the dependencies (this is what `docker build -f docker/Dockerfile .` does too).
#
# Without one (CI, air-gapped build hosts):
#   --local-bases     makes both base images here instead of pulling them: a Debian 12 minbase
#                     (debootstrap from this machine's apt sources) with openjdk-17-jre-headless
#                     (rri-local/jre:17) and with openjdk-17-jdk-headless and maven
#                     (rri-local/maven:17), and passes them to the Dockerfile as RUNTIME_IMAGE and
#                     BUILD_IMAGE. Their root file systems are kept as tarballs in RRI_IMAGE_BASES
#                     (default /var/tmp/rri-image-bases): the first run takes ~3 min, later ones
#                     only import them (~20 s). Delete the directory to refresh them.
#   --maven-repo DIR  a Maven repository holding everything `mvn package` of proto and speaker
#                     needs (e.g. ~/.m2/repository after a build); it goes into the build context
#                     and the build stage runs Maven offline against it.
#   --save FILE       also writes the image with `docker save` (for `docker load` elsewhere).
#
# The engine is whatever the docker CLI reaches (DOCKER_HOST); DOCKER names the CLI (default: docker).
# The classic builder is used (DOCKER_BUILDKIT=0): it needs no network of its own for RUN steps.
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=$PWD
DOCKER=${DOCKER:-docker}
BASES=${RRI_IMAGE_BASES:-/var/tmp/rri-image-bases}
TAG=rri-speaker:latest
LOCAL_BASES=no
MAVEN_REPO=
SAVE=
log() { printf '%s [build-image] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    -t) TAG=$2; shift 2 ;;
    --local-bases) LOCAL_BASES=yes; shift ;;
    --maven-repo) MAVEN_REPO=$2; shift 2 ;;
    --save) SAVE=$2; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ -z "$MAVEN_REPO" ] || [ -d "$MAVEN_REPO" ] || die "--maven-repo $MAVEN_REPO: not a directory"

apt_mirror() {   # the first non-security Debian mirror in this machine's apt sources
  cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | awk '$1 == "URIs:" { print $2 } $1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2) }' \
    | grep -v -- '-security' | head -n 1 || true
}

# apt-get install in a chroot, with this machine's apt sources, proxy settings and extra CAs.
chroot_install() {   # $1 root, then packages
  local r=$1; shift
  mkdir -p "$r/etc/apt/sources.list.d" "$r/usr/local/share/ca-certificates"
  rm -f "$r/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/*.sources "$r/etc/apt/sources.list.d/" 2>/dev/null || true
  [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$r/etc/apt/sources.list"
  cp /etc/apt/apt.conf.d/99* "$r/etc/apt/apt.conf.d/" 2>/dev/null || true
  cp /usr/local/share/ca-certificates/*.crt "$r/usr/local/share/ca-certificates/" 2>/dev/null || true
  cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
  printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d"; chmod +x "$r/usr/sbin/policy-rc.d"
  mount -t proc proc "$r/proc"
  local rc=0
  chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive sh -c \
    'update-ca-certificates >/dev/null 2>&1; apt-get update -q && apt-get install -y -q --no-install-recommends "$@"' \
    sh "$@" >>"$BASES/make.log" 2>&1 || rc=$?
  umount "$r/proc"
  rm -f "$r/usr/sbin/policy-rc.d"
  [ $rc = 0 ] || die "apt-get install $* in the base failed, see $BASES/make.log"
}

# A root file system as an image tarball: without apt's lists and caches, with no machine's
# sources, proxy or resolver left in it.
pack_rootfs() {   # $1 root, $2 tarball
  local r=$1
  rm -rf "$r/var/lib/apt/lists/"* "$r/var/cache/apt/"*.bin "$r/var/cache/apt/archives/"*.deb
  rm -f "$r/etc/apt/apt.conf.d/99"* "$r/etc/resolv.conf"
  tar -C "$r" --numeric-owner -cf "$2.tmp" . && mv "$2.tmp" "$2"
}

make_bases() {
  mkdir -p "$BASES"
  : > "$BASES/make.log"
  command -v debootstrap >/dev/null || die "--local-bases needs debootstrap (apt-get install debootstrap)"
  [ "$(id -u)" = 0 ] || die "--local-bases needs root (debootstrap, chroot)"
  local mirror r
  mirror=$(apt_mirror)
  [ -n "$mirror" ] || die "no Debian mirror in this machine's apt sources"
  r=$(mktemp -d /var/tmp/rri-image-root.XXXXXX)
  BASE_ROOT=$r
  log "making the base images once: debootstrap --variant=minbase bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$r" "$mirror" >>"$BASES/make.log" 2>&1 \
    || die "debootstrap failed, see $BASES/make.log"
  log "base: openjdk-17-jre-headless"
  chroot_install "$r" openjdk-17-jre-headless
  pack_rootfs "$r" "$BASES/jre-17.tar"
  log "base: openjdk-17-jdk-headless, maven"
  chroot_install "$r" openjdk-17-jdk-headless maven
  pack_rootfs "$r" "$BASES/maven-17.tar"
  rm -rf --one-file-system "$r"
  BASE_ROOT=
}

BASE_ROOT=
CTX=
cleanup() {
  if [ -n "$BASE_ROOT" ]; then
    mountpoint -q "$BASE_ROOT/proc" && umount "$BASE_ROOT/proc"
    rm -rf --one-file-system "$BASE_ROOT"
  fi
  [ -z "$CTX" ] || rm -rf --one-file-system "$CTX"
}
trap cleanup EXIT

BUILD_ARGS=()
if [ $LOCAL_BASES = yes ]; then
  if [ ! -s "$BASES/jre-17.tar" ] || [ ! -s "$BASES/maven-17.tar" ]; then
    make_bases
  fi
  for b in jre maven; do
    if ! "$DOCKER" image inspect "rri-local/$b:17" >/dev/null 2>&1; then
      log "importing rri-local/$b:17 from $BASES/$b-17.tar"
      "$DOCKER" import -c 'ENV LANG=C.UTF-8' "$BASES/$b-17.tar" "rri-local/$b:17" >/dev/null
    fi
  done
  BUILD_ARGS+=(--build-arg BUILD_IMAGE=rri-local/maven:17 --build-arg RUNTIME_IMAGE=rri-local/jre:17)
fi

# The context: the tracked (and not ignored) files of a git checkout, else (an exported tree, as
# in CI) everything but build output; plus the Maven repository.
CTX=$(mktemp -d /var/tmp/rri-image-ctx.XXXXXX)
if command -v git >/dev/null && git -C "$PROJECT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$PROJECT" ls-files -z --cached --others --exclude-standard \
    | (cd "$PROJECT" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) \
    | tar -C "$PROJECT" --null -T - -cf - | tar -C "$CTX" -xf -
else
  tar -C "$PROJECT" --exclude=./.git --exclude='./*/target' --exclude=./docker/containerlab/lab -cf - . \
    | tar -C "$CTX" -xf -
fi
if [ -n "$MAVEN_REPO" ]; then
  # hard links when the repository is on the same file system (no copy), else a copy
  cp -al "$MAVEN_REPO" "$CTX/.m2repo" 2>/dev/null || { rm -rf "$CTX/.m2repo"; cp -a "$MAVEN_REPO" "$CTX/.m2repo"; }
  BUILD_ARGS+=(--build-arg "MAVEN_FLAGS=-o -Dmaven.repo.local=/src/.m2repo")
fi

log "docker build -t $TAG ${BUILD_ARGS[*]}"
DOCKER_BUILDKIT=0 "$DOCKER" build -f "$CTX/docker/Dockerfile" -t "$TAG" "${BUILD_ARGS[@]}" "$CTX" >&2
log "built $TAG ($("$DOCKER" image inspect -f '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
if [ -n "$SAVE" ]; then
  "$DOCKER" save -o "$SAVE" "$TAG"
  log "saved $TAG to $SAVE"
fi
