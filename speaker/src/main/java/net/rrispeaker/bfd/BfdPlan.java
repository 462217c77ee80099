package net.rrispeaker.bfd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.rrispeaker.config.BfdSettings;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.sink.gobgp.Neighbour;

/**
 * What bfdd should hold, from gobgpd's neighbours and bfdd's running configuration, and the one
 * vtysh transaction that gets it there. Pure: no I/O.
 *
 * <p>Rules:
 * <ul>
 *   <li>A bfdd peer is the speaker's when it uses the speaker's profile ({@code rri bfd profile},
 *       default {@code rri-speaker}); the speaker adds, changes and removes only those. Every other
 *       peer is the operator's.</li>
 *   <li>Every neighbour that is not shut down wants one single-hop peer: its address, the session's
 *       local address (gobgpd's configured or established one; when gobgpd reports none, the local
 *       address of the speaker's existing peer for it, so the session is not re-created), its
 *       interface (unnumbered neighbours) and VRF.</li>
 *   <li>A neighbour for which the operator has a peer of their own (same address and VRF, any
 *       local address) gets none from the speaker: two sessions would answer one neighbour.</li>
 *   <li>A neighbour whose address, local address, interface or VRF is not well-formed is skipped
 *       and reported (the text goes into vtysh commands).</li>
 *   <li>Every peer of the speaker's that no neighbour wants is removed.</li>
 *   <li>The profile is (re)written when it is missing or its timers differ from the settings.</li>
 * </ul>
 *
 * @param wanted  the peers the speaker wants, by neighbour, in neighbour order
 * @param add     peers to create
 * @param remove  peers of the speaker's to remove
 * @param profile the profile must be written (missing or different timers)
 * @param skipped neighbours that get no peer, with why
 */
public record BfdPlan(List<Wanted> wanted, List<BfdKey> add, List<BfdKey> remove, boolean profile,
                      List<Skipped> skipped) {

    /** A neighbour and the peer the speaker keeps for it. */
    public record Wanted(Neighbour neighbour, BfdKey key) {
    }

    /** A neighbour without a peer of the speaker's, and why; {@code operator} is their peer, if that is why. */
    public record Skipped(Neighbour neighbour, String reason, BfdKey operator, boolean invalid) {
    }

    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");
    private static final Pattern VRF = Pattern.compile("[A-Za-z0-9_.-]{1,36}");

    public BfdPlan {
        wanted = List.copyOf(wanted);
        add = List.copyOf(add);
        remove = List.copyOf(remove);
        skipped = List.copyOf(skipped);
    }

    public boolean empty() {
        return add.isEmpty() && remove.isEmpty() && !profile;
    }

    public static BfdPlan of(List<Neighbour> neighbours, BfdRunning running, BfdSettings settings) {
        String name = settings.profile();
        Map<BfdKey, Boolean> ours = new LinkedHashMap<>();
        List<BfdKey> operators = new ArrayList<>();
        for (BfdRunning.Peer p : running.peers()) {
            if (name.equals(p.profile())) {
                ours.put(p.key(), true);
            } else {
                operators.add(p.key());
            }
        }
        List<Wanted> wanted = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<BfdKey> keep = new LinkedHashSet<>();
        for (Neighbour n : neighbours) {
            if (n.adminDown()) {
                skipped.add(new Skipped(n, "neighbour shut down in gobgpd", null, false));
                continue;
            }
            String peer = canonical(n.address());
            if (peer == null) {
                skipped.add(new Skipped(n, "neighbour address '" + shown(n.address()) + "' is not an IP address", null, true));
                continue;
            }
            String local = unspecified(n.localAddress()) ? null : canonical(n.localAddress());
            if (!unspecified(n.localAddress()) && local == null) {
                skipped.add(new Skipped(n, "local address '" + shown(n.localAddress()) + "' is not an IP address", null, true));
                continue;
            }
            if (!n.iface().isEmpty() && !IFACE.matcher(n.iface()).matches()) {
                skipped.add(new Skipped(n, "interface '" + shown(n.iface()) + "' is not an interface name", null, true));
                continue;
            }
            if (!n.vrf().isEmpty() && !VRF.matcher(n.vrf()).matches()) {
                skipped.add(new Skipped(n, "vrf '" + shown(n.vrf()) + "' is not a VRF name", null, true));
                continue;
            }
            BfdKey probe = new BfdKey(peer, false, local, n.iface(), n.vrf());
            BfdKey operator = operators.stream().filter(probe::sameNeighbour).findFirst().orElse(null);
            if (operator != null) {
                skipped.add(new Skipped(n, "the operator's own bfdd peer '" + operator + "' covers it", operator, false));
                continue;
            }
            if (local == null) { // keep the local address of the peer we already have, if any
                local = ours.keySet().stream()
                        .filter(k -> k.sameNeighbour(probe) && !k.multihop() && java.util.Objects.equals(k.iface(), probe.iface()))
                        .map(BfdKey::local).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            }
            BfdKey key = new BfdKey(peer, false, local, n.iface(), n.vrf());
            if (keep.add(key)) {
                wanted.add(new Wanted(n, key));
            }
        }
        List<BfdKey> add = keep.stream().filter(k -> !ours.containsKey(k)).toList();
        List<BfdKey> remove = ours.keySet().stream().filter(k -> !keep.contains(k)).toList();
        BfdRunning.Timers want = new BfdRunning.Timers(settings.transmitInterval(), settings.receiveInterval(),
                settings.detectMultiplier());
        boolean profile = !want.equals(running.profiles().get(name));
        return new BfdPlan(wanted, add, remove, profile, skipped);
    }

    /**
     * The vtysh transaction ({@code vtysh -f}): the profile first (peers name it), then removals, then
     * additions. Empty when there is nothing to do.
     */
    public String text(BfdSettings settings) {
        if (empty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("bfd\n");
        if (profile) {
            b.append(" profile ").append(settings.profile()).append('\n')
                    .append("  transmit-interval ").append(settings.transmitInterval()).append('\n')
                    .append("  receive-interval ").append(settings.receiveInterval()).append('\n')
                    .append("  detect-multiplier ").append(settings.detectMultiplier()).append('\n')
                    .append(" exit\n");
        }
        for (BfdKey k : remove) {
            b.append(" no ").append(k.command()).append('\n');
        }
        for (BfdKey k : add) {
            b.append(' ').append(k.command()).append('\n')
                    .append("  profile ").append(settings.profile()).append('\n')
                    .append(" exit\n");
        }
        return b.append("exit\n").toString();
    }

    /** No local address: gobgpd reports none, or the unspecified address. */
    static boolean unspecified(String text) {
        return text.isEmpty() || "0.0.0.0".equals(text) || "::".equals(text);
    }

    /** Canonical text of a strict address literal, {@code null} if it is not one. */
    static String canonical(String text) {
        try {
            return Addresses.format(Addresses.parseStrict(text));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** At most 64 printable characters of untrusted text, for messages. */
    static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= ' ' && c < 0x7F ? c : '?');
        }
        return s.length() > 64 ? b + "..." : b.toString();
    }
}
