#!/usr/bin/env bash
# Makes what docker/containerlab/rri.clab.yml needs on the containerlab host: the images of its
# nodes (the speaker's from docker/Dockerfile, charon's and gobgpd's from docker/compose/) and
# ./lab, the directory of the hub's sockets: group 10001 (the speaker's group rri) with the setgid
# bit, so the sockets gobgpd makes there belong to that group too.
#   docker/containerlab/prepare.sh [extra docker/build-image.sh arguments]
set -euo pipefail
cd "$(dirname "$0")"
../build-image.sh -t rri-speaker:latest "$@"
docker build -q -t rri-charon:local -f ../compose/charon.Dockerfile ../compose >/dev/null
docker build -q -t rri-gobgpd:local -f ../compose/gobgpd.Dockerfile ../compose >/dev/null
install -d -g 10001 -m 2770 lab lab/hub
install -d -m 0755 lab/spoke
echo "ready: sudo containerlab deploy -t $PWD/rri.clab.yml"
