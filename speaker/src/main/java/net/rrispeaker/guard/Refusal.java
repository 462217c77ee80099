package net.rrispeaker.guard;

import java.net.InetAddress;
import java.util.Objects;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;

/**
 * One selector of one SA that is not announced, and why.
 *
 * @param sa     the SA (connection, CHILD_SA and IKE_SA ids)
 * @param peer   the SA's remote outer address
 * @param vrf    the table the route would have gone into ({@code ""} = global)
 * @param prefix the selector
 * @param rule   the rule that refused it
 * @param detail what exactly, for the operator (the other peer, the limit, the range...)
 */
public record Refusal(ChildSa sa, InetAddress peer, String vrf, Prefix prefix, Rule rule, String detail) {

    public Refusal {
        Objects.requireNonNull(sa, "sa");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(rule, "rule");
        vrf = vrf == null ? "" : vrf;
        detail = detail == null ? "" : detail;
    }

    /** The log line: who, what and which rule. */
    public String message() {
        return "connection=" + sa.connection() + " child=" + sa.child() + "[" + sa.childId() + "] ike=" + sa.ikeId()
                + " peer=" + Addresses.format(peer) + " prefix=" + prefix + (vrf.isEmpty() ? "" : " vrf=" + vrf)
                + " rule=" + rule.tag() + ": " + detail;
    }

    /** The {@code show sa} text: prefix, table, rule and detail. */
    public String summary() {
        return prefix + (vrf.isEmpty() ? "" : " vrf " + vrf) + " " + rule.tag() + " (" + detail + ")";
    }
}
