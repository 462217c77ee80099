# strongSwan charon for docker/compose.yaml: Debian's packages, swanctl loaded by charon itself
# (start-scripts in strongswan.conf). Group rri (gid 10001, the speaker's) gets the VICI socket.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libcharon-extra-plugins \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 rri \
 && mkdir -p /run/charon && chown root:rri /run/charon && chmod 0750 /run/charon
ENTRYPOINT ["/usr/lib/ipsec/charon"]
HEALTHCHECK --interval=15s --timeout=5s CMD ["swanctl", "--stats", "--uri", "unix:///run/charon/charon.vici"]
