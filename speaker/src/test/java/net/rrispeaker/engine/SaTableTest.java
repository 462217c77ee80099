package net.rrispeaker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.Test;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;

class SaTableTest {
    static ChildSa sa(String conn, long ike, long child, String... remoteTs) {
        return new ChildSa(conn, ike, "lan", child, 1, Addresses.parse("192.0.2.1"), Addresses.parse("192.0.2.2"),
                "spoke1", List.of(Prefix.parse("10.80.0.0/16")),
                java.util.Arrays.stream(remoteTs).map(Prefix::parse).toList(), 0, List.of());
    }

    @Test
    void childRekeyReplacesTheOldIdWithTheNew() {
        SaTable t = new SaTable();
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 2, "10.81.2.0/29")));
        SaTable.Change c = t.apply(new SaEvent.ChildRekeyed(sa("spokes", 2, 2, "10.81.2.0/29"), sa("spokes", 2, 3, "10.81.2.0/29")));
        assertEquals(1, c.added().size());
        assertEquals(1, c.removed().size());
        assertEquals(3, t.all().iterator().next().childId());
    }

    @Test
    void ikeDownRemovesEveryChildOfThatIkeSaOnly() {
        SaTable t = new SaTable();
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 2, "10.81.2.0/29")));
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 4, "10.81.3.0/28")));
        t.apply(new SaEvent.ChildUp(sa("spokes", 7, 9, "10.81.9.0/28")));
        SaTable.Change c = t.apply(new SaEvent.IkeDown("spokes", 2));
        assertEquals(2, c.removed().size());
        assertEquals(1, t.size());
    }

    @Test
    void ikeRekeyMovesChildrenWithoutAChange() {
        SaTable t = new SaTable();
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 2, "10.81.2.0/29")));
        SaTable.Change c = t.apply(new SaEvent.IkeRekeyed("spokes", 2, 5));
        assertTrue(c.isEmpty());
        t.apply(new SaEvent.IkeDown("spokes", 2));
        assertEquals(1, t.size(), "the child moved to IKE_SA 5; a late down of IKE_SA 2 must not remove it");
    }

    @Test
    void peerAddressChangeReplacesTheChildrenOfThatIkeSaWithTheNewRemoteHostUnderTheSameIds() {
        SaTable t = new SaTable();
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 2, "10.81.2.0/29")));
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 4, "10.81.3.0/28")));
        t.apply(new SaEvent.ChildUp(sa("spokes", 7, 9, "10.81.9.0/28")));
        t.apply(new SaEvent.ChildUp(sa("branch", 2, 5, "10.82.0.0/24")));
        SaTable.Change c = t.apply(new SaEvent.IkeAddressChanged("spokes", 2, Addresses.parse("198.51.100.7")));
        assertEquals(List.of(sa("spokes", 2, 2, "10.81.2.0/29"), sa("spokes", 2, 4, "10.81.3.0/28")), c.removed());
        assertEquals(List.of(new ChildSa.Id("spokes", 2), new ChildSa.Id("spokes", 4)),
                c.added().stream().map(ChildSa::id).toList());
        assertTrue(c.added().stream().allMatch(sa -> sa.remoteHost().equals(Addresses.parse("198.51.100.7"))));
        assertEquals(List.of("198.51.100.7", "198.51.100.7", "192.0.2.2", "192.0.2.2"),
                t.all().stream().map(sa -> sa.remoteHost().getHostAddress()).toList(),
                "IKE_SA 7 of spokes and IKE_SA 2 of branch are other IKE_SAs and keep their peer address");
        assertEquals(c.added().get(0).remoteTs(), c.removed().get(0).remoteTs());
    }

    @Test
    void peerAddressChangeToTheSameAddressOrForAnUnknownIkeSaIsNoChange() {
        SaTable t = new SaTable();
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 2, "10.81.2.0/29")));
        assertTrue(t.apply(new SaEvent.IkeAddressChanged("spokes", 2, Addresses.parse("192.0.2.2"))).isEmpty());
        assertTrue(t.apply(new SaEvent.IkeAddressChanged("spokes", 3, Addresses.parse("198.51.100.7"))).isEmpty());
        assertEquals(Addresses.parse("192.0.2.2"), t.all().iterator().next().remoteHost());
    }

    @Test
    void snapshotReportsOnlyTheDifference() {
        SaTable t = new SaTable();
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 2, "10.81.2.0/29")));
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 4, "10.81.3.0/28")));
        SaTable.Change c = t.apply(new SaEvent.Snapshot(List.of(sa("spokes", 2, 2, "10.81.2.0/29"), sa("spokes", 8, 8, "10.81.8.0/28"))));
        assertEquals(List.of(sa("spokes", 8, 8, "10.81.8.0/28")), c.added());
        assertEquals(List.of(sa("spokes", 2, 4, "10.81.3.0/28")), c.removed());
    }
    @Test
    void snapshotKeepsTheKnownSasOfAnIkeSaWhoseRecordWasUnreadable() {
        SaTable t = new SaTable();
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 2, "10.81.2.0/29")));
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 4, "10.81.3.0/28")));
        t.apply(new SaEvent.ChildUp(sa("spokes", 7, 9, "10.81.9.0/28")));
        t.apply(new SaEvent.ChildUp(sa("hubs", 2, 5, "10.82.0.0/24")));
        // spokes[2] was unreadable but its child 4 was read (and changed); spokes[7] and hubs[2] are gone
        SaTable.Change c = t.apply(new SaEvent.Snapshot(List.of(sa("spokes", 2, 4, "10.81.4.0/28")),
                List.of(SaEvent.UnreadableIkeSa.of("spokes", 2))));
        assertEquals(List.of(sa("spokes", 2, 4, "10.81.4.0/28")), c.added(), "what was read still applies");
        assertEquals(List.of(sa("spokes", 2, 4, "10.81.3.0/28"), sa("spokes", 7, 9, "10.81.9.0/28"),
                sa("hubs", 2, 5, "10.82.0.0/24")), c.removed());
        assertTrue(t.all().contains(sa("spokes", 2, 2, "10.81.2.0/29")), "what was not read stays as it was");
        assertEquals(2, t.size());
    }

    @Test
    void snapshotWithAnUnreadableConnectionKeepsAllItsSasAndAnUnidentifiedRecordKeepsEverything() {
        SaTable t = new SaTable();
        t.apply(new SaEvent.ChildUp(sa("spokes", 2, 2, "10.81.2.0/29")));
        t.apply(new SaEvent.ChildUp(sa("spokes", 7, 9, "10.81.9.0/28")));
        t.apply(new SaEvent.ChildUp(sa("hubs", 2, 5, "10.82.0.0/24")));
        SaTable.Change c = t.apply(new SaEvent.Snapshot(List.of(), List.of(SaEvent.UnreadableIkeSa.connection("spokes"))));
        assertEquals(List.of(sa("hubs", 2, 5, "10.82.0.0/24")), c.removed());
        assertEquals(2, t.size());
        c = t.apply(new SaEvent.Snapshot(List.of(), List.of(SaEvent.UnreadableIkeSa.unidentified())));
        assertTrue(c.isEmpty());
        assertEquals(2, t.size());
        c = t.apply(new SaEvent.Snapshot(List.of()));
        assertEquals(2, c.removed().size(), "a clean snapshot is the whole truth again");
    }
}
