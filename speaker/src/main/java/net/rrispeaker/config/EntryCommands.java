package net.rrispeaker.config;

import java.net.InetAddress;
import java.util.Set;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.Problems;

/**
 * The sub-mode commands of a crypto map entry, a dynamic-map entry and an IPsec profile: the ones
 * that shape routes are kept in the {@link EntryDraft}, the IPsec-only ones are noted as ignored.
 */
final class EntryCommands {
    /** {@code set X} commands that only concern IPsec. */
    private static final Set<String> IGNORED_SET = Set.of("transform-set", "security-association", "pfs",
            "ikev2-profile", "nat", "ip", "identity", "responder-only", "security-policy", "ipsec-fragmentation",
            "mixed-mode", "default", "redundancy");
    /** Other IPsec-only entry commands. */
    private static final Set<String> IGNORED = Set.of("qos", "responder-only");

    /**
     * Reads one line of an entry's sub-mode. Returns false if the line is not a command of this
     * sub-mode (the parser then tries it as a top-level command).
     */
    boolean read(EntryDraft d, String context, ConfigLine line, Problems problems) {
        String cmd = line.token(0).toLowerCase();
        boolean profile = d.type == null;
        boolean parent = d.type == MapEntry.Type.DYNAMIC_PARENT;
        switch (cmd) {
            case "description":
                return true;
            case "match":
                if (line.startsWith("match", "ipsec-connection")) {
                    matchConnection(d, line, problems);
                    return true;
                }
                if (line.startsWith("match", "address") && !profile) {
                    if (notInParent(parent, context, line, problems)) {
                        d.matchAddress = Args.name(line, 2, "access list name after match address", problems);
                        Args.noMore(line, 3, "match address ACL", problems);
                    }
                    return true;
                }
                problems.error(line, "unknown command '" + Ignored.command(line) + "' in " + context);
                return true;
            case "reverse-route":
                if (profile) {
                    problems.error(line, "'reverse-route' in " + context + ": an IPsec profile always makes routes "
                            + "via its tunnel interface (expected: set reverse-route tag N|distance N)");
                } else if (notInParent(parent, context, line, problems)) {
                    ReverseRouteReader.read(d, line, problems);
                }
                return true;
            case "set":
                return set(d, context, line, problems, profile, parent);
            default:
                if (IGNORED.contains(cmd)) {
                    Ignored.note(line, Ignored.IPSEC_ONLY, problems);
                    return true;
                }
                return false;
        }
    }

    private boolean set(EntryDraft d, String context, ConfigLine line, Problems problems, boolean profile,
                        boolean parent) {
        String what = line.token(1) == null ? "" : line.token(1).toLowerCase();
        switch (what) {
            case "peer":
                if (profile) {
                    problems.error(line, "'set peer' in " + context + " (expected in a crypto map entry)");
                } else if (notInParent(parent, context, line, problems)) {
                    peer(d, line, problems);
                }
                return true;
            case "reverse-route":
                if (notInParent(parent, context, line, problems)) {
                    setReverseRoute(d, line, problems);
                }
                return true;
            case "isakmp-profile":
                if (notInParent(parent, context, line, problems)) {
                    d.isakmpProfile = Args.name(line, 2, "isakmp profile name after set isakmp-profile", problems);
                    Args.noMore(line, 3, "set isakmp-profile NAME", problems);
                }
                return true;
            default:
                if (IGNORED_SET.contains(what)) {
                    Ignored.note(line, Ignored.IPSEC_ONLY, problems);
                } else {
                    problems.error(line, "unknown command '" + Ignored.command(line) + "' in " + context);
                }
                return true;
        }
    }

    private static boolean notInParent(boolean parent, String context, ConfigLine line, Problems problems) {
        if (parent) {
            problems.error(line, "'" + Ignored.command(line) + "' in " + context
                    + ": configure it in the dynamic-map (a dynamic parent entry only takes match ipsec-connection)");
            return false;
        }
        return true;
    }

    private static void matchConnection(EntryDraft d, ConfigLine line, Problems problems) {
        String glob = Args.name(line, 2, "connection name after match ipsec-connection", problems);
        Args.noMore(line, 3, "match ipsec-connection NAME", problems);
        String tooComplex = glob == null ? null : ConnectionGlob.problem(glob);
        if (tooComplex != null) {
            problems.error(line, "match ipsec-connection: " + tooComplex);
        } else if (glob != null) {
            if (d.connection != null) {
                problems.warning(line, "second match ipsec-connection replaces '" + d.connection + "'");
            }
            d.connection = glob;
        }
    }

    private void peer(EntryDraft d, ConfigLine line, Problems problems) {
        String host = Args.name(line, 2, "peer address or host name after set peer", problems);
        if (host == null) {
            return;
        }
        boolean dynamic = false;
        boolean preferred = false;
        for (int i = 3; i < line.size(); i++) {
            String k = line.token(i).toLowerCase();
            if (k.equals("dynamic")) {
                dynamic = true;
            } else if (k.equals("default")) {
                preferred = true;
            } else {
                problems.error(line, "unknown keyword '" + line.token(i) + "' in set peer (expected: dynamic, default)");
            }
        }
        // A host name stays a name: the parser does no I/O; the daemon resolves names (PeerAddresses).
        InetAddress literal = null;
        if (Args.isAddress(host)) {
            literal = Addresses.parse(host);
        } else if (!host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            problems.error(line, "peer '" + host + "' is neither an IP address nor a host name");
            return;
        }
        for (CryptoPeer p : d.peers) {
            if (p.host().equalsIgnoreCase(host)) {
                problems.warning(line, "peer '" + host + "' is already set on line " + p.line());
                return;
            }
        }
        d.peers.add(new CryptoPeer(host, literal, dynamic, preferred, line.number()));
    }

    private static void setReverseRoute(EntryDraft d, ConfigLine line, Problems problems) {
        String k = line.token(2);
        if (k == null) {
            problems.error(line, "missing keyword after set reverse-route (expected: tag N, distance N, pool prefix-list NAME)");
            return;
        }
        if (k.equalsIgnoreCase("tag")) {
            Long t = Args.number(line, 3, "reverse-route tag", 0, 0xFFFFFFFFL, problems);
            if (t != null) {
                d.tag = t;
            }
        } else if (k.equalsIgnoreCase("distance")) {
            Long v = Args.number(line, 3, "reverse-route distance", 1, 255, problems);
            if (v != null) {
                d.distance = v.intValue();
            }
        } else if (k.equalsIgnoreCase("pool")) {
            GuardSection.entryPool(d, line, problems);
            return;
        } else {
            problems.error(line, "unknown keyword '" + k + "' in set reverse-route (expected: tag, distance, pool)");
            return;
        }
        Args.noMore(line, 4, "set reverse-route " + k.toLowerCase() + " N", problems);
    }
}
