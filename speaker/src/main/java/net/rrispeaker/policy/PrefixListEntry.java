package net.rrispeaker.policy;

import net.rrispeaker.model.Prefix;

/**
 * One {@code ip prefix-list} / {@code ipv6 prefix-list} line.
 *
 * @param sequence  the entry's sequence number (automatic ones go in steps of 5)
 * @param permit    permit or deny
 * @param prefix    the prefix, host bits cleared
 * @param ge        {@code ge} value, or 0 when not given
 * @param le        {@code le} value, or 0 when not given
 * @param line      the configuration line
 */
public record PrefixListEntry(int sequence, boolean permit, Prefix prefix, int ge, int le, int line) {

    /** Shortest route length this entry matches. */
    public int minLength() {
        return ge > 0 ? ge : prefix.length();
    }

    /** Longest route length this entry matches: {@code le}, else the family maximum with {@code ge}, else exact. */
    public int maxLength() {
        if (le > 0) {
            return le;
        }
        return ge > 0 ? prefix.maxLength() : prefix.length();
    }

    /** True if the route lies inside the entry prefix and its length is within the bounds. */
    public boolean matches(Prefix route) {
        return prefix.contains(route) && route.length() >= minLength() && route.length() <= maxLength();
    }

    @Override
    public String toString() {
        return "seq " + sequence + (permit ? " permit " : " deny ") + prefix
                + (ge > 0 ? " ge " + ge : "") + (le > 0 ? " le " + le : "");
    }
}
