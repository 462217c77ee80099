package net.rrispeaker.config;

import java.util.ArrayList;
import java.util.List;

/** A crypto map / dynamic-map entry or IPsec profile while its sub-mode is being read. */
final class EntryDraft {
    final MapEntry.Type type;
    final String map;
    final int seq;
    final String file;
    final int line;
    String dynamicMap;
    final List<CryptoPeer> peers = new ArrayList<>();
    String matchAddress;
    String connection;
    ReverseRoute reverseRoute;
    long tag;
    int distance = 1;
    String isakmpProfile;
    /** {@code set reverse-route pool prefix-list NAME} (read by {@link GuardSection#entryPool}), or null. */
    String pool;
    int poolLine;

    EntryDraft(MapEntry.Type type, String map, int seq, String file, int line) {
        this.type = type;
        this.map = map;
        this.seq = seq;
        this.file = file;
        this.line = line;
    }

    MapEntry toEntry() {
        return new MapEntry(type, map, seq, dynamicMap, peers, matchAddress, connection, reverseRoute, tag, distance,
                isakmpProfile, file, line);
    }

    IpsecProfile toProfile() {
        return new IpsecProfile(map, connection, tag, distance, isakmpProfile, file, line);
    }
}
