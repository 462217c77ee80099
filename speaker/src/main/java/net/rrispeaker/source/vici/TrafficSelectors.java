package net.rrispeaker.source.vici;

import inet.ipaddr.AddressConversionException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.rrispeaker.model.Prefix;

/**
 * Turns strongSwan's traffic-selector text into routable prefixes.
 *
 * <ul>
 *   <li>{@code 10.1.0.0/16}, {@code 2001:db8::/48}: one prefix; a bare address is a host prefix.</li>
 *   <li>{@code 10.1.0.5..10.1.0.20} (a range that is not one subnet): split into the exact set of
 *       prefixes that covers it, so every address the SA protects is routed and nothing more.</li>
 *   <li>A {@code [proto/port]} suffix is dropped and the address part still routes: a route has
 *       no ports, and Cisco's reverse-route likewise routes the crypto ACL's address part. The
 *       restricted traffic must reach this box, so the prefix has to be announced.</li>
 *   <li>{@code dynamic} (not yet resolved), {@code OPAQUE} and anything else unparsable: kept as
 *       text in {@code unroutable} for diagnostics, never routed.</li>
 * </ul>
 */
final class TrafficSelectors {
    private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F:.]*[.:][0-9a-fA-F:.]*(/[0-9]{1,3})?");

    /** Prefixes in selector order (duplicates removed) and the selectors that are not routable. */
    record Parsed(List<Prefix> prefixes, List<String> unroutable) {
        Parsed {
            prefixes = List.copyOf(prefixes);
            unroutable = List.copyOf(unroutable);
        }
    }

    private TrafficSelectors() {
    }

    static Parsed parse(List<String> selectors) {
        List<Prefix> prefixes = new ArrayList<>();
        List<String> unroutable = new ArrayList<>();
        if (selectors != null) {
            for (String ts : selectors) {
                List<Prefix> p = parseOne(ts);
                if (p.isEmpty()) {
                    unroutable.add(ts);
                }
                for (Prefix x : p) {
                    if (!prefixes.contains(x)) {
                        prefixes.add(x);
                    }
                }
            }
        }
        return new Parsed(prefixes, unroutable);
    }

    /** The prefixes one selector covers; empty if it is not routable. */
    static List<Prefix> parseOne(String selector) {
        String text = selector.trim();
        int bracket = text.indexOf('[');
        if (bracket >= 0) {
            text = text.substring(0, bracket);
        }
        int dots = text.indexOf("..");
        try {
            if (dots > 0) {
                return range(text.substring(0, dots), text.substring(dots + 2));
            }
            if (!ADDRESS.matcher(text).matches()) {
                return List.of();
            }
            return List.of(Prefix.parse(text));
        } catch (IllegalArgumentException | AddressConversionException e) {
            return List.of();
        }
    }

    private static List<Prefix> range(String fromText, String toText) {
        IPAddress from = address(fromText);
        IPAddress to = address(toText);
        if (from == null || to == null || from.compareTo(to) > 0) {
            return List.of();
        }
        List<Prefix> out = new ArrayList<>();
        for (IPAddress block : from.spanWithPrefixBlocks(to)) {
            Integer len = block.getPrefixLength();
            out.add(new Prefix(block.getLower().withoutPrefixLength().toInetAddress(),
                    len == null ? block.getBitCount() : len));
        }
        return out;
    }

    private static IPAddress address(String text) {
        if (!ADDRESS.matcher(text).matches() || text.contains("/")) {
            return null;
        }
        return new IPAddressString(text).getAddress();
    }
}
