package net.rrispeaker.it;

import java.util.List;
import net.rrispeaker.it.RouteMapCase.AclDef;
import net.rrispeaker.it.RouteMapCase.EntryDef;
import net.rrispeaker.it.RouteMapCase.MapDef;
import net.rrispeaker.it.RouteMapCase.PlEntry;
import net.rrispeaker.it.RouteMapCase.PrefixListDef;
import net.rrispeaker.it.RouteMapCase.SetDef;

/**
 * The hand-written part of the differential corpus: the route-maps of the Cisco
 * documents in docs/references.md, and one case per
 * documented IOS-vs-FRR difference (docs/route-maps.md), which must keep showing that difference.
 */
final class FixedRouteMapCases {
    private FixedRouteMapCases() {
    }

    /** Names of the documented differences (docs/route-maps.md, "Differential test against FRR"). */
    static final String CONTINUE_FALLTHROUGH = "continue-fallthrough";
    static final String DEFERRED_SETS = "deferred-sets";
    static final String UNDEFINED_LIST = "undefined-list";
    static final String FRR_SET_METRIC_REENTRY = "frr-set-metric-reentry";

    /**
     * The route-maps of the Cisco documents (docs/references.md), adapted to {@code redistribute
     * static} in BGP: [RRI-IOS] "Configuring RRI with Route Tags Example" (12.3(14)T and 12.4(15)T
     * editions: {@code redistribute rip route-map rip-to-ospf} under OSPF, map without a sequence =
     * 10, {@code set metric-type type1} has no BGP attribute and no FRR bgpd form) and [RRI-SUPP]'s
     * head-end configuration ({@code redistribute static metric 1000 100 255 1 1500 route-map RRI}
     * under EIGRP, ACL 1 with remarks, {@code deny any}).
     */
    static List<RouteMapCase> ciscoExamples() {
        RouteMapCase s001 = RouteMapCase.render("rri-ios-rip-to-ospf", List.of(), List.of(),
                new MapDef("rip-to-ospf", List.of(new EntryDef(10, true, null, List.of(5L), null, List.of(),
                        List.of(SetDef.same("set metric 5"), new SetDef("set metric-type type1", null)), null))),
                "rip-to-ospf", null, null);
        AclDef acl1 = new AclDef(1, List.of("remark Home user address pool(s)", "remark 10.81.2.0 / 23",
                "remark 10.81.4.0 / 22", "permit 10.81.2.0 0.0.1.255", "permit 10.81.4.0 0.0.3.255", "deny any"));
        RouteMapCase s003 = RouteMapCase.render("rri-supp-RRI", List.of(), List.of(acl1),
                new MapDef("RRI", List.of(new EntryDef(10, true, "Redistribute remote subnets from RRI", List.of(),
                        "acl", List.of("1"), List.of(), null))), "RRI", null, null);
        // [RRI-IOS]'s crypto ACLs 101 and 102 ("Configuring RRI When Crypto ACLs Exist Example",
        // 12.3(14)T edition, and the HSRP example) read as route filters: extended = address + mask
        AclDef acl101 = new AclDef(101, List.of("permit ip 192.168.1.0 0.0.0.255 172.17.11.0 0.0.0.255"));
        AclDef acl102 = new AclDef(102, List.of("permit ip 192.168.1.0 0.0.0.255 10.0.0.0 0.0.255.255"));
        RouteMapCase s001acl = RouteMapCase.render("rri-ios-acl-101-102", List.of(), List.of(acl101, acl102),
                new MapDef("RRI-ACL", List.of(new EntryDef(10, true, null, List.of(), "acl", List.of("101", "102"),
                        List.of(SetDef.same("set community 65000:5")), null))), "RRI-ACL", null, null);
        return List.of(s001, s003, s001acl);
    }

    /** One case per documented difference; each must still differ, exactly as documented. */
    static List<RouteMapCase> knownDifferences() {
        // IOS/NX-OS: a permit entry with continue matched and nothing after it did -> permit; FRR -> deny
        RouteMapCase fallthrough = RouteMapCase.render("diff-" + CONTINUE_FALLTHROUGH, List.of(), List.of(),
                new MapDef("DIFF-FALL", List.of(
                        new EntryDef(10, true, null, List.of(5L), null, List.of(),
                                List.of(SetDef.same("set local-preference 150")), 20),
                        new EntryDef(20, true, null, List.of(10L), null, List.of(), List.of(), null))),
                "DIFF-FALL", null, CONTINUE_FALLTHROUGH);
        // IOS collects sets and applies them after evaluation (matches see the original route);
        // FRR applies them at once: entry 20 sees the tag set by entry 10
        RouteMapCase deferred = RouteMapCase.render("diff-" + DEFERRED_SETS, List.of(), List.of(),
                new MapDef("DIFF-SETS", List.of(
                        new EntryDef(10, true, null, List.of(5L), null, List.of(), List.of(SetDef.same("set tag 777")), 0),
                        new EntryDef(20, true, null, List.of(777L), null, List.of(),
                                List.of(SetDef.same("set local-preference 300")), null),
                        new EntryDef(30, true, null, List.of(), null, List.of(), List.of(), null))),
                "DIFF-SETS", null, DEFERRED_SETS);
        // a match on a prefix-list that is not defined: the speaker rejects the configuration, FRR
        // treats the clause as no match
        RouteMapCase undefined = RouteMapCase.render("diff-" + UNDEFINED_LIST,
                List.of(new PrefixListDef("DIFF-DEFINED", List.of(new PlEntry(5, true, "10.81.0.0/16", 0, 32)))),
                List.of(), new MapDef("DIFF-UNDEF", List.of(
                        new EntryDef(10, true, null, List.of(), "pl", List.of("DIFF-NOT-DEFINED"), List.of(), null),
                        new EntryDef(20, true, null, List.of(), "pl", List.of("DIFF-DEFINED"), List.of(), null))),
                "DIFF-UNDEF", null, UNDEFINED_LIST);
        // FRR 8.4: 'set metric -N' then 'set metric M' in one entry shows 'set metric M' in the running
        // configuration but applies no metric at all (MED 0); IOS and the speaker: the later line replaces
        RouteMapCase reentry = RouteMapCase.render("diff-" + FRR_SET_METRIC_REENTRY, List.of(), List.of(),
                new MapDef("DIFF-METRIC", List.of(new EntryDef(10, true, null, List.of(5L), null, List.of(),
                        List.of(SetDef.same("set metric -300"), SetDef.same("set metric 108")), null))),
                "DIFF-METRIC", null, FRR_SET_METRIC_REENTRY, true);
        return List.of(fallthrough, deferred, undefined, reentry);
    }
}
