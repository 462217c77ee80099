package net.rrispeaker.config;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a crypto map set ({@code crypto map NAME SEQ ipsec-isakmp [dynamic DMAP]}) or of a
 * dynamic crypto map set ({@code crypto dynamic-map NAME SEQ}), with the commands that matter for
 * routes.
 *
 * @param type          static map entry, dynamic-map parent, or dynamic-map entry
 * @param map           the map set name
 * @param seq           the sequence number (entries are tried in this order)
 * @param dynamicMap    for {@link Type#DYNAMIC_PARENT}: the dynamic-map it references; else {@code null}
 * @param peers         {@code set peer} in order (the first one is the next hop of static RRI routes)
 * @param matchAddress  {@code match address ACL}, or {@code null}
 * @param connection    {@code match ipsec-connection GLOB} (Linux extension), or {@code null}
 * @param reverseRoute  {@code reverse-route ...}, or {@code null} when RRI is off for this entry
 * @param tag           {@code set reverse-route tag N} (or legacy {@code reverse-route tag N}), default 0
 * @param distance      {@code set reverse-route distance N}, default 1
 * @param isakmpProfile {@code set isakmp-profile NAME}, or {@code null}
 * @param file          the file
 * @param line          the entry's header line
 */
public record MapEntry(Type type, String map, int seq, String dynamicMap, List<CryptoPeer> peers, String matchAddress,
                       String connection, ReverseRoute reverseRoute, long tag, int distance, String isakmpProfile,
                       String file, int line) {

    /** What kind of map entry. */
    public enum Type {
        /** {@code crypto map NAME SEQ ipsec-isakmp}: a static map entry. */
        STATIC,
        /** {@code crypto map NAME SEQ ipsec-isakmp dynamic DMAP}: binds a dynamic-map set into a crypto map set. */
        DYNAMIC_PARENT,
        /** {@code crypto dynamic-map NAME SEQ}: a dynamic map template entry. */
        DYNAMIC
    }

    public MapEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(map, "map");
        peers = List.copyOf(peers);
    }

    /** Show text of the owner: {@code crypto map mymap 10} or {@code dynamic-map ospf-clients 1}. */
    public String owner() {
        return (type == Type.DYNAMIC ? "dynamic-map " : "crypto map ") + map + " " + seq;
    }
}
