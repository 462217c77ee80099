# gobgpd for docker/compose.yaml: Debian's package. Its gRPC API is a Unix socket in /run/gobgp,
# a directory of group rri (gid 10001, the speaker's) with the setgid bit, so the socket, made
# with umask 0007, is rw for that group and nobody else.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gobgpd \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 rri \
 && mkdir -p /run/gobgp && chown root:rri /run/gobgp && chmod 2750 /run/gobgp
ENTRYPOINT ["/bin/sh", "-c", "umask 0007 && rm -f /run/gobgp/gobgp.sock && exec gobgpd -f /etc/gobgp/gobgpd.toml --api-hosts unix:///run/gobgp/gobgp.sock --pprof-disable \"$@\"", "gobgpd"]
HEALTHCHECK --interval=15s --timeout=5s CMD ["gobgp", "--target", "unix:///run/gobgp/gobgp.sock", "global"]
