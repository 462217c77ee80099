package net.rrispeaker.config;

/**
 * {@code crypto ipsec profile NAME}: route-based tunnels (VTI; on Linux an XFRM interface). SAs
 * bound to it always get routes via the tunnel interface ([RRI-IOS] "Support for RRI on IPsec
 * Profiles": RRI is implicit on virtual interfaces; only tag and distance are configurable).
 *
 * @param name          the profile name
 * @param connection    {@code match ipsec-connection GLOB} (Linux extension), or {@code null} (= the name)
 * @param tag           {@code set reverse-route tag N}, default 0
 * @param distance      {@code set reverse-route distance N}, default 1
 * @param isakmpProfile {@code set isakmp-profile NAME}, or {@code null}
 * @param file          the file
 * @param line          the header line
 */
public record IpsecProfile(String name, String connection, long tag, int distance, String isakmpProfile, String file,
                           int line) {
}
