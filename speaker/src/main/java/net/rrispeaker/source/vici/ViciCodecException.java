package net.rrispeaker.source.vici;

import io.netty.handler.codec.DecoderException;

/**
 * A VICI segment or message that breaks the wire format (see the strongSwan vici plugin README,
 * "Protocol"). The message names the field, the value seen and what was expected, e.g.
 * {@code frame length: 600000 (expected: 1..524288)}. Raised by the decoder only when the framing
 * itself is lost (a length out of bounds, an unknown packet type, the stream ending inside a
 * frame): then the connection is unusable and the client closes it and resyncs. A message that is
 * malformed inside an intact frame is reported as a {@link ViciMalformed} instead; the reader
 * raises this exception for it with {@link #partial()} set, and the decoder converts it.
 */
final class ViciCodecException extends DecoderException {
    private static final long serialVersionUID = 1L;

    /** What the message reader had read before the error; null when not from the reader. */
    private final transient ViciMessage partial;

    ViciCodecException(String message) {
        this(message, null);
    }

    private ViciCodecException(String message, ViciMessage partial) {
        super(message);
        this.partial = partial;
    }

    ViciMessage partial() {
        return partial;
    }

    /** The same error with the reader's partial message and the open section path appended. */
    ViciCodecException withPartial(ViciMessage partial, String sectionPath) {
        String where = sectionPath.isEmpty() ? "" : " in section " + sectionPath;
        return new ViciCodecException(getMessage() + where, partial);
    }

    static ViciCodecException of(String field, Object actual, String expected) {
        return new ViciCodecException(field + ": " + actual + " (expected: " + expected + ")");
    }
}
