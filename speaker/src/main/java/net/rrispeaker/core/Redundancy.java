package net.rrispeaker.core;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.InterfaceConfig;
import net.rrispeaker.config.RedundancyGroup;
import net.rrispeaker.config.SaBinding;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.paths.DesiredPaths;
import net.rrispeaker.paths.Standing;
import net.rrispeaker.redundancy.VrrpNotice;
import net.rrispeaker.redundancy.VrrpState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redundancy groups in the core ({@code crypto map NAME redundancy GROUP}, as IOS with HSRP): which
 * route table owner belongs to which group, what keepalived last said about each group's VRRP
 * instance, and so what each owner's routes may do ({@link DesiredPaths.Gate}). Owned by the core's
 * thread, like everything the {@link Speaker} holds; the gauges read a published copy.
 *
 * <p>SAs and routes of a standby group stay in the SA and route tables: only the paths are held
 * back (or worsened), so becoming active is one pass over the desired paths, no renegotiation.
 */
final class Redundancy implements DesiredPaths.Gate {
    private static final Logger log = LoggerFactory.getLogger(Redundancy.class);

    /** What keepalived last said about one instance (or sync group). */
    record Known(VrrpState state, int priority, long sinceNanos) {
    }

    /** One group as {@code show status} shows it. */
    record GroupView(RedundancyGroup group, Known known) {
    }

    private final MeterRegistry registry;
    private Map<String, RedundancyGroup> groups = Map.of();
    /** Owners (route table owner names) in a group; an owner not here is in none. */
    private final Map<Object, String> ownerGroup = new HashMap<>();
    /** Owners that left, kept until their routes' withdraw delay has passed, when they are forgotten. */
    private final Map<Object, Long> departed = new HashMap<>();
    /** By instance name: what keepalived said. Kept across reloads. */
    private final Map<String, Known> instances = new HashMap<>();
    /** The standing of each group now (active or its standby policy). */
    private final Map<String, Standing> standings = new HashMap<>();
    private long localAs;
    /** For the gauges (read on the metrics thread): state ordinal per group. */
    private volatile Map<String, Integer> published = Map.of();

    Redundancy(MeterRegistry registry) {
        this.registry = registry;
    }

    boolean enabled() {
        return !groups.isEmpty();
    }

    /** A (re)loaded configuration: groups, their standby policies and gauges. */
    void configure(Config config) {
        groups = config.redundancy().groups();
        localAs = config.bgp() == null ? 0 : config.bgp().asn();
        for (RedundancyGroup g : groups.values()) {
            Gauge.builder(Meters.REDUNDANCY_ACTIVE, this, r -> r.published.getOrDefault(g.name(), 0) == 1 ? 1 : 0)
                    .tag("group", g.name()).register(registry);
            Gauge.builder(Meters.REDUNDANCY_STATE, this, r -> r.published.getOrDefault(g.name(), 0))
                    .tag("group", g.name()).register(registry);
        }
        recomputeStandings();
    }

    /** The group of an SA's binding: the group of the crypto map set on the binding's interface. */
    String groupOf(Config config, SaBinding b) {
        if (groups.isEmpty() || b == null || b.entry() == null || b.iface() == null) {
            return null;
        }
        InterfaceConfig i = config.crypto().interfaces().get(b.iface());
        if (i == null || i.cryptoMap() == null) {
            return null;
        }
        RedundancyGroup g = config.redundancy().groupOfMap(i.cryptoMap());
        return g == null ? null : g.name();
    }

    void setOwner(Object owner, String group) {
        departed.remove(owner);
        if (group == null) {
            ownerGroup.remove(owner);
        } else {
            ownerGroup.put(owner, group);
        }
    }

    /** A rekey in place: {@code to} is in {@code from}'s group, and {@code from} is forgotten (its routes moved). */
    void renameOwner(Object from, Object to) {
        departed.remove(from);
        String group = ownerGroup.remove(from);
        departed.remove(to);
        if (group == null) {
            ownerGroup.remove(to);
        } else {
            ownerGroup.put(to, group);
        }
    }

    /** The owner's routes are leaving (withdraw delay): its group is remembered until {@code deadline}. */
    void ownerLeaving(Object owner, long deadline) {
        if (ownerGroup.containsKey(owner)) {
            departed.put(owner, deadline);
        }
    }

    void forgetDeparted(long now) {
        for (Iterator<Map.Entry<Object, Long>> it = departed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, Long> e = it.next();
            if (e.getValue() - now <= 0) {
                ownerGroup.remove(e.getKey());
                it.remove();
            }
        }
    }

