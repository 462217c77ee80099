package net.rrispeaker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.rrispeaker.engine.RouteTable;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.sink.RouteSink;
import org.junit.jupiter.api.Test;

class RouteFeedTest {
    private final RouteTable table = new RouteTable(0);
    private final RouteFeed feed = new RouteFeed();
    private final List<String> calls = new ArrayList<>();
    private final RouteSink sink = new RouteSink() {
        @Override
        public void changed(List<Route> removed, List<Route> added) {
            calls.add("changed -" + names(removed) + " +" + names(added));
        }

        @Override
        public void resync(Collection<Route> all) {
            calls.add("resync " + names(all));
        }

        @Override
        public void close() {
        }
    };

    private static String names(Collection<Route> routes) {
        return routes.stream().map(r -> r.prefix() + ">" + Addresses.format(r.nextHop()) + "/" + r.distance())
                .sorted().toList().toString();
    }

    private static Route route(String prefix, String nh, int distance) {
        return new Route("", Prefix.parse(prefix), Addresses.parse(nh), null, distance, 5, RouteKind.RRI, "DYN 10");
    }

    private void flush(boolean inSync) {
        feed.flush(table.drainDirty(), table, inSync);
    }

    @Test
    void nothingBeforeTheSourceIsInSyncThenTheWholeSetThenChanges() {
        feed.add(sink);
        table.setOwner("sa:1", List.of(route("10.81.2.0/29", "192.0.2.2", 20)), 0);
        flush(false);
        assertEquals(List.of(), calls);
        flush(true);
        assertEquals(List.of("resync [10.81.2.0/29>192.0.2.2/20]"), calls);
        table.setOwner("sa:2", List.of(route("10.81.3.0/29", "192.0.2.3", 20)), 0);
        table.removeOwner("sa:1", 0);
        flush(true);
        assertEquals("changed -[10.81.2.0/29>192.0.2.2/20] +[10.81.3.0/29>192.0.2.3/20]", calls.get(1));
        flush(true);
        assertEquals(2, calls.size(), "nothing changed, nothing said");
    }

    @Test
    void onlyTheWinnerOfADestinationIsHandedOver() {
        feed.add(sink);
        flush(true);
        table.setOwner("sa:1", List.of(route("10.81.2.0/29", "192.0.2.2", 20)), 0);
        flush(true);
        // a second peer claims the prefix at a better distance: the winner changes
        table.setOwner("sa:2", List.of(route("10.81.2.0/29", "192.0.2.9", 10)), 0);
        flush(true);
        // a worse claim changes nothing
        table.setOwner("sa:3", List.of(route("10.81.2.0/29", "192.0.2.7", 30)), 0);
        flush(true);
        assertEquals(List.of("resync []", "changed -[] +[10.81.2.0/29>192.0.2.2/20]",
                "changed -[10.81.2.0/29>192.0.2.2/20] +[10.81.2.0/29>192.0.2.9/10]"), calls);
    }

    @Test
    void aSinkAttachedLaterGetsTheWholeSet() {
        table.setOwner("sa:1", List.of(route("10.81.2.0/29", "192.0.2.2", 20)), 0);
        flush(true);
        feed.add(sink);
        assertEquals(List.of("resync [10.81.2.0/29>192.0.2.2/20]"), calls);
    }
}
