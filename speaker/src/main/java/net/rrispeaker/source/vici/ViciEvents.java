package net.rrispeaker.source.vici;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;

/**
 * Pure conversion of VICI event messages into {@link SaEvent}s (layouts in the strongSwan vici
 * README, "Events"; real samples in the test transcripts, src/test/resources/vici).
 *
 * <ul>
 *   <li>{@code child-updown}: up only when {@code up = yes}; on down the key is absent (any other
 *       value is read as down too). One CHILD_SA under {@code <ike>/child-sas/<name>-<id>}.</li>
 *   <li>{@code child-rekey}: {@code <ike>/child-sas/<name>/{old,new}} gives one
 *       {@link SaEvent.ChildRekeyed}.</li>
 *   <li>{@code ike-rekey}: {@code <ike>/{old,new}} gives {@link SaEvent.IkeRekeyed}.</li>
 *   <li>{@code ike-updown}: down gives {@link SaEvent.IkeDown}; up gives nothing (the children
 *       follow as {@code child-updown}).</li>
 *   <li>{@code ike-update}: the top-level {@code remote-host} is the peer's new address, the IKE
 *       section still holds the old one; a change gives {@link SaEvent.IkeAddressChanged}. Nothing
 *       for an {@code (unnamed)} IKE_SA (still being set up, no CHILD_SAs yet) or when only ports
 *       or our own address move (the next hop stays).</li>
 * </ul>
 * Child sections are read by their inner {@code name}/{@code uniqueid}, never by splitting the
 * section key (names may contain {@code -}). A message that cannot be converted raises a
 * {@link ViciEventException} naming the key and the SA ({@link ViciEventException#peer()}); the
 * caller logs, counts and skips it. Traffic selectors are checked by {@link TrafficSelectors}: a
 * refused one is reported to a {@link SelectorRefusals} and left out, the SA keeps its valid ones.
 *
 * <p>A {@code list-sa} record is read IKE_SA by IKE_SA ({@link #listSa}): what cannot be read is
 * reported and the IKE_SA is marked {@link SaEvent.UnreadableIkeSa unreadable}, so the snapshot
 * keeps what was known of it instead of withdrawing its routes.
 */
final class ViciEvents {
    static final String CHILD_UPDOWN = "child-updown";
    static final String CHILD_REKEY = "child-rekey";
    static final String IKE_UPDOWN = "ike-updown";
    static final String IKE_REKEY = "ike-rekey";
    static final String IKE_UPDATE = "ike-update";
    /** The IKE section name of an IKE_SA that has no config yet (during IKE_SA_INIT). */
    static final String UNNAMED = "(unnamed)";
    static final String LIST_SA = "list-sa";
    /** The broadcast events the source registers for, in registration order. */
    static final List<String> SUBSCRIBED = List.of(CHILD_UPDOWN, CHILD_REKEY, IKE_UPDOWN, IKE_REKEY, IKE_UPDATE);

    /**
     * CHILD_SA states that count as installed in a {@code list-sas} snapshot. REKEYING is still the
     * SA carrying traffic (its successor arrives with {@code child-rekey}). REKEYED is left out on
     * purpose: strongSwan deletes it later without any down event, and its successor is already
     * listed as INSTALLED with the same selectors, so listing it would leave an owner that nothing
     * ever removes. Seen with charon 5.9.8: right after a rekey the predecessor is listed in state
     * DELETED (for {@code delete_rekeyed_delay}) next to its INSTALLED successor; DELETING and DELETED
     * are out too. UPDATING is an installed SA whose addresses are moving (MOBIKE).
     */
    static final Set<String> INSTALLED_STATES = Set.of("INSTALLED", "REKEYING", "UPDATING");

    /** Where refused traffic selectors are reported: once per SA that comes up, with the raw text. */
    @FunctionalInterface
    interface SelectorRefusals {
        SelectorRefusals IGNORE = (peer, side, rejected) -> { };

        void refused(String peer, String side, TrafficSelectors.Rejected rejected);
    }

