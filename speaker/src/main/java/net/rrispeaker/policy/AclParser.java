package net.rrispeaker.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;
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
    /** Highest access-list entry sequence number (IOS). */
    static final long MAX_SEQ = Integer.MAX_VALUE;

    private final Map<String, Builder> lists = new LinkedHashMap<>();
    private Builder open;

    private static final class Builder {
        final String name;
        final AccessList.Kind kind;
        final String file;
        final int line;
        /** By sequence: adding or replacing one entry costs log n, so a 50,000-line list reads in linear-log time. */
        final TreeMap<Integer, AclEntry> entries = new TreeMap<>();

        Builder(String name, AccessList.Kind kind, String file, int line) {
            this.name = name;
            this.kind = kind;
            this.file = file;
            this.line = line;
        }

        /** IOS: the highest sequence so far rounded down to a multiple of 10, plus 10; throws when past the range. */
        int nextSeq() {
            long next = entries.isEmpty() ? 10 : entries.lastKey() / 10 * 10 + 10L;
            if (next > MAX_SEQ) {
                throw new IllegalArgumentException("no sequence number left after " + entries.lastKey()
                        + " (expected: give this entry a free sequence number 1-" + MAX_SEQ + ")");
            }
            return (int) next;
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
        int i = Tokens.isDigits(t.get(0)) ? 1 : 0;
        String action = i < t.size() ? Tokens.lower(t.get(i)) : "";
        if (action.equals("remark")) {
            return true;
        }
        if (!action.equals("permit") && !action.equals("deny")) {
            return false;
        }
        Integer seq = null;
        if (i == 1) {
            try {
                seq = (int) Tokens.number(t.get(0), 1, MAX_SEQ, "sequence number");
            } catch (IllegalArgumentException e) {
                problems.error(line, e.getMessage() + " in access-list " + open.name);
                return true;
            }
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
        lists.forEach((n, b) -> out.put(n, new AccessList(n, b.kind, new ArrayList<>(b.entries.values()), b.file, b.line)));
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
        if (!Tokens.isDigits(num)) {
            problems.error(line, "access-list number '" + Tokens.shown(num) + "' (expected: 1-199 or 1300-2699)");
            return;
        }
        long n = Tokens.value(num);
        AccessList.Kind kind;
        if ((n >= 1 && n <= 99) || (n >= 1300 && n <= 1999)) {
            kind = AccessList.Kind.STANDARD;
        } else if ((n >= 100 && n <= 199) || (n >= 2000 && n <= 2699)) {
            kind = AccessList.Kind.EXTENDED;
        } else {
            problems.error(line, "access-list number " + Tokens.shown(num) + " (expected: 1-199 or 1300-2699)");
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
        Builder b = list(Long.toString(n), kind, line, problems);
        entry(b, null, line, rest, problems);
    }

    private void entry(Builder b, Integer seq, ConfigLine line, List<String> t, Problems problems) {
        if (t.isEmpty() || !(t.get(0).equalsIgnoreCase("permit") || t.get(0).equalsIgnoreCase("deny"))) {
            problems.error(line, "expected permit or deny in access-list " + b.name);
            return;
        }
        boolean permit = t.get(0).equalsIgnoreCase("permit");
        try {
            int sequence = seq != null ? seq : b.nextSeq();
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
            b.entries.put(e.sequence(), e);
        } catch (IllegalArgumentException ex) {
            problems.error(line, ex.getMessage() + " in access-list " + b.name);
        }
    }

    private static void checkProtocol(String proto, boolean v6) {
        if (Tokens.isDigits(proto)) {
            Tokens.number(proto, 0, 255, "protocol number");
            return;
        }
        if (!PROTOCOLS.contains(proto.toLowerCase())) {
            throw new IllegalArgumentException("unknown protocol '" + Tokens.shown(proto) + "'");
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
        if (maybeWild != null && Tokens.address(maybeWild) instanceof Inet4Address) {
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
            String h = c.next("host address");
            InetAddress a = Tokens.address(h);
            if (a == null || a.getAddress().length != 16) {
                throw new IllegalArgumentException("'" + Tokens.shown(h) + "' is not an IPv6 address");
            }
            return AddressMatch.host(a);
        }
        if (!w.contains("/")) {
            throw new IllegalArgumentException("IPv6 operand '" + Tokens.shown(w) + "' (expected: PREFIX/LEN, host ADDR or any)");
        }
        Prefix p = Tokens.prefix(w, "prefix");
        if (!p.isIpv6()) {
            throw new IllegalArgumentException("'" + Tokens.shown(w) + "' is not an IPv6 prefix");
        }
        return AddressMatch.prefix(p);
    }

    private static InetAddress v4(String text) {
        InetAddress a = Tokens.address(text);
        if (a == null) {
            throw new IllegalArgumentException("invalid address '" + Tokens.shown(text) + "'");
        }
        if (a.getAddress().length != 4) {
            throw new IllegalArgumentException("'" + Tokens.shown(text) + "' is not an IPv4 address");
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

        /** Port qualifiers ({@code eq|neq|lt|gt PORT}, {@code range LOW HIGH}): checked, then skipped (a route has no port). */
        void skipPorts() {
            String p = peek();
            if (p == null) {
                return;
            }
            String op = Tokens.lower(p);
            if (PORT_OPS.contains(op)) {
                i++;
                port(op);
            } else if (op.equals("range")) {
                i++;
                long low = port(op);
                long high = port(op);
                if (low >= 0 && high >= 0 && low > high) {
                    throw new IllegalArgumentException("port range " + low + " " + high + " (expected: low <= high)");
                }
            }
        }

        /** A port number 0..65535, or -1 for a port name ({@code www}, {@code isakmp}...). */
        long port(String after) {
            String v = next("port after '" + after + "'");
            if (Tokens.isDigits(v)) {
                return Tokens.number(v, 0, 65535, "port");
            }
            for (int k = 0; k < v.length(); k++) {
                char ch = v.charAt(k);
                boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (k > 0 && (ch == '-' || (ch >= '0' && ch <= '9')));
                if (!ok) {
                    throw new IllegalArgumentException("port '" + Tokens.shown(v) + "' (expected: 0-65535 or a port name)");
                }
            }
            return -1;
        }

        /** Qualifiers that do not change which addresses match: log, established, dscp X, icmp types... */
        void skipTrailing() {
            i = t.size();
        }
    }
}
