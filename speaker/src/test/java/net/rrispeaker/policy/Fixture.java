package net.rrispeaker.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.rrispeaker.config.BgpConfig;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigProblem;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.redistribution.Redistributor;

/** Small builders for policy tests: configuration text to a PolicySet, routes, BGP config. */
final class Fixture {
    static final long ASN = 65000;

    private Fixture() {
    }

    /** Result of parsing a configuration snippet. */
    record Parsed(PolicySet policies, List<ConfigProblem> problems) {
        List<String> messages() {
            return problems.stream().map(ConfigProblem::toString).toList();
        }
    }

    /** Parses lines the way the config parser does: sub-mode first, else top level, else unknown. */
    static Parsed parse(String... lines) {
        PolicyParser parser = new PolicyParser();
        Problems problems = new Problems();
        boolean inSub = false;
        int n = 0;
        for (String text : String.join("\n", lines).split("\n")) {
            n++;
            String s = text.strip();
            if (s.isEmpty() || s.startsWith("!")) {
                continue;
            }
            ConfigLine line = new ConfigLine("rri.conf", n, text, Arrays.asList(s.split("\\s+")));
            if (inSub && parser.subMode(line, problems)) {
                continue;
            }
            parser.closeSubMode();
            inSub = parser.topLevel(line, problems);
            if (!inSub) {
                problems.error(line, "unknown command '" + line.token(0) + "'");
            }
        }
        parser.closeSubMode();
        PolicySet set = parser.build(problems);
        return new Parsed(set, problems.all());
    }

    /** Parses and asserts there is no error. */
    static PolicySet policies(String... lines) {
        Parsed p = parse(lines);
        assertFalse(p.problems.stream().anyMatch(x -> x.severity() == ConfigProblem.Severity.ERROR),
                () -> "unexpected errors: " + p.messages());
        return p.policies;
    }

    static RouteBuilder route(String prefix) {
        return new RouteBuilder(prefix);
    }

    /** Builds a Route: defaults tag 0, distance 1, kind RRI, next hop 192.0.2.1 (or 2001:db8::1). */
    static final class RouteBuilder {
        private final Prefix prefix;
        private long tag;
        private int distance = 1;
        private RouteKind kind = RouteKind.RRI;
        private String iface;
        private String vrf = "";

        RouteBuilder(String prefix) {
            this.prefix = Prefix.parse(prefix);
        }

        RouteBuilder tag(long t) {
            tag = t;
            return this;
        }

        RouteBuilder distance(int d) {
            distance = d;
            return this;
        }

        RouteBuilder kind(RouteKind k) {
            kind = k;
            return this;
        }

        RouteBuilder iface(String i) {
            iface = i;
            return this;
        }

        RouteBuilder vrf(String v) {
            vrf = v;
            return this;
        }

        Route build() {
            return new Route(vrf, prefix, Addresses.parse(prefix.isIpv4() ? "192.0.2.1" : "2001:db8::1"), iface,
                    distance, tag, kind, "test");
        }

        @Override
        public String toString() {
            return prefix + (tag != 0 ? " tag " + tag : "") + (kind != RouteKind.RRI ? " " + kind : "")
                    + (iface != null ? " via " + iface : "");
        }
    }

    /** {@code router bgp 65000} redistributing static in IPv4 and IPv6 (global) through {@code map} (or none). */
    static BgpConfig bgp(String map, Long metric) {
        BgpConfig.RedistributeStatic rs = new BgpConfig.RedistributeStatic(metric, map, "rri.conf", 99);
        return new BgpConfig(ASN, Map.of(BgpConfig.AddressFamily.IPV4, rs, BgpConfig.AddressFamily.IPV6, rs),
                new BgpConfig.AttributeMapping(ASN, 100L), 90);
    }

    /** Evaluates {@code route-map RRI} of the configuration through a Redistributor (next hop self). */
    static PolicyDecision decide(PolicySet p, Route r) {
        return new Redistributor(bgp("RRI", null), p, true).decide(r);
    }

    static long community(int hi, int lo) {
        return ((long) hi << 16) | lo;
    }
}
