package net.rrispeaker.guard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;

/** A guard over a small configuration, SAs to feed it, and what it reported. */
final class GuardFixture implements RouteGuard.Recorder {
    /** Every connection on one dynamic map with plain reverse-route; no withdraw delay unless a test sets one. */
    static final String BASE = """
            rri withdraw-delay 0
            crypto dynamic-map DYN 10
             match ipsec-connection *
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            """;

    final List<Refusal> refused = new ArrayList<>();
    final List<Refusal> overlaps = new ArrayList<>();
    final RouteGuard guard;
    long now;

    GuardFixture(String extra) throws ConfigException {
        guard = new RouteGuard(config(extra), this);
    }

    /** A guard over {@code text} alone (no {@link #BASE}). */
    static GuardFixture of(String text) throws ConfigException {
        return new GuardFixture(parse(text));
    }

    private GuardFixture(Config config) {
        guard = new RouteGuard(config, this);
    }

    static Config config(String extra) throws ConfigException {
        return parse(BASE + extra);
    }

    static Config parse(String text) throws ConfigException {
        return ConfigParser.parse("t.conf", text);
    }

    @Override
    public void refused(Refusal r) {
        refused.add(r);
    }

    @Override
    public void overlapPermitted(Refusal notice) {
        overlaps.add(notice);
    }

    /** An SA of connection {@code c}, IKE_SA = CHILD_SA id, local 192.0.2.1 protecting 10.80.0.0/16. */
    static ChildSa sa(long child, String peer, String... remoteTs) {
        return sa("c", child, peer, List.of("10.80.0.0/16"), remoteTs);
    }

    static ChildSa sa(String connection, long child, String peer, List<String> localTs, String... remoteTs) {
        return new ChildSa(connection, child, "lan", child, 1, Addresses.parse("192.0.2.1"), Addresses.parse(peer),
                "peer", localTs.stream().map(Prefix::parse).toList(),
                Arrays.stream(remoteTs).map(Prefix::parse).toList(), 0, List.of());
    }

    /** The SA comes up; its own routes as the guard admits them now. */
    List<String> up(ChildSa sa) {
        guard.up(sa, now);
        return announced(sa);
    }

    void down(ChildSa sa) {
        guard.down(sa.id(), now);
    }

    /** The prefixes of one SA's admitted routes. */
    List<String> announced(ChildSa sa) {
        return guard.admitted(sa.id()).stream().map(Route::prefix).map(Prefix::toString).toList();
    }

    /** "prefix rule" of each of one SA's refusals now. */
    List<String> refusals(ChildSa sa) {
        return guard.refusals(sa.id()).stream().map(r -> r.prefix() + " " + r.rule().tag()).toList();
    }

    /** The rule that refuses the only selector of an SA, or "announced". */
    String verdict(ChildSa sa) {
        up(sa);
        List<Refusal> r = guard.refusals(sa.id());
        return r.isEmpty() ? "announced" : r.get(0).rule().tag();
    }
}
