package net.rrispeaker.source.vici;

import io.netty.handler.codec.DecoderException;

/**
 * A VICI segment or message that breaks the wire format (see the strongSwan vici plugin README,
 * "Protocol"). The message names the field, the value seen and what was expected, e.g.
 * {@code frame length: 600000 (expected: 1..524288)}. After this exception the connection is
 * unusable: the byte stream has lost its framing, so the client closes it and resyncs.
 */
final class ViciCodecException extends DecoderException {
    private static final long serialVersionUID = 1L;

    ViciCodecException(String message) {
        super(message);
    }

    static ViciCodecException of(String field, Object actual, String expected) {
        return new ViciCodecException(field + ": " + actual + " (expected: " + expected + ")");
    }
}
