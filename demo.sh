#!/usr/bin/env bash
# Runs the speaker with a working example: a spoke and a hub strongSwan, gobgpd and an FRR
# core router in network namespaces, the speaker watching the hub; brings the tunnel up and
# prints `show crypto route`, gobgpd's RIB and FRR core's BGP table. Then waits for Ctrl-C
# (or exits at once with --once). Always cleans up.
# Fresh Debian 12, as root: installs the Debian packages it needs when they are missing.
#   ./demo.sh [--once]
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
  net.rrispeaker.lab.Demo "$@"
