# shellcheck shell=bash
# Shared by test.sh and demo.sh: make sure a Debian 12 machine has what the build and the lab
# need. Installs only what is missing; runs `apt-get update` only then. A temporary
# /usr/sbin/policy-rc.d (exit 101) keeps the packages' init scripts from starting charon or
# FRR in the root namespace; it is removed afterwards, but only if we created it.

RRI_PACKAGES=(openjdk-17-jdk-headless maven strongswan-swanctl strongswan-charon libcharon-extra-plugins
              gobgpd frr iproute2 iputils-ping)

rri_log() { printf '%s [rri] %s\n' "$(date +%T)" "$*" >&2; }
rri_die() { rri_log "ERROR: $*"; exit 1; }

rri_require_root() {
  [ "$(id -u)" = 0 ] || rri_die "must run as root (network namespaces, charon, FRR)"
}

rri_install_missing() {
  local missing=() p
  for p in "${RRI_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  rri_log "installing missing Debian packages: ${missing[*]}"
  local made_policy=no
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=yes
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT   # also when interrupted during apt-get
  fi
  local rc=0
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } \
    >/tmp/rri-apt.log 2>&1 || rc=$?
  if [ $made_policy = yes ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  [ $rc = 0 ] || rri_die "apt-get failed (exit $rc), see /tmp/rri-apt.log"
}

rri_check_tun() {
  [ -c /dev/net/tun ] || rri_die "/dev/net/tun missing: charon's kernel-libipsec needs TUN"
}