    /** The installed CHILD_SAs of one {@code list-sa} event, and the IKE_SAs that could not be fully read. */
    record ListSa(List<ChildSa> installed, List<SaEvent.UnreadableIkeSa> unreadable) {
        ListSa {
            installed = List.copyOf(installed);
            unreadable = List.copyOf(unreadable);
        }
    }

    /** The IKE block fields every ChildSa carries, read once per IKE_SA. */
    private record Ike(String connection, long ikeId, InetAddress localHost, InetAddress remoteHost, String remoteId) {
    }

    /** Longest peer identity kept for display. */
    static final int MAX_REMOTE_ID = 1024;

    private ViciEvents() {
    }

    /** The SA events for one broadcast event; empty for events that carry nothing for RRI. Selector refusals are not reported. */
    static List<SaEvent> convert(String event, ViciMessage message) {
        return convert(event, message, SelectorRefusals.IGNORE);
    }

    /**
     * The SA events for one broadcast event. Refused selectors of an SA coming up (child up, the new
     * SA of a rekey) go to {@code refusals}; those of an SA going away were reported when it came.
     */
    static List<SaEvent> convert(String event, ViciMessage message, SelectorRefusals refusals) {
        ViciBlock root = new ViciBlock(event, message);
        try {
            return convertOrThrow(event, root, refusals);
        } catch (ViciEventException e) {
            throw e.withPeer(peerOf(root));
        }
    }

    private static List<SaEvent> convertOrThrow(String event, ViciBlock root, SelectorRefusals refusals) {
        ViciMessage message = root.message();
        switch (event) {
            case CHILD_UPDOWN -> {
                boolean up = "yes".equals(message.get("up"));
                ViciBlock ikeBlock = root.onlySection();
                Ike ike = ike(ikeBlock);
                List<SaEvent> out = new ArrayList<>();
                for (ViciBlock child : children(ikeBlock)) {
                    ChildSa sa = childSa(ike, ikeBlock, child, up ? refusals : SelectorRefusals.IGNORE);
                    out.add(up ? new SaEvent.ChildUp(sa) : new SaEvent.ChildDown(sa));
                }
                return out;
            }
            case CHILD_REKEY -> {
                ViciBlock ikeBlock = root.onlySection();
                Ike ike = ike(ikeBlock);
                List<SaEvent> out = new ArrayList<>();
                for (ViciBlock child : children(ikeBlock)) {
                    ChildSa old = childSa(ike, ikeBlock, child.child("old"), SelectorRefusals.IGNORE);
                    out.add(new SaEvent.ChildRekeyed(old, childSa(ike, ikeBlock, child.child("new"), refusals)));
                }
                return out;
            }
            case IKE_REKEY -> {
                ViciBlock ike = root.onlySection();
                return List.of(new SaEvent.IkeRekeyed(connection(ike), ike.child("old").number("uniqueid"),
                        ike.child("new").number("uniqueid")));
            }
            case IKE_UPDOWN -> {
                if ("yes".equals(message.get("up"))) {
                    return List.of();
                }
                ViciBlock ike = root.onlySection();
                return List.of(new SaEvent.IkeDown(connection(ike), ike.number("uniqueid")));
            }
            case IKE_UPDATE -> {
                ViciBlock ike = root.onlySection();
                if (UNNAMED.equals(ike.name())) {
                    return List.of();
                }
                InetAddress now = root.address("remote-host");
                if (now.equals(ike.addressOrNull("remote-host"))) {
                    return List.of();
                }
                return List.of(new SaEvent.IkeAddressChanged(connection(ike), ike.number("uniqueid"), now));
            }
            default -> {
                return List.of();
            }
        }
    }

    /**
     * The installed CHILD_SAs of one {@code list-sa} event (one IKE_SA). A child that cannot be
     * converted is handed to {@code skipped} and left out; the others still count.
     */
    static List<ChildSa> installedChildren(ViciMessage listSa, Consumer<ViciEventException> skipped) {
        return listSa(listSa, skipped, SelectorRefusals.IGNORE).installed();
    }

