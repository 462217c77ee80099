package net.rrispeaker.config;

import java.net.InetAddress;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.Problems;

/**
 * Reads {@code reverse-route [static | tag N [static] | remote-peer [IP [gateway]] [static]]}
 * ([RRI-XE], [RRI-IOS] in docs/references.md): the 12.4(15)T forms, and the legacy ones with a warning.
 */
final class ReverseRouteReader {
    private ReverseRouteReader() {
    }

    static void read(EntryDraft d, ConfigLine line, Problems problems) {
        boolean isStatic = false;
        boolean remotePeer = false;
        InetAddress address = null;
        boolean gateway = false;
        int i = 1;
        while (i < line.size()) {
            String k = line.token(i).toLowerCase();
            if (k.equals("static")) {
                isStatic = true;
                i++;
            } else if (k.equals("tag")) {
                Long t = Args.number(line, i + 1, "reverse-route tag", 0, 0xFFFFFFFFL, problems);
                if (t != null) {
                    d.tag = t;
                    problems.warning(line, "legacy 'reverse-route tag " + t
                            + "' (12.3(14)T); 12.4(15)T writes 'set reverse-route tag " + t + "'");
                }
                i += 2;
            } else if (k.equals("remote-peer") || (k.equals("remote") && "peer".equalsIgnoreCase(line.token(i + 1)))) {
                if (k.equals("remote")) {
                    problems.warning(line, "'remote peer' taken as 'remote-peer'");
                    i++;
                }
                remotePeer = true;
                i++;
                String next = line.token(i);
                if (next != null && Args.isAddress(next)) {
                    address = net.rrispeaker.model.Addresses.parse(next);
                    i++;
                    if ("gateway".equalsIgnoreCase(line.token(i))) {
                        gateway = true;
                        i++;
                    }
                } else if (next != null && !next.equalsIgnoreCase("static")) {
                    problems.error(line, "remote-peer next hop '" + next + "' is not an IP address");
                    return;
                }
            } else if (k.equals("gateway")) {
                problems.error(line, "'gateway' in reverse-route needs an address before it (expected: remote-peer IP gateway)");
                return;
            } else {
                problems.error(line, "unknown keyword '" + line.token(i)
                        + "' in reverse-route (expected: static, remote-peer [IP [gateway]], tag N)");
                return;
            }
        }
        if (remotePeer && address == null) {
            problems.warning(line, "'reverse-route remote-peer' without an address is the pre-12.4(15)T form: it adds the "
                    + "peer /32 via the crypto map's interface (12.4(15)T writes 'remote-peer IP gateway')");
        }
        if (d.type == MapEntry.Type.DYNAMIC && isStatic) {
            problems.warning(line, "'static' has no effect in a dynamic-map (no ACL to take routes from): routes follow the SAs");
            isStatic = false;
        }
        if (d.reverseRoute != null) {
            problems.warning(line, "reverse-route replaces the one on line " + d.reverseRoute.line());
        }
        d.reverseRoute = new ReverseRoute(isStatic, remotePeer, address, gateway, line.number());
    }
}
