#!/usr/bin/env bash
# Runs every test of rri-speaker: unit tests and the integration tests, which bring up real
# strongSwan charon, gobgpd and FRR in network namespaces of their own (nothing leaves them).
# Fresh Debian 12, as root: installs the Debian packages it needs when they are missing.
#   ./test.sh [extra mvn arguments, e.g. -Dit.test=ReverseRouteIT]
set -euo pipefail
cd "$(dirname "$0")"
. .ci/debian-packages.sh
rri_require_root
rri_install_missing
rri_install_libreswan
rri_check_tun
exec mvn -B -ntp verify "$@"