    @Override
    public Standing standing(Set<Object> owners) {
        Standing standby = null;
        for (Object o : owners) {
            String g = ownerGroup.get(o);
            Standing s = g == null ? Standing.ACTIVE : standings.getOrDefault(g, Standing.WITHDRAW);
            if (s.active()) {
                return s; // one active owner (or one in no group) is enough
            }
            if (standby == null || (!standby.announce() && s.announce())) {
                standby = s;
            }
        }
        return standby == null ? Standing.ACTIVE : standby; // no owner known: as without groups
    }

    /**
     * A notice from keepalived. Returns the groups whose active/standby standing changed (the
     * caller re-decides the paths); a notice about an instance no group uses changes nothing.
     */
    List<String> notice(VrrpNotice n, long now) {
        if (n.stopAll()) {
            List<String> changed = new ArrayList<>();
            for (String instance : List.copyOf(instances.keySet())) {
                changed.addAll(set(instance, VrrpState.STOP, 0, now, "keepalived stopping"));
            }
            for (RedundancyGroup g : groups.values()) {
                if (!instances.containsKey(g.vrrpInstance())) {
                    changed.addAll(set(g.vrrpInstance(), VrrpState.STOP, 0, now, "keepalived stopping"));
                }
            }
            return changed;
        }
        if (n.state() == null) {
            return List.of(); // MASTER_RX_LOWER_PRI: nothing changes here
        }
        boolean used = groups.values().stream().anyMatch(g -> g.vrrpInstance().equals(n.name()));
        if (!used) {
            registry.counter(Meters.REDUNDANCY_NOTIFY_ERRORS, "reason", "unknown-instance").increment();
            log.debug("vrrp {} {} {}: no redundancy group uses it", n.group() ? "group" : "instance", n.name(), n.state());
            return List.of();
        }
        return set(n.name(), n.state(), n.priority(), now, (n.group() ? "sync group " : "instance ") + n.name());
    }

    /** keepalived is gone (its FIFO closed): every instance is unknown, so every group standby. */
    List<String> lost(long now, String why) {
        List<String> changed = new ArrayList<>();
        for (String instance : List.copyOf(instances.keySet())) {
            changed.addAll(set(instance, VrrpState.UNKNOWN, 0, now, why));
        }
        return changed;
    }

    private List<String> set(String instance, VrrpState state, int priority, long now, String why) {
        Known old = instances.get(instance);
        VrrpState before = old == null ? VrrpState.UNKNOWN : old.state();
        instances.put(instance, new Known(state, priority, old != null && old.state() == state ? old.sinceNanos() : now));
        List<String> changed = new ArrayList<>();
        for (RedundancyGroup g : groups.values()) {
            if (!g.vrrpInstance().equals(instance)) {
                continue;
            }
            if (before != state) {
                log.info("redundancy group {} (vrrp {}): {} -> {} priority {} ({})", g.name(), instance, before, state,
                        priority, why);
            }
            if (before.active() != state.active()) {
                changed.add(g.name());
                registry.counter(Meters.REDUNDANCY_TRANSITIONS, "group", g.name(), "to",
                        state.active() ? "active" : "standby").increment();
                log.warn("redundancy group {} is now {}: its routes are {}", g.name(),
                        state.active() ? "ACTIVE" : "STANDBY", state.active() ? "announced"
                                : g.standby().announce() ? "announced with " + g.standby().text() : "withdrawn");
            }
        }
        recomputeStandings();
        return changed;
    }

    private void recomputeStandings() {
        standings.clear();
        Map<String, Integer> pub = new LinkedHashMap<>();
        for (RedundancyGroup g : groups.values()) {
            Known k = instances.get(g.vrrpInstance());
            VrrpState s = k == null ? VrrpState.UNKNOWN : k.state();
            pub.put(g.name(), s.ordinal());
            if (s.active()) {
                standings.put(g.name(), Standing.ACTIVE);
            } else if (g.standby().announce()) {
                List<Long> prepend = new ArrayList<>();
                for (int i = 0; i < g.standby().prepend() && localAs != 0; i++) {
                    prepend.add(localAs);
                }
                standings.put(g.name(), Standing.announceWorse(g.standby().localPref(), g.standby().med(), prepend));
            } else {
                standings.put(g.name(), Standing.WITHDRAW);
            }
        }
        published = Map.copyOf(pub);
    }

    List<GroupView> view() {
        List<GroupView> out = new ArrayList<>();
        for (RedundancyGroup g : groups.values()) {
            out.add(new GroupView(g, instances.getOrDefault(g.vrrpInstance(), new Known(VrrpState.UNKNOWN, 0, Long.MIN_VALUE))));
        }
        return out;
    }

    /** The group of a route table owner, or {@code null}. */
    String groupOfOwner(Object owner) {
        return ownerGroup.get(owner);
    }

    /** The standing of a group now. */
    Standing standingOf(String group) {
        return standings.getOrDefault(group, Standing.ACTIVE);
    }
}
