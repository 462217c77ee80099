package net.rrispeaker.source.vici;

import static net.rrispeaker.source.vici.ViciBlock.Key.CHILD_SAS;
import static net.rrispeaker.source.vici.ViciBlock.Key.IF_ID_OUT;
import static net.rrispeaker.source.vici.ViciBlock.Key.LOCAL_HOST;
import static net.rrispeaker.source.vici.ViciBlock.Key.LOCAL_TS;
import static net.rrispeaker.source.vici.ViciBlock.Key.NAME;
import static net.rrispeaker.source.vici.ViciBlock.Key.NEW;
import static net.rrispeaker.source.vici.ViciBlock.Key.OLD;
import static net.rrispeaker.source.vici.ViciBlock.Key.REMOTE_HOST;
import static net.rrispeaker.source.vici.ViciBlock.Key.REMOTE_ID;
import static net.rrispeaker.source.vici.ViciBlock.Key.REMOTE_TS;
import static net.rrispeaker.source.vici.ViciBlock.Key.REQID;
import static net.rrispeaker.source.vici.ViciBlock.Key.STATE;
import static net.rrispeaker.source.vici.ViciBlock.Key.UNIQUEID;
import static net.rrispeaker.source.vici.ViciBlock.Key.UP;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
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
 * section key (names may contain {@code -}). Sections are read through {@link ViciBlock}: one pass
 * per section over its bytes, and only the values an SA event needs become numbers, addresses,
 * prefixes or strings. A message that cannot be converted raises a
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
    private static final byte[][] INSTALLED = INSTALLED_STATES.stream().map(ViciEvents::ascii).toArray(byte[][]::new);
    private static final byte[] YES = ascii("yes");

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

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
        return new Converter().convert(event, message, refusals);
    }

    /**
     * The installed CHILD_SAs of one {@code list-sa} event (one IKE_SA). A child that cannot be
     * converted is handed to {@code skipped} and left out; the others still count.
     */
    static List<ChildSa> installedChildren(ViciMessage listSa, Consumer<ViciEventException> skipped) {
        return listSa(listSa, skipped, SelectorRefusals.IGNORE).installed();
    }

    /** See {@link Converter#listSa}. */
    static ListSa listSa(ViciMessage listSa, Consumer<ViciEventException> problems, SelectorRefusals refusals) {
        return new Converter().listSa(listSa, problems, refusals);
    }

    /**
     * Converts events one after another with the same section readers and selector collector, so
     * that an event costs no setup of its own: the source keeps one per connection thread
     * ({@link ViciDelivery}). Not thread-safe; every call starts from scratch, also after a failed one.
     */
    static final class Converter {
        private final ViciBlock root = new ViciBlock();
        private final ViciBlock ike = new ViciBlock();
        /** A CHILD section; in a rekey, its {@code old} or {@code new} section. */
        private final ViciBlock child = new ViciBlock();
        /** The section around {@code old} and {@code new}: a rekeyed CHILD, or the IKE section of an IKE rekey. */
        private final ViciBlock pair = new ViciBlock();
        private final TrafficSelectors.Collector ts = new TrafficSelectors.Collector();

        /** As {@link ViciEvents#convert(String, ViciMessage, SelectorRefusals)}. */
        List<SaEvent> convert(String event, ViciMessage message, SelectorRefusals refusals) {
            if (!SUBSCRIBED.contains(event)) {
                return List.of();
            }
            root.start(event, message).read(message);
            ike.start(event, message);
            child.start(event, message);
            pair.start(event, message);
            try {
                return convertOrThrow(event, refusals);
            } catch (ViciEventException e) {
                throw e.withPeer(peerOf(root));
            }
        }

        private List<SaEvent> convertOrThrow(String event, SelectorRefusals refusals) {
            switch (event) {
                case CHILD_UPDOWN -> {
                    boolean up = root.valueIs(UP, YES);
                    ike.read(root.onlySection());
                    Ike fields = ike(ike);
                    ViciMessage childSas = children(ike);
                    List<SaEvent> out = new ArrayList<>(1);
                    for (int s = childSas.firstSection(); s >= 0; s = childSas.nextSection(s)) {
                        child.read(childSas.sectionAt(s));
                        ChildSa sa = childSa(fields, ike, child, ts, up ? refusals : SelectorRefusals.IGNORE);
                        out.add(up ? new SaEvent.ChildUp(sa) : new SaEvent.ChildDown(sa));
                    }
                    return out;
                }
                case CHILD_REKEY -> {
                    ike.read(root.onlySection());
                    Ike fields = ike(ike);
                    ViciMessage childSas = children(ike);
                    List<SaEvent> out = new ArrayList<>(1);
                    for (int s = childSas.firstSection(); s >= 0; s = childSas.nextSection(s)) {
                        pair.read(childSas.sectionAt(s));   // <child> { old { } new { } }
                        ChildSa old = childSa(fields, ike, child.read(pair.child(OLD)), ts, SelectorRefusals.IGNORE);
                        ChildSa replacement = childSa(fields, ike, child.read(pair.child(NEW)), ts, refusals);
                        out.add(new SaEvent.ChildRekeyed(old, replacement));
                    }
                    return out;
                }
                case IKE_REKEY -> {
                    pair.read(root.onlySection());   // <ike> { old { } new { } }
                    String connection = connection(pair);
                    long oldId = child.read(pair.child(OLD)).number(UNIQUEID);
                    long newId = child.read(pair.child(NEW)).number(UNIQUEID);
                    return List.of(new SaEvent.IkeRekeyed(connection, oldId, newId));
                }
                case IKE_UPDOWN -> {
                    if (root.valueIs(UP, YES)) {
                        return List.of();
                    }
                    ike.read(root.onlySection());
                    return List.of(new SaEvent.IkeDown(connection(ike), ike.number(UNIQUEID)));
                }
                case IKE_UPDATE -> {
                    ike.read(root.onlySection());
                    if (UNNAMED.equals(ike.name())) {
                        return List.of();
                    }
                    InetAddress now = root.address(REMOTE_HOST);
                    if (now.equals(ike.addressOrNull(REMOTE_HOST))) {
                        return List.of();
                    }
                    return List.of(new SaEvent.IkeAddressChanged(connection(ike), ike.number(UNIQUEID), now));
                }
                default -> {
                    return List.of();
                }
            }
        }

        /**
         * One {@code list-sa} event: every installed CHILD_SA that could be read, and every IKE_SA
         * whose record could not be read completely (its IKE block, a child's keys, or its layout),
         * each problem handed to {@code problems} with the SA it concerns. Never throws: a surprise
         * in the conversion itself is reported as reason {@code bug} and costs only that IKE_SA.
         */
        ListSa listSa(ViciMessage listSa, Consumer<ViciEventException> problems, SelectorRefusals refusals) {
            List<ChildSa> installed = new ArrayList<>(2);
            List<SaEvent.UnreadableIkeSa> unreadable = new ArrayList<>(0);
            ike.start(LIST_SA, listSa);
            child.start(LIST_SA, listSa);
            for (int s = listSa.firstSection(); s >= 0; s = listSa.nextSection(s)) {
                ike.read(listSa.sectionAt(s));
                int before = installed.size();
                boolean complete;
                try {
                    complete = readIkeSa(ike, child, ts, installed, problems, refusals);
                } catch (ViciEventException e) {
                    problems.accept(e.withPeer(peer(ike, null)));
                    complete = false;
                    installed.subList(before, installed.size()).clear();
                } catch (RuntimeException e) {
                    problems.accept(new ViciEventException(ViciEventException.BUG, ike.where() + ": " + e).withPeer(peer(ike, null)));
                    complete = false;
                    installed.subList(before, installed.size()).clear();
                }
                if (!complete) {
                    unreadable.add(unreadable(ike.name(), ike.optional(UNIQUEID)));
                }
            }
            return new ListSa(installed, unreadable);
        }
    }

    /** Reads one IKE_SA's children into {@code out}; false if some part could not be read (already reported). */
    private static boolean readIkeSa(ViciBlock ike, ViciBlock child, TrafficSelectors.Collector ts, List<ChildSa> out,
                                     Consumer<ViciEventException> problems, SelectorRefusals refusals) {
        int childSasAt = ike.element(CHILD_SAS);
        if (childSasAt < 0) {
            return true;   // an IKE_SA without CHILD_SAs (yet)
        }
        ViciMessage childSas = ike.section(CHILD_SAS);
        if (childSas == null) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    ike.where() + ": child-sas: not a section (expected: a section)");
        }
        Ike fields = null;
        boolean complete = true;
        for (int s = childSas.firstSection(); s >= 0; s = childSas.nextSection(s)) {
            child.read(childSas.sectionAt(s));
            boolean installed;
            try {
                installed = child.valueIn(STATE, INSTALLED);
            } catch (ViciEventException e) {
                problems.accept(e.withPeer(peer(ike, child)));
                complete = false;
                continue;
            }
            if (!installed) {
                continue;
            }
            if (fields == null) {
                fields = ike(ike);   // a failure here concerns the whole IKE_SA: the caller reports it once
            }
            try {
                out.add(childSa(fields, ike, child, ts, refusals));
            } catch (ViciEventException e) {
                problems.accept(e.withPeer(peer(ike, child)));
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
        if (uniqueid != null && !uniqueid.isEmpty() && uniqueid.length() <= 20 && uniqueid.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return SaEvent.UnreadableIkeSa.of(connection, Long.parseUnsignedLong(uniqueid));
            } catch (NumberFormatException e) {
                // above 2^64: fall through to the whole connection
            }
        }
        return SaEvent.UnreadableIkeSa.connection(connection);
    }

    /** The {@code child-sas} section of an event's IKE section, with at least one CHILD_SA in it. */
    private static ViciMessage children(ViciBlock ike) {
        ViciMessage children = ike.child(CHILD_SAS);
        if (children.firstSection() < 0) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    ike.where() + "/child-sas: empty (expected: one CHILD_SA section)");
        }
        return children;
    }

    /** The IKE section's name as a connection name: not empty. */
    private static String connection(ViciBlock ike) {
        String name = ike.name();
        if (name.isEmpty()) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    ike.where() + ": IKE section without a name (expected: the connection name)");
        }
        return name;
    }

    private static Ike ike(ViciBlock ike) {
        String remoteId = ike.optional(REMOTE_ID);
        return new Ike(connection(ike), ike.number(UNIQUEID), ike.sharedAddressOrNull(LOCAL_HOST), ike.address(REMOTE_HOST),
                LogText.printable(remoteId, MAX_REMOTE_ID));
    }

    /** A ChildSa from its IKE block (connection, ids, hosts) and its CHILD block; refused selectors are reported and left out. */
    private static ChildSa childSa(Ike ike, ViciBlock ikeBlock, ViciBlock child, TrafficSelectors.Collector ts,
                                   SelectorRefusals refusals) {
        String name = child.name(NAME);
        if (name.isEmpty()) {
            throw new ViciEventException(ViciEventException.BAD_VALUE, child.where() + ": name: '' (expected: the CHILD config name)");
        }
        long childId = child.number(UNIQUEID);
        long reqid = child.number(REQID);
        long ifId = child.hexOrZero(IF_ID_OUT);
        TrafficSelectors.Parsed local = selectors(child, LOCAL_TS, ts, LOCAL_SELECTORS);
        TrafficSelectors.Parsed remote = selectors(child, REMOTE_TS, ts, null);
        if (!local.refused().isEmpty() || !remote.refused().isEmpty()) {
            String peer = peer(ikeBlock, child);
            local.refused().forEach(r -> refusals.refused(peer, "local-ts", r));
            remote.refused().forEach(r -> refusals.refused(peer, "remote-ts", r));
        }
        return new ChildSa(ike.connection(), ike.ikeId(), name, childId, reqid, ike.localHost(), ike.remoteHost(),
                ike.remoteId(), local.prefixes(), remote.prefixes(), ifId, remote.unroutable());
    }

    private static final TrafficSelectors.Parsed NO_SELECTORS = new TrafficSelectors.Parsed(List.of(), List.of(), List.of());

    /** Our side's selector lists by their bytes: the same in every SA behind one hub subnet. */
    private static final RepeatCache<TrafficSelectors.Parsed> LOCAL_SELECTORS = new RepeatCache<>(64);

    /**
     * A selector list, read item by item from the wire; absent is empty, a key or section of that
     * name instead of a list is a layout error. With a {@code cache}, a list of the same bytes as
     * one read before gives the same (immutable) result.
     */
    private static TrafficSelectors.Parsed selectors(ViciBlock child, ViciBlock.Key key, TrafficSelectors.Collector ts,
                                                     RepeatCache<TrafficSelectors.Parsed> cache) {
        int e = child.element(key);
        if (e < 0) {
            return NO_SELECTORS;
        }
        ViciMessage m = child.message();
        if (m.type(e) != ViciMessage.LIST_START) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT, child.where() + ": " + key.text + ": not a list (expected: a list)");
        }
        int items = m.firstItem(e);
        int end = m.next(e) - 1;   // its LIST_END
        TrafficSelectors.Parsed seen = cache == null ? null : cache.get(m.wire(), items, end);
        if (seen != null) {
            return seen;
        }
        ts.clear();   // whatever an earlier list that failed half-way left behind
        for (int i = items; m.isItem(i); i = m.nextItem(i)) {
            ts.add(m.wire(), m.itemAt(i), m.itemAt(i) + m.itemLength(i));
        }
        TrafficSelectors.Parsed parsed = ts.done();
        if (cache != null) {
            cache.put(m.wire(), items, end, parsed);
        }
        return parsed;
    }

    /** Which SA a problem concerns, read leniently for the log: {@code conn=spokes ike=4 child=lan/5 remote=192.0.2.2}. */
    static String peer(ViciBlock ike, ViciBlock child) {
        StringBuilder sb = new StringBuilder("conn=").append(LogText.safe(ike.name()))
                .append(" ike=").append(LogText.safe(ike.optional(UNIQUEID)));
        if (child != null) {
            sb.append(" child=").append(LogText.safe(child.optional(NAME)))
                    .append('/').append(LogText.safe(child.optional(UNIQUEID)));
        }
        return sb.append(" remote=").append(LogText.safe(ike.optional(REMOTE_HOST))).toString();
    }

    /** The peer of an event's IKE section and its first child, as far as there are any. */
    private static String peerOf(ViciBlock root) {
        int s = root.message().firstSection();
        if (s < 0) {
            return null;
        }
        ViciBlock ike = new ViciBlock(root).read(root.message().sectionAt(s));
        ViciMessage childSas = ike.section(CHILD_SAS);
        ViciBlock child = null;
        int c = childSas == null ? -1 : childSas.firstSection();
        if (c >= 0) {
            child = new ViciBlock(root).read(childSas.sectionAt(c));
            ViciMessage replacement = child.section(NEW);
            if (child.optional(NAME) == null && replacement != null) {
                child.read(replacement);
            }
        }
        return peer(ike, child);
    }
}
