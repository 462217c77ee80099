package net.rrispeaker.source.vici;

import java.util.Objects;

/**
 * A segment whose framing was intact (its length was within bounds and its packet type known) but
 * whose content was not: a name running past the segment, an element out of place, sections that
 * do not balance. The decoder steps over it and hands this up instead of closing the connection,
 * so one bad record costs only itself.
 *
 * @param type    the packet type (known, since an unknown type is a framing error)
 * @param name    the event or command name, or null if it was the name that was unreadable
 * @param problem what was wrong and where ("element at offset 12: ... in section spokes/child-sas")
 * @param partial what could be read before the problem (sections closed as they stood); used only
 *                to tell which IKE_SA a bad {@code list-sa} record was about, never as data
 */
record ViciMalformed(ViciPacketType type, String name, String problem, ViciMessage partial) {
    ViciMalformed {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(problem, "problem");
        partial = partial == null ? ViciMessage.EMPTY : partial;
    }

    @Override
    public String toString() {
        return type + (name == null ? "" : " " + name) + " (malformed: " + problem + ")";
    }
}
