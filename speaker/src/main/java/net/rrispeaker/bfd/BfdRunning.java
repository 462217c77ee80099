package net.rrispeaker.bfd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bfdd's running configuration as far as the speaker needs it: each {@code peer} with the profile
 * it uses, and each {@code profile} with its timers. Read from {@code show running-config} of bfdd
 * (FRR 8.4 layout: {@code bfd} at the left margin, its peers and profiles one space in, their
 * settings two spaces in, each block closed by {@code exit}); lines the speaker does not know are
 * kept out of the way, never an error.
 *
 * @param peers    every configured peer, in order, with its {@code profile} ({@code null} when none)
 * @param profiles every profile by name
 */
public record BfdRunning(List<Peer> peers, Map<String, Timers> profiles) {

    /** A configured peer and the profile it names. */
    public record Peer(BfdKey key, String profile) {
    }

    /** A profile's timers; what bfdd leaves out of the running configuration is its default. */
    public record Timers(int transmitInterval, int receiveInterval, int detectMultiplier) {
        static final Timers BFDD_DEFAULTS = new Timers(300, 300, 3);
    }

    public BfdRunning {
        peers = List.copyOf(peers);
        profiles = Map.copyOf(profiles);
    }

    public static BfdRunning parse(String text) {
        List<Peer> peers = new ArrayList<>();
        Map<String, Timers> profiles = new LinkedHashMap<>();
        boolean inBfd = false;
        BfdKey peer = null;
        String peerProfile = null;
        String profile = null;
        Timers timers = null;
        for (String raw : text.split("\n")) {
            String line = raw.stripTrailing();
            int indent = line.length() - line.stripLeading().length();
            String[] t = line.strip().split("\\s+");
            if (line.isBlank() || t[0].equals("!")) {
                continue;
            }
            if (indent == 0) {
                if (peer != null) {
                    peers.add(new Peer(peer, peerProfile));
                    peer = null;
                }
                if (profile != null) {
                    profiles.put(profile, timers);
                    profile = null;
                }
                inBfd = t.length == 1 && t[0].equals("bfd");
                continue;
            }
            if (!inBfd) {
                continue;
            }
            if (indent == 1) {
                if (peer != null) {
                    peers.add(new Peer(peer, peerProfile));
                    peer = null;
                }
                if (profile != null) {
                    profiles.put(profile, timers);
                    profile = null;
                }
                if (t[0].equals("peer") && t.length >= 2) {
                    peer = key(t);
                    peerProfile = null;
                } else if (t[0].equals("profile") && t.length == 2) {
                    profile = t[1];
                    timers = Timers.BFDD_DEFAULTS;
                }
                continue;
            }
            if (peer != null && t[0].equals("profile") && t.length == 2) {
                peerProfile = t[1];
            } else if (profile != null && t.length == 2 && t[1].matches("\\d{1,9}")) {
                int v = Integer.parseInt(t[1]);
                timers = switch (t[0]) {
                    case "transmit-interval" -> new Timers(v, timers.receiveInterval(), timers.detectMultiplier());
                    case "receive-interval" -> new Timers(timers.transmitInterval(), v, timers.detectMultiplier());
                    case "detect-multiplier" -> new Timers(timers.transmitInterval(), timers.receiveInterval(), v);
                    default -> timers;
                };
            }
        }
        if (peer != null) {
            peers.add(new Peer(peer, peerProfile));
        }
        if (profile != null) {
            profiles.put(profile, timers);
        }
        return new BfdRunning(peers, profiles);
    }

    private static BfdKey key(String[] t) {
        boolean multihop = false;
        String local = null;
        String iface = null;
        String vrf = null;
        for (int i = 2; i < t.length; i++) {
            String next = i + 1 < t.length ? t[i + 1] : null;
            switch (t[i]) {
                case "multihop" -> multihop = true;
                case "local-address" -> {
                    local = next;
                    i++;
                }
                case "interface" -> {
                    iface = next;
                    i++;
                }
                case "vrf" -> {
                    vrf = next;
                    i++;
                }
                default -> {
                }
            }
        }
        return new BfdKey(t[1], multihop, local, iface, vrf);
    }
}
