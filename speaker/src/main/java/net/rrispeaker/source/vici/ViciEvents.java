package net.rrispeaker.source.vici;

import java.net.InetAddress;
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
 * section key (names may contain {@code -}). A message that cannot be converted raises a
 * {@link ViciEventException}; the caller logs, counts and skips it.
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

    private ViciEvents() {
    }

    /** The SA events for one broadcast event; empty for events that carry nothing for RRI. */
    static List<SaEvent> convert(String event, ViciMessage message) {
        ViciBlock root = new ViciBlock(event, message);
        switch (event) {
            case CHILD_UPDOWN -> {
                boolean up = "yes".equals(message.get("up"));
                ViciBlock ike = root.onlySection();
                List<SaEvent> out = new ArrayList<>();
                for (ViciBlock child : children(ike)) {
                    ChildSa sa = childSa(ike, child);
                    out.add(up ? new SaEvent.ChildUp(sa) : new SaEvent.ChildDown(sa));
                }
                return out;
            }
            case CHILD_REKEY -> {
                ViciBlock ike = root.onlySection();
                List<SaEvent> out = new ArrayList<>();
                for (ViciBlock child : children(ike)) {
                    out.add(new SaEvent.ChildRekeyed(childSa(ike, child.child("old")), childSa(ike, child.child("new"))));
                }
                return out;
            }
            case IKE_REKEY -> {
                ViciBlock ike = root.onlySection();
                return List.of(new SaEvent.IkeRekeyed(ike.name(), ike.child("old").number("uniqueid"),
                        ike.child("new").number("uniqueid")));
            }
            case IKE_UPDOWN -> {
                if ("yes".equals(message.get("up"))) {
                    return List.of();
                }
                ViciBlock ike = root.onlySection();
                return List.of(new SaEvent.IkeDown(ike.name(), ike.number("uniqueid")));
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
                return List.of(new SaEvent.IkeAddressChanged(ike.name(), ike.number("uniqueid"), now));
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
        List<ChildSa> out = new ArrayList<>();
        for (ViciBlock ike : new ViciBlock(LIST_SA, listSa).sections()) {
            ViciMessage childSas = ike.message().section("child-sas");
            if (childSas == null) {
                continue;   // an IKE_SA without CHILD_SAs (yet)
            }
            for (ViciBlock child : ike.child("child-sas").sections()) {
                if (!INSTALLED_STATES.contains(child.optional("state"))) {
                    continue;
                }
                try {
                    out.add(childSa(ike, child));
                } catch (ViciEventException e) {
                    skipped.accept(e);
                }
            }
        }
        return out;
    }

    private static List<ViciBlock> children(ViciBlock ike) {
        List<ViciBlock> children = ike.child("child-sas").sections();
        if (children.isEmpty()) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    ike.where() + "/child-sas: empty (expected: one CHILD_SA section)");
        }
        return children;
    }

    /** A ChildSa from its IKE block (connection, ids, hosts) and its CHILD block. */
    static ChildSa childSa(ViciBlock ike, ViciBlock child) {
        TrafficSelectors.Parsed local = TrafficSelectors.parse(child.listOrEmpty("local-ts"));
        TrafficSelectors.Parsed remote = TrafficSelectors.parse(child.listOrEmpty("remote-ts"));
        return new ChildSa(ike.name(), ike.number("uniqueid"), child.text("name"), child.number("uniqueid"),
                child.number("reqid"), ike.addressOrNull("local-host"), ike.address("remote-host"),
                ike.optional("remote-id"), local.prefixes(), remote.prefixes(), child.hexOrZero("if-id-out"),
                remote.unroutable());
    }
}
