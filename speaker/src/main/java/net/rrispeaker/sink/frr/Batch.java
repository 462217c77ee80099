package net.rrispeaker.sink.frr;

import java.util.ArrayList;
import java.util.List;

/**
 * One vtysh transaction: static routes of the speaker to remove, then to add. Removals come first
 * in each VRF block, so a route that changes tag or distance is replaced within the transaction.
 */
record Batch(List<StaticLine> removes, List<StaticLine> adds) {

    Batch {
        removes = List.copyOf(removes);
        adds = List.copyOf(adds);
    }

    boolean isEmpty() {
        return removes.isEmpty() && adds.isEmpty();
    }

    /** The configuration text for {@code vtysh -f}. */
    String text() {
        List<StaticConfig.Command> commands = new ArrayList<>(removes.size() + adds.size());
        removes.forEach(l -> commands.add(new StaticConfig.Command(l, true)));
        adds.forEach(l -> commands.add(new StaticConfig.Command(l, false)));
        return StaticConfig.render(commands);
    }
}
