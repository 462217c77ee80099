package net.rrispeaker.control;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.control.api.PublishedSa;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.source.vici.TrafficSelectors;

/**
 * A publisher's {@link PublishedSa} to the core's {@link ChildSa}, checked as strictly as what
 * charon sends: a publisher is one more place attacker-controlled text (selectors a remote peer
 * negotiated, its identity) comes from. Names must be printable and bounded, addresses in the
 * form {@code inet_ntop} prints, selectors pass {@link TrafficSelectors} (the VICI source's own
 * parser); a refused selector is left out and reported, the SA keeps its valid ones (as with
 * VICI). The routes then pass the prefix guard like every SA's. Pure; no state.
 */
final class PublishedSas {
    /** Longest connection, child or identity text taken (strongSwan's names are far shorter). */
    static final int MAX_NAME = 255;
    /** Most selectors per side of one SA. */
    static final int MAX_SELECTORS = 256;
    /** What a down or rekey's old half stands for: only its id is used. */
    private static final InetAddress NO_ADDRESS = Addresses.parse("0.0.0.0");

    private PublishedSas() {
    }

    /** Refused whole: what was wrong, in words. */
    static final class BadSa extends Exception {
        BadSa(String message) {
            super(message);
        }
    }

    /** A converted SA with the selectors that were left out ({@code side "text": why}). */
    record Converted(ChildSa sa, List<TrafficSelectors.Rejected> refusedLocal, List<TrafficSelectors.Rejected> refusedRemote) {
        /** The refusals in one line, for the publisher's reply; empty if none. */
        String warnings() {
            List<String> w = new ArrayList<>();
            refusedLocal.forEach(r -> w.add("local_ts '" + r.raw() + "' refused: " + r.why().detail()));
            refusedRemote.forEach(r -> w.add("remote_ts '" + r.raw() + "' refused: " + r.why().detail()));
            return String.join("; ", w);
        }
    }

    /** An installed SA (up, snapshot, rekey's new half): everything checked. */
    static Converted up(String source, PublishedSa p) throws BadSa {
        String connection = name("connection", p.getConnection(), true);
        String child = p.getChild().isEmpty() ? connection : name("child", p.getChild(), true);
        String remoteId = name("remote_id", p.getRemoteId(), false);
        InetAddress remote = address("remote_host", p.getRemoteHost(), true);
        InetAddress local = address("local_host", p.getLocalHost(), false);
        if (p.getLocalTsCount() > MAX_SELECTORS || p.getRemoteTsCount() > MAX_SELECTORS) {
            throw new BadSa("more than " + MAX_SELECTORS + " selectors on one side");
        }
        for (String t : p.getLocalTsList()) {
            printable("local_ts", t);
        }
        for (String t : p.getRemoteTsList()) {
            printable("remote_ts", t);
        }
        TrafficSelectors.Parsed lts = TrafficSelectors.parse(p.getLocalTsList());
        TrafficSelectors.Parsed rts = TrafficSelectors.parse(p.getRemoteTsList());
        ChildSa sa = new ChildSa(connection, p.getIkeId(), child, p.getChildId(), p.getReqid(), local, remote, remoteId,
                lts.prefixes(), rts.prefixes(), p.getIfId(), rts.unroutable(), source);
        return new Converted(sa, lts.refused(), rts.refused());
    }

    /** A deleted SA: only its identity (connection, child id) counts. */
    static ChildSa down(String source, PublishedSa p) throws BadSa {
        return idOnly(source, p.getConnection(), p.getChildId());
    }

    /** The SA a rekey replaces: the new half's connection, the old child id. */
    static ChildSa idOnly(String source, String connectionText, long childId) throws BadSa {
        String connection = name("connection", connectionText, true);
        return new ChildSa(connection, 0, connection, childId, 0, null, NO_ADDRESS, "", List.of(), List.of(), 0, List.of(),
                source);
    }

    /** A connection name of an IKE_SA event. */
    static String connection(String text) throws BadSa {
        return name("connection", text, true);
    }

    private static String name(String what, String text, boolean required) throws BadSa {
        if (text.isEmpty()) {
            if (required) {
                throw new BadSa(what + " is missing");
            }
            return text;
        }
        if (text.length() > MAX_NAME) {
            throw new BadSa(what + " is " + text.length() + " characters long (expected: at most " + MAX_NAME + ")");
        }
        printable(what, text);
        return text;
    }

    private static void printable(String what, String text) throws BadSa {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new BadSa(what + " has a control character (U+" + String.format("%04X", (int) text.charAt(i)) + ")");
            }
        }
    }

    private static InetAddress address(String what, String text, boolean required) throws BadSa {
        if (text.isEmpty()) {
            if (required) {
                throw new BadSa(what + " is missing");
            }
            return null;
        }
        byte[] bytes = Addresses.strictBytes(text);
        InetAddress a = bytes == null ? null : Addresses.fromBytes(bytes);
        if (a == null) {
            throw new BadSa(what + " '" + shown(text) + "' is not an address (expected: as inet_ntop prints it, e.g. "
                    + "192.0.2.2 or 2001:db8::2)");
        }
        if (a instanceof java.net.Inet6Address && (Addresses.isIpv4Mapped(a) || Addresses.isIpv4Compatible(a))) {
            throw new BadSa(what + " '" + text + "' is an IPv4 address written as IPv6 (refused)");
        }
        return a;
    }

    private static String shown(String text) {
        String t = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        StringBuilder b = new StringBuilder();
        t.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? '?' : (char) c));
        return b.toString();
    }
}
