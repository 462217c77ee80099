package net.rrispeaker.policy;

/**
 * One access-list entry. Standard entries have only {@code source}; extended entries have a
 * protocol, a source and a destination (port and other qualifiers are kept in {@code text}, they
 * do not influence routing).
 *
 * @param sequence  the entry's sequence number (IOS numbers entries 10, 20, ... when not given)
 * @param permit    permit or deny
 * @param protocol  {@code ip}, {@code tcp}, {@code ipv6}, a number...; {@code null} for standard entries
 * @param source    the source operand
 * @param destination the destination operand, {@code null} for standard entries
 * @param text      the entry as written, for messages
 * @param line      the configuration line
 */
public record AclEntry(int sequence, boolean permit, String protocol, AddressMatch source,
                       AddressMatch destination, String text, int line) {
}
