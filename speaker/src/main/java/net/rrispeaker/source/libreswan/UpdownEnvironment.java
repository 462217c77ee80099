package net.rrispeaker.source.libreswan;

import java.util.Map;

/**
 * What pluto's updown call means for the speaker, from its environment. pluto runs the hook with
 * {@code PLUTO_VERB} = verb + suffix ({@code up-client}, {@code down-client-v6}, ...; the suffix is
 * {@code -host} for a host-to-host SA, {@code -v6} for an IPv6 outer address) and the SA in
 * {@code PLUTO_*} variables. Only an IPsec SA's {@code up} and {@code down} are SA events:
 * {@code prepare}, {@code route} and {@code unroute} concern the kernel policy, which exists
 * without an SA too ({@code auto=route}); {@code -host} forms only when asked for, since the route
 * of a host-to-host SA is the peer's own outer address.
 */
public final class UpdownEnvironment {
    /** Longest value taken from a variable; pluto's whole command line is at most 2048 bytes. */
    static final int MAX_VALUE = 2048;

    /** What to do. */
    public enum Action { UP, DOWN, IGNORE }

    /**
     * @param action  what the call means
     * @param sa      the SA for {@code UP} and {@code DOWN}; null otherwise
     * @param verb    {@code PLUTO_VERB} as given (for messages)
     * @param problem why an up or down cannot be published (a variable missing or unusable); null if none
     */
    public record Event(Action action, LibreswanSa sa, String verb, String problem) {
    }

    private UpdownEnvironment() {
    }

    /** The event {@code env} describes; {@code hosts}: host-to-host SAs count too. */
    public static Event read(Map<String, String> env, boolean hosts) {
        String verb = env.getOrDefault("PLUTO_VERB", "");
        Action action = action(verb, hosts);
        if (action == Action.IGNORE) {
            return new Event(action, null, verb, null);
        }
        String connection = value(env, "PLUTO_CONNECTION");
        String peer = value(env, "PLUTO_PEER");
        String client = value(env, "PLUTO_PEER_CLIENT");
        String missing = connection == null ? "PLUTO_CONNECTION" : peer == null ? "PLUTO_PEER" : client == null
                ? "PLUTO_PEER_CLIENT" : null;
        if (missing != null) {
            return new Event(action, null, verb, missing + " is missing, empty or longer than " + MAX_VALUE + " characters");
        }
        String id = value(env, "PLUTO_PEER_ID");
        return new Event(action, new LibreswanSa(connection, peer, client, id == null ? "" : id,
                number(env.get("PLUTO_SA_REQID"))), verb, null);
    }

    static Action action(String verb, boolean hosts) {
        String v = verb.endsWith("-v6") ? verb.substring(0, verb.length() - 3) : verb;
        return switch (v) {
            case "up-client" -> Action.UP;
            case "down-client" -> Action.DOWN;
            case "up-host" -> hosts ? Action.UP : Action.IGNORE;
            case "down-host" -> hosts ? Action.DOWN : Action.IGNORE;
            default -> Action.IGNORE;
        };
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() || v.length() > MAX_VALUE ? null : v;
    }

    /** A decimal reqid, 0 when absent or not a plain number. */
    private static long number(String s) {
        if (s == null || s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Long.parseLong(s);
    }
}
