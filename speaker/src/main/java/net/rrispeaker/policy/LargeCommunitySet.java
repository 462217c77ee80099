package net.rrispeaker.policy;

import java.util.List;
import java.util.stream.Collectors;
import net.rrispeaker.model.BgpPath;

/** {@code set large-community G:L1:L2... [additive]} / {@code none}: as {@link CommunitySet}, for RFC 8092 values. */
public record LargeCommunitySet(List<BgpPath.LargeCommunity> values, boolean additive, boolean none)
        implements SetClause {

    public LargeCommunitySet {
        values = List.copyOf(values);
    }

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        if (none || !additive) {
            a.largeCommunities().clear();
        }
        for (BgpPath.LargeCommunity v : values) {
            if (!a.largeCommunities().contains(v)) {
                a.largeCommunities().add(v);
            }
        }
    }

    @Override
    public String text() {
        if (none) {
            return "set large-community none";
        }
        return "set large-community " + values.stream().map(Object::toString).collect(Collectors.joining(" "))
                + (additive ? " additive" : "");
    }
}
