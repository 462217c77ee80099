package net.rrispeaker.guard;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;

/**
 * One peer's claim on one prefix of one table: held (announced) or waiting ({@link #rule} says
 * why). Its age ({@link #since}) decides who wins: the oldest claim holds, the next-oldest takes over.
 * Owned by {@link RouteGuard}; mutable, not thread-safe.
 */
final class Claim {
    final String vrf;
    final Prefix prefix;
    InetAddress peer;
    final long since;
    /** The SAs of {@link #peer} that want it now; empty while a held claim waits out the withdraw delay. */
    final Set<ChildSa.Id> owners = new LinkedHashSet<>();
    /** Null while held; otherwise why it waits. */
    Rule rule;
    String detail = "";
    /** For a held claim without owners: when it goes. */
    long lingerUntil;

    Claim(String vrf, Prefix prefix, InetAddress peer, long since) {
        this.vrf = vrf;
        this.prefix = prefix;
        this.peer = peer;
        this.since = since;
    }

    boolean held() {
        return rule == null;
    }

    @Override
    public String toString() {
        return prefix + (vrf.isEmpty() ? "" : " vrf " + vrf) + " by " + peer + (held() ? " held" : " " + rule.tag());
    }
}
