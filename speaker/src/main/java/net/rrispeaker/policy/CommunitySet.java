package net.rrispeaker.policy;

import java.util.List;
import java.util.stream.Collectors;
import net.rrispeaker.model.BgpPath;

/**
 * {@code set community X... [additive]} / {@code set community none}. Without {@code additive} the
 * values replace every community (including the one the route's tag maps to); with it they are
 * appended (no duplicates); {@code none} removes all.
 */
public record CommunitySet(List<Long> values, boolean additive, boolean none) implements SetClause {

    public CommunitySet {
        values = List.copyOf(values);
    }

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        if (none || !additive) {
            a.communities().clear();
        }
        for (Long v : values) {
            if (!a.communities().contains(v)) {
                a.communities().add(v);
            }
        }
    }

    @Override
    public String text() {
        if (none) {
            return "set community none";
        }
        return "set community " + values.stream().map(BgpPath::communityText).collect(Collectors.joining(" "))
                + (additive ? " additive" : "");
    }
}
