package net.rrispeaker.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;

/**
 * Parses IOS access lists: numbered ({@code access-list 1..99|1300..1999} standard,
 * {@code 100..199|2000..2699} extended), named ({@code ip access-list standard|extended NAME} with
 * {@code [SEQ] permit|deny ...} and {@code remark} lines) and {@code ipv6 access-list NAME}.
 */
public final class AclParser implements ConfigSection {
    private static final Set<String> PROTOCOLS = Set.of("ip", "tcp", "udp", "icmp", "esp", "ahp", "gre",
            "igmp", "ospf", "eigrp", "pim", "sctp", "ipinip", "nos", "pcp", "ipv6", "icmpv6");
    private static final Set<String> PORT_OPS = Set.of("eq", "neq", "lt", "gt");

    private final Map<String, Builder> lists = new LinkedHashMap<>();
    private Builder open;

    private static final class Builder {
        final String name;
        final AccessList.Kind kind;
        final String file;
        final int line;
        final List<AclEntry> entries = new ArrayList<>();

        Builder(String name, AccessList.Kind kind, String file, int line) {
            this.name = name;
            this.kind = kind;
            this.file = file;
            this.line = line;
        }

        int nextSeq() {
            return entries.isEmpty() ? 10 : entries.get(entries.size() - 1).sequence() / 10 * 10 + 10;
        }
    }

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (line.startsWith("access-list")) {
            numbered(line, problems);
            return true;
        }
        if (line.startsWith("ip", "access-list")) {
            String type = line.token(2);
            String name = line.token(3);
            if (type == null || name == null || !(type.equalsIgnoreCase("standard") || type.equalsIgnoreCase("extended"))) {
                problems.error(line, "expected 'ip access-list standard|extended NAME'");
                return true;
            }
            open = list(name, type.equalsIgnoreCase("standard") ? AccessList.Kind.STANDARD : AccessList.Kind.EXTENDED, line, problems);
            return true;
        }
        if (line.startsWith("ipv6", "access-list")) {
            String name = line.token(2);
            if (name == null) {
                problems.error(line, "expected 'ipv6 access-list NAME'");
                return true;
            }
            open = list(name, AccessList.Kind.IPV6, line, problems);
            return true;
        }
        return false;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        if (open == null) {
            return false;
        }
        List<String> t = line.tokens();
        int i = 0;
        Integer seq = null;
        if (t.get(0).matches("\\d+")) {
            seq = Integer.parseInt(t.get(0));
            i = 1;
        }
        String action = i < t.size() ? t.get(i).toLowerCase() : "";
        if (action.equals("remark")) {
            return true;
        }
        if (!action.equals("permit") && !action.equals("deny")) {
            return false;
        }
        entry(open, seq, line, t.subList(i, t.size()), problems);
        return true;
    }

    @Override
    public void closeSubMode() {
        open = null;
    }

    /** Access lists parsed so far (call after the whole configuration was read). */
    public Map<String, AccessList> build() {
        Map<String, AccessList> out = new LinkedHashMap<>();
        lists.forEach((n, b) -> out.put(n, new AccessList(n, b.kind, b.entries, b.file, b.line)));
        return out;
    }

    private Builder list(String name, AccessList.Kind kind, ConfigLine line, Problems problems) {
        Builder b = lists.get(name);
        if (b == null) {
            b = new Builder(name, kind, line.file(), line.number());
            lists.put(name, b);
        } else if (b.kind != kind) {
            problems.error(line, "access-list " + name + " is " + b.kind.name().toLowerCase()
                    + " (defined at line " + b.line + "), cannot add " + kind.name().toLowerCase() + " entries");
        }
        return b;
    }

    private void numbered(ConfigLine line, Problems problems) {
        String num = line.token(1);
        int n;
        try {
            n = Integer.parseInt(num == null ? "" : num);
        } catch (NumberFormatException e) {
            problems.error(line, "access-list number '" + num + "' (expected: 1-199 or 1300-2699)");
            return;
        }
        AccessList.Kind kind;
        if ((n >= 1 && n <= 99) || (n >= 1300 && n <= 1999)) {
            kind = AccessList.Kind.STANDARD;
        } else if ((n >= 100 && n <= 199) || (n >= 2000 && n <= 2699)) {
            kind = AccessList.Kind.EXTENDED;
        } else {
            problems.error(line, "access-list number " + n + " (expected: 1-199 or 1300-2699)");
            return;
        }
        List<String> rest = line.tokens().subList(2, line.size());
        if (!rest.isEmpty() && rest.get(0).equalsIgnoreCase("remark")) {
            return;
        }
        if (!rest.isEmpty() && rest.get(0).equalsIgnoreCase("dynamic")) {
            problems.error(line, "dynamic (lock-and-key) access lists are not supported");
            return;
        }
        Builder b = list(Integer.toString(n), kind, line, problems);
        entry(b, null, line, rest, problems);
    }

    private void entry(Builder b, Integer seq, ConfigLine line, List<String> t, Problems problems) {
        if (t.isEmpty() || !(t.get(0).equalsIgnoreCase("permit") || t.get(0).equalsIgnoreCase("deny"))) {
            problems.error(line, "expected permit or deny in access-list " + b.name);
            return;
        }
        boolean permit = t.get(0).equalsIgnoreCase("permit");
        int sequence = seq != null ? seq : b.nextSeq();
        try {
            Cursor c = new Cursor(t, 1, line);
            AclEntry e;
            switch (b.kind) {
                case STANDARD -> {
                    AddressMatch src = v4Operand(c);
                    c.skipTrailing();
                    e = new AclEntry(sequence, permit, null, src, null, line.text().strip(), line.number());
                }
                case EXTENDED -> {
                    String proto = c.next("protocol");
                    checkProtocol(proto, false);
                    AddressMatch src = v4Operand(c);
                    c.skipPorts();
                    AddressMatch dst = v4Operand(c);
                    c.skipPorts();
                    c.skipTrailing();
                    e = new AclEntry(sequence, permit, proto.toLowerCase(), src, dst, line.text().strip(), line.number());
                }
                default -> {
                    String proto = c.next("protocol");
                    checkProtocol(proto, true);
                    AddressMatch src = v6Operand(c);
                    c.skipPorts();
                    AddressMatch dst = v6Operand(c);
                    c.skipPorts();
                    c.skipTrailing();
                    e = new AclEntry(sequence, permit, proto.toLowerCase(), src, dst, line.text().strip(), line.number());
                }
            }
            b.entries.removeIf(x -> x.sequence() == e.sequence());
            b.entries.add(e);
            b.entries.sort((x, y) -> Integer.compare(x.sequence(), y.sequence()));
        } catch (IllegalArgumentException ex) {
            problems.error(line, ex.getMessage() + " in access-list " + b.name);
        }
    }

    private static void checkProtocol(String proto, boolean v6) {
        if (proto.matches("\\d+")) {
            int n = Integer.parseInt(proto);
            if (n < 0 || n > 255) {
                throw new IllegalArgumentException("protocol number " + n + " (expected: 0-255)");
            }
            return;
        }
        if (!PROTOCOLS.contains(proto.toLowerCase())) {
            throw new IllegalArgumentException("unknown protocol '" + proto + "'");
        }
        if (v6 && proto.equalsIgnoreCase("ip")) {
            throw new IllegalArgumentException("protocol 'ip' in an IPv6 access list (expected: ipv6)");
        }
    }

    private static AddressMatch v4Operand(Cursor c) {
        String w = c.next("address");
        if (w.equalsIgnoreCase("any")) {
            return AddressMatch.any(false);
        }
        if (w.equalsIgnoreCase("host")) {
            return AddressMatch.host(v4(c.next("host address")));
        }
        InetAddress a = v4(w);
        String maybeWild = c.peek();
        if (maybeWild != null && Addresses.isLiteral(maybeWild) && maybeWild.contains(".")) {
            c.next("wildcard");
            return new AddressMatch(a, v4(maybeWild).getAddress());
        }
        return AddressMatch.host(a);
    }

    private static AddressMatch v6Operand(Cursor c) {
        String w = c.next("address");
        if (w.equalsIgnoreCase("any")) {
            return AddressMatch.any(true);
        }
        if (w.equalsIgnoreCase("host")) {
            InetAddress a = Addresses.parse(c.next("host address"));
            if (a.getAddress().length != 16) {
                throw new IllegalArgumentException("'" + a.getHostAddress() + "' is not an IPv6 address");
            }
            return AddressMatch.host(a);
        }
        if (!w.contains("/")) {
            throw new IllegalArgumentException("IPv6 operand '" + w + "' (expected: PREFIX/LEN, host ADDR or any)");
        }
        Prefix p = Prefix.parse(w);
        if (!p.isIpv6()) {
            throw new IllegalArgumentException("'" + w + "' is not an IPv6 prefix");
        }
        return AddressMatch.prefix(p);
    }

    private static InetAddress v4(String text) {
        InetAddress a;
        try {
            a = Addresses.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid address '" + text + "'");
        }
        if (a.getAddress().length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        return a;
    }

    /** Walks the tokens of one entry. */
    private static final class Cursor {
        final List<String> t;
        int i;

        Cursor(List<String> t, int i, ConfigLine line) {
            this.t = t;
            this.i = i;
        }

        String peek() {
            return i < t.size() ? t.get(i) : null;
        }

        String next(String what) {
            if (i >= t.size()) {
                throw new IllegalArgumentException("missing " + what);
            }
            return t.get(i++);
        }

        void skipPorts() {
            String p = peek();
            if (p == null) {
                return;
            }
            if (PORT_OPS.contains(p.toLowerCase())) {
                i += 2;
            } else if (p.equalsIgnoreCase("range")) {
                i += 3;
            }
        }

        /** Qualifiers that do not change which addresses match: log, established, dscp X, icmp types... */
        void skipTrailing() {
            i = t.size();
        }
    }
}
