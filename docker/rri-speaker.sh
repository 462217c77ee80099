#!/bin/sh
# The image's entrypoint: `rri-speaker ARGS` runs the speaker jar with JVM flags that suit the
# command. The daemon gets a heap bounded by the container's memory limit and exits on
# OutOfMemoryError (the engine's restart policy then restarts it and the speaker resyncs);
# the short-lived client commands (health, show, reload) get a small heap and the quick JIT, so
# the HEALTHCHECK costs little. RRI_JAVA_OPTS is appended (later flags win), e.g.
#   docker run -e RRI_JAVA_OPTS='-XX:MaxRAMPercentage=50' ...
set -eu
JAR=${RRI_JAR:-/opt/rri-speaker/rri-speaker.jar}
case "${1:-}" in
  health|show|reload|--help|-h|--version|-V)
    FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -Xss512k" ;;
  *)
    FLAGS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" ;;
esac
# shellcheck disable=SC2086  # the flags are words
exec java $FLAGS ${RRI_JAVA_OPTS:-} -jar "$JAR" "$@"
