# shellcheck shell=bash
# Shared by test.sh and demo.sh: make sure a Debian 12 machine has what the build and the lab
# need. Installs only what is missing; runs `apt-get update` only then. A temporary
# /usr/sbin/policy-rc.d (exit 101) keeps the packages' init scripts from starting charon or
# FRR in the root namespace; it is removed afterwards, but only if we created it.

# Why each is here (installed with --no-install-recommends, so nothing arrives by accident):
#   openjdk-17-jdk-headless, maven      build and run the speaker
#   strongswan-charon, strongswan-swanctl   the IKE daemon and its loader
#   libstrongswan-standard-plugins      charon's openssl plugin (AES-GCM, ECP/curve25519 DH): the
#                                       lab's proposals need it; without it every CHILD_SA fails
#                                       with NO_PROPOSAL_CHOSEN
#   libcharon-extra-plugins             kernel-libipsec: ESP in user space over a TUN device
#   gobgpd                              gobgpd and the gobgp CLI
#   frr                                 the upstream router (zebra, bgpd) in the lab; bfdd beside
#                                       gobgpd and in the upstream router for the BFD tests
#   iproute2, procps, iputils-ping      ip netns / veth, sysctl and kill, reachability checks
#   docker.io                           ContainerImageIT: a private dockerd (and its containerd, runc)
#                                       builds the image and runs the containerised speaker
#   debootstrap                         docker/build-image.sh --local-bases: the base images are made
#                                       here, as no container registry is reachable in CI
#   util-linux                          nsenter: dockerd enters its network namespace with it
#   keepalived                          VRRP between two headends: the redundancy group test follows
#                                       its notify FIFO, the redundant-headend lab (ha-lab.sh and its
#                                       fault suite) its notify script (the policy-rc.d below keeps its
#                                       service off)
#   libldns3 ... libcrypt1              the shared libraries libreswan's pluto and whack link against
#                                       (the Depends of Debian's libreswan package, minus the tools):
#                                       libreswan itself is not installed, see rri_install_libreswan
#   libnss3-tools                       certutil: pluto's NSS database in the libreswan lab
RRI_PACKAGES=(openjdk-17-jdk-headless maven strongswan-swanctl strongswan-charon libstrongswan-standard-plugins
              libcharon-extra-plugins gobgpd frr iproute2 procps iputils-ping docker.io debootstrap util-linux
              keepalived
              libldns3 libevent-core-2.1-7 libevent-pthreads-2.1-7 libunbound8 libcurl3-nss libldap-2.5-0
              libnss3 libnspr4 libcap-ng0 libaudit1 libpam0g libselinux1 libsystemd0 libcrypt1 libnss3-tools)

# libreswan for the libreswan integration tests (LibreswanPlutoIT): Debian's libreswan package
# conflicts with strongSwan's (strongswan-libcharon, strongswan-starter), which the other tests
# need, and would install a pluto service. So its .deb is fetched with `apt-get download` and
# unpacked with `dpkg-deb -x` into RRI_LIBRESWAN_ROOT; the test runs pluto from there, in a
# network namespace and a private mount namespace where that tree's /usr/libexec/ipsec is mounted
# where pluto expects it. Nothing of it is on the host's paths.
RRI_LIBRESWAN_ROOT=${RRI_LIBRESWAN_ROOT:-/opt/rri-libreswan}

rri_install_libreswan() {
  [ -x "$RRI_LIBRESWAN_ROOT/usr/libexec/ipsec/pluto" ] && return 0
  rri_log "unpacking libreswan into $RRI_LIBRESWAN_ROOT (not installed: it conflicts with strongSwan)"
  local tmp rc=0
  tmp=$(mktemp -d)
  { (cd "$tmp" && apt-get download libreswan) || { apt-get update && (cd "$tmp" && apt-get download libreswan); }; } \
    >/tmp/rri-apt-libreswan.log 2>&1 || rc=$?
  if [ $rc = 0 ]; then
    mkdir -p "$RRI_LIBRESWAN_ROOT" && dpkg-deb -x "$tmp"/libreswan_*.deb "$RRI_LIBRESWAN_ROOT" || rc=$?
  fi
  rm -rf "$tmp"
  [ $rc = 0 ] || rri_die "cannot fetch or unpack libreswan (exit $rc), see /tmp/rri-apt-libreswan.log"
}

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
  if [ $rc != 0 ]; then
    tail -n 30 /tmp/rri-apt.log >&2
    rri_die "apt-get failed (exit $rc), see /tmp/rri-apt.log"
  fi
  rri_log "installed: $(grep -oE '^Setting up [^ ]+' /tmp/rri-apt.log | cut -d' ' -f3 | tr '\n' ' ')"
}

rri_check_tun() {
  [ -c /dev/net/tun ] || rri_die "/dev/net/tun missing: charon's kernel-libipsec needs TUN"
}
