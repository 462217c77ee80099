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

    private final String reason;

    ViciEventException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
