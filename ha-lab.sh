#!/usr/bin/env bash
# The redundant-headend lab: two spokes with tunnels to two headends (each with strongSwan,
# gobgpd, keepalived VRRP and its own speaker; the primary announces with distance 1, the
# secondary with distance 10) and an FRR core router with iBGP to both, in network namespaces.
# Prints what each speaker announces, the core's table and the invariant check, and how to break
# things by hand; then waits for Ctrl-C (or exits at once with --once). Always cleans up.
# The fault suite: see docs/high-availability.md.
# Fresh Debian 12, as root: installs the Debian packages it needs when they are missing.
#   ./ha-lab.sh [--once]
set -euo pipefail
cd "$(dirname "$0")"
. .ci/debian-packages.sh
rri_require_root
rri_install_missing
rri_check_tun
rri_log "building (mvn -B -q package -DskipTests)"
mvn -B -q package -DskipTests
exec java -Drri.speaker.jar="$PWD/speaker/target/rri-speaker.jar" \
  -cp "integration-tests/target/classes:$(cat integration-tests/target/classpath.txt)" \
  net.rrispeaker.lab.HaDemo "$@"