    /**
     * One {@code list-sa} event: every installed CHILD_SA that could be read, and every IKE_SA whose
     * record could not be read completely (its IKE block, a child's keys, or its layout), each
     * problem handed to {@code problems} with the SA it concerns. Never throws: a surprise in the
     * conversion itself is reported as reason {@code bug} and costs only that IKE_SA.
     */
    static ListSa listSa(ViciMessage listSa, Consumer<ViciEventException> problems, SelectorRefusals refusals) {
        List<ChildSa> installed = new ArrayList<>();
        List<SaEvent.UnreadableIkeSa> unreadable = new ArrayList<>();
        for (ViciBlock ike : new ViciBlock(LIST_SA, listSa).sections()) {
            List<ChildSa> mine = new ArrayList<>();
            boolean complete;
            try {
                complete = readIkeSa(ike, mine, problems, refusals);
            } catch (ViciEventException e) {
                problems.accept(e.withPeer(peer(ike, null)));
                complete = false;
                mine.clear();
            } catch (RuntimeException e) {
                problems.accept(new ViciEventException(ViciEventException.BUG, ike.where() + ": " + e).withPeer(peer(ike, null)));
                complete = false;
                mine.clear();
            }
            installed.addAll(mine);
            if (!complete) {
                unreadable.add(unreadable(ike.name(), ike.optional("uniqueid")));
            }
        }
        return new ListSa(installed, unreadable);
    }

