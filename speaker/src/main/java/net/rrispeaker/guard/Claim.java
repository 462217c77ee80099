package net.rrispeaker.guard;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
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
    /**
     * The SAs of {@link #peer} that want it now; none while a held claim waits out the withdraw
     * delay. Null, the one SA's id (the common case: no set per claim), or a set in arrival order.
     */
    private Object owners;
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

    void addOwner(ChildSa.Id id) {
        if (owners == null) {
            owners = id;
        } else if (owners instanceof ChildSa.Id one) {
            if (!one.equals(id)) {
                Set<ChildSa.Id> set = new LinkedHashSet<>(4);
                set.add(one);
                set.add(id);
                owners = set;
            }
        } else {
            ownerSet().add(id);
        }
    }

    void removeOwner(ChildSa.Id id) {
        if (owners instanceof ChildSa.Id one) {
            if (one.equals(id)) {
                owners = null;
            }
        } else if (owners != null) {
            Set<ChildSa.Id> set = ownerSet();
            set.remove(id);
            if (set.isEmpty()) {
                owners = null;
            }
        }
    }

    boolean hasOwners() {
        return owners != null;
    }

    int ownerCount() {
        return owners == null ? 0 : owners instanceof ChildSa.Id ? 1 : ownerSet().size();
    }

    /** The owners in arrival order (a copy when there are several: callers may change them meanwhile). */
    List<ChildSa.Id> owners() {
        return owners == null ? List.of() : owners instanceof ChildSa.Id one ? List.of(one) : List.copyOf(ownerSet());
    }

    @SuppressWarnings("unchecked")
    private Set<ChildSa.Id> ownerSet() {
        return (Set<ChildSa.Id>) owners;
    }

    boolean held() {
        return rule == null;
    }

    @Override
    public String toString() {
        return prefix + (vrf.isEmpty() ? "" : " vrf " + vrf) + " by " + peer + (held() ? " held" : " " + rule.tag());
    }
}
