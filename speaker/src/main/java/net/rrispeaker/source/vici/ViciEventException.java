package net.rrispeaker.source.vici;

/**
 * A well-formed VICI event that cannot be turned into an SA event (a key missing, an address
 * that does not parse). The message says which event, where in it, and what was expected; the
 * {@link #reason()} is a short stable tag for the error counter.
 */
final class ViciEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String MISSING_KEY = "missing-key";
    static final String BAD_VALUE = "bad-value";
    static final String BAD_LAYOUT = "bad-layout";

    static final String BUG = "bug";

    private final String reason;
    private final String peer;

    ViciEventException(String reason, String message) {
        this(reason, message, null);
    }

    private ViciEventException(String reason, String message, String peer) {
        super(message);
        this.reason = reason;
        this.peer = peer;
    }

    String reason() {
        return reason;
    }

    /** Which SA the event was about, as far as it could be read ({@code conn=... ike=... child=... remote=...}); may be null. */
    String peer() {
        return peer;
    }

    ViciEventException withPeer(String peer) {
        return this.peer != null ? this : new ViciEventException(reason, getMessage(), peer);
    }
}