    /** Reads one IKE_SA's children into {@code out}; false if some part could not be read (already reported). */
    private static boolean readIkeSa(ViciBlock ikeBlock, List<ChildSa> out, Consumer<ViciEventException> problems,
                                     SelectorRefusals refusals) {
        ViciMessage.Entry childSas = entry(ikeBlock.message(), "child-sas");
        if (childSas == null) {
            return true;   // an IKE_SA without CHILD_SAs (yet)
        }
        if (!(childSas instanceof ViciMessage.Section)) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    ikeBlock.where() + ": child-sas: not a section (expected: a section)");
        }
        Ike ike = null;
        boolean complete = true;
        for (ViciBlock child : ikeBlock.child("child-sas").sections()) {
            String state;
            try {
                state = child.text("state");
            } catch (ViciEventException e) {
                problems.accept(e.withPeer(peer(ikeBlock, child)));
                complete = false;
                continue;
            }
            if (!INSTALLED_STATES.contains(state)) {
                continue;
            }
            if (ike == null) {
                ike = ike(ikeBlock);   // a failure here concerns the whole IKE_SA: the caller reports it once
            }
            try {
                out.add(childSa(ike, ikeBlock, child, refusals));
            } catch (ViciEventException e) {
                problems.accept(e.withPeer(peer(ikeBlock, child)));
                complete = false;
            }
        }
        return complete;
    }

    /**
     * The IKE_SAs a {@code list-sa} message that could not be decoded was about, from what was read
     * before the error: each IKE section by name (and unique id, if it was read and is a number);
     * if not even a section name was read, any IKE_SA.
     */
    static List<SaEvent.UnreadableIkeSa> unreadableFrom(ViciMessage partial) {
        List<SaEvent.UnreadableIkeSa> out = new ArrayList<>();
        for (ViciMessage.Section s : partial.sections()) {
            out.add(unreadable(s.name(), s.message().get("uniqueid")));
        }
        return out.isEmpty() ? List.of(SaEvent.UnreadableIkeSa.unidentified()) : out;
    }

    private static SaEvent.UnreadableIkeSa unreadable(String connection, String uniqueid) {
        if (uniqueid != null && uniqueid.matches("[0-9]{1,20}")) {
            try {
                return SaEvent.UnreadableIkeSa.of(connection, Long.parseUnsignedLong(uniqueid));
            } catch (NumberFormatException e) {
                // above 2^64: fall through to the whole connection
            }
        }
        return SaEvent.UnreadableIkeSa.connection(connection);
    }

    private static List<ViciBlock> children(ViciBlock ike) {
        List<ViciBlock> children = ike.child("child-sas").sections();
        if (children.isEmpty()) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    ike.where() + "/child-sas: empty (expected: one CHILD_SA section)");
        }
        return children;
    }

    /** The IKE section's name as a connection name: not empty. */
    private static String connection(ViciBlock ike) {
        if (ike.name().isEmpty()) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    ike.where() + ": IKE section without a name (expected: the connection name)");
        }
        return ike.name();
    }

    private static Ike ike(ViciBlock ike) {
        String remoteId = ike.optional("remote-id");
        return new Ike(connection(ike), ike.number("uniqueid"), ike.addressOrNull("local-host"), ike.address("remote-host"),
                LogText.printable(remoteId, MAX_REMOTE_ID));
    }

    /** A ChildSa from its IKE block (connection, ids, hosts) and its CHILD block; refused selectors are reported and left out. */
    private static ChildSa childSa(Ike ike, ViciBlock ikeBlock, ViciBlock child, SelectorRefusals refusals) {
        String name = child.text("name");
        if (name.isEmpty()) {
            throw new ViciEventException(ViciEventException.BAD_VALUE, child.where() + ": name: '' (expected: the CHILD config name)");
        }
        long childId = child.number("uniqueid");
        long reqid = child.number("reqid");
        long ifId = child.hexOrZero("if-id-out");
        TrafficSelectors.Parsed local = TrafficSelectors.parse(selectors(child, "local-ts"));
        TrafficSelectors.Parsed remote = TrafficSelectors.parse(selectors(child, "remote-ts"));
        if (!local.refused().isEmpty() || !remote.refused().isEmpty()) {
            String peer = peer(ikeBlock, child);
            local.refused().forEach(r -> refusals.refused(peer, "local-ts", r));
            remote.refused().forEach(r -> refusals.refused(peer, "remote-ts", r));
        }
        return new ChildSa(ike.connection(), ike.ikeId(), name, childId, reqid, ike.localHost(), ike.remoteHost(),
                ike.remoteId(), local.prefixes(), remote.prefixes(), ifId, remote.unroutable());
    }

    /** A selector list; absent is empty, a key or section of that name instead of a list is a layout error. */
    private static List<String> selectors(ViciBlock child, String key) {
        ViciMessage.Entry e = entry(child.message(), key);
        if (e == null) {
            return List.of();
        }
        if (!(e instanceof ViciMessage.ListValue l)) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT, child.where() + ": " + key + ": not a list (expected: a list)");
        }
        return l.items();
    }

    private static ViciMessage.Entry entry(ViciMessage m, String name) {
        for (ViciMessage.Entry e : m.entries()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Which SA a problem concerns, read leniently for the log: {@code conn=spokes ike=4 child=lan/5 remote=192.0.2.2}. */
    static String peer(ViciBlock ike, ViciBlock child) {
        StringBuilder sb = new StringBuilder("conn=").append(LogText.safe(ike.name()))
                .append(" ike=").append(LogText.safe(ike.optional("uniqueid")));
        if (child != null) {
            sb.append(" child=").append(LogText.safe(child.optional("name")))
                    .append('/').append(LogText.safe(child.optional("uniqueid")));
        }
        return sb.append(" remote=").append(LogText.safe(ike.optional("remote-host"))).toString();
    }

    /** The peer of an event's IKE section and its first child, as far as there are any. */
    private static String peerOf(ViciBlock root) {
        List<ViciBlock> ikes = root.sections();
        if (ikes.isEmpty()) {
            return null;
        }
        ViciBlock ike = ikes.get(0);
        ViciMessage childSas = ike.message().section("child-sas");
        ViciBlock child = null;
        if (childSas != null && !childSas.sections().isEmpty()) {
            ViciMessage.Section first = childSas.sections().get(0);
            child = new ViciBlock(ike.where() + "/child-sas/" + LogText.safe(first.name()), first.name(), first.message());
            if (child.optional("name") == null && child.message().section("new") != null) {
                ViciMessage n = child.message().section("new");
                child = new ViciBlock(child.where() + "/new", "new", n);
            }
        }
        return peer(ike, child);
    }
}
