package net.rrispeaker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;

class RouteTableTest {
    private static final long MS = 1_000_000L;

    private static Route rri(String prefix, String nh, int distance, long tag, String origin) {
        return new Route("", Prefix.parse(prefix), Addresses.parse(nh), null, distance, tag, RouteKind.RRI, origin);
    }

    @Test
    void rekeyNewOwnerBeforeOldGoesNeverRemovesTheRoute() {
        RouteTable t = new RouteTable(0);
        Route r = rri("10.81.2.0/29", "192.0.2.2", 1, 5, "dyn 10");
        t.setOwner("sa:spokes/1", List.of(r), 0);
        t.drainDirty();
        t.setOwner("sa:spokes/2", List.of(r), 1);
        t.removeOwner("sa:spokes/1", 2);
        assertEquals(1, t.size());
        assertEquals(1, t.refCount(r.key()));
        assertTrue(t.drainDirty().isEmpty(), "an unchanged route must not be reported as changed");
    }

    @Test
    void breakBeforeMakeWithinTheWithdrawDelayDoesNotWithdraw() {
        RouteTable t = new RouteTable(200 * MS);
        Route r = rri("10.81.2.0/29", "192.0.2.2", 1, 5, "dyn 10");
        t.setOwner("sa:spokes/1", List.of(r), 0);
        t.drainDirty();
        t.removeOwner("sa:spokes/1", 10 * MS);
        assertEquals(1, t.size(), "kept while the withdraw delay runs");
        t.setOwner("sa:spokes/2", List.of(r), 12 * MS);
        assertEquals(Long.MAX_VALUE, t.expire(500 * MS));
        assertEquals(1, t.size());
        assertTrue(t.drainDirty().isEmpty());
    }

    @Test
    void lastOwnerGoneRemovesAfterTheDelay() {
        RouteTable t = new RouteTable(200 * MS);
        Route r = rri("10.81.2.0/29", "192.0.2.2", 1, 5, "dyn 10");
        t.setOwner("sa:a/1", List.of(r), 0);
        t.drainDirty();
        t.removeOwner("sa:a/1", 0);
        assertEquals(200 * MS, t.expire(100 * MS));
        assertEquals(1, t.size());
        t.expire(200 * MS);
        assertEquals(0, t.size());
        assertEquals(Set.of(new RouteTable.Dest("", Prefix.parse("10.81.2.0/29"))), t.drainDirty());
    }

    @Test
    void twoOwnersWithDifferentDistancesTheLowerWins() {
        RouteTable t = new RouteTable(0);
        Route far = rri("10.1.0.0/16", "192.0.2.2", 20, 0, "map a");
        Route near = rri("10.1.0.0/16", "192.0.2.2", 1, 7, "map b");
        t.setOwner("x", List.of(far), 0);
        t.setOwner("y", List.of(near), 0);
        RouteTable.Dest d = new RouteTable.Dest("", Prefix.parse("10.1.0.0/16"));
        assertEquals(List.of(near), t.routes(d));
        t.removeOwner("y", 0);
        assertEquals(List.of(far), t.routes(d));
    }

    @Test
    void samePrefixFromTwoPeersGivesTwoRoutesBestFirst() {
        RouteTable t = new RouteTable(0);
        Route a = rri("10.1.0.0/16", "192.0.2.9", 1, 0, "map a");
        Route b = rri("10.1.0.0/16", "192.0.2.2", 1, 0, "map a");
        t.setOwner("sa:x/1", List.of(a), 0);
        t.setOwner("sa:x/2", List.of(b), 0);
        List<Route> rs = t.routes(new RouteTable.Dest("", Prefix.parse("10.1.0.0/16")));
        assertEquals(List.of(b, a), rs, "equal distance: lowest next hop first, deterministic");
    }

    @Test
    void ownerReplacingItsRoutesOnlyTouchesTheDifference() {
        RouteTable t = new RouteTable(0);
        Route keep = rri("10.1.0.0/16", "192.0.2.2", 1, 0, "m");
        Route drop = rri("10.2.0.0/16", "192.0.2.2", 1, 0, "m");
        Route add = rri("10.3.0.0/16", "192.0.2.2", 1, 0, "m");
        t.setOwner("o", List.of(keep, drop), 0);
        t.drainDirty();
        t.setOwner("o", List.of(keep, add), 0);
        assertEquals(Set.of(new RouteTable.Dest("", drop.prefix()), new RouteTable.Dest("", add.prefix())), t.drainDirty());
    }

    @Test
    void renamingAnOwnerMovesItsRoutesWithoutDirtyingAndItsGoingKeepsTheWithdrawDelay() {
        RouteTable t = new RouteTable(200 * MS);
        Route r = rri("10.81.2.0/29", "192.0.2.2", 1, 5, "dyn 10");
        Route peer = rri("192.0.2.2/32", "192.0.2.9", 1, 5, "dyn 10");
        Route shared = rri("10.81.3.0/29", "192.0.2.2", 1, 5, "dyn 10");
        t.setOwner("a", List.of(r, peer, shared), 0);
        t.setOwner("other", List.of(shared), 0);
        t.drainDirty();

        assertTrue(t.renameOwner("a", "b"));
        assertEquals(Set.of(), t.drainDirty());
        assertEquals(List.of(), t.routesOf("a"));
        assertEquals(List.of(r, peer, shared), t.routesOf("b"));
        assertEquals(Set.of("b"), t.owners(r.key()));
        assertEquals(Set.of("b", "other"), t.owners(shared.key()));
        assertEquals(3, t.size());

        // an owner that has routes already is not renamed onto
        assertFalse(t.renameOwner("b", "other"));
        assertEquals(Set.of("b", "other"), t.owners(shared.key()));

        t.removeOwner("b", 0);
        assertEquals(Set.of("other"), t.owners(shared.key()));
        assertEquals(0, t.refCount(r.key()));
        assertEquals(3, t.size(), "the withdraw delay is kept");
        t.expire(200 * MS);
        assertEquals(1, t.size());
    }
}
