package net.rrispeaker.source.vici;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strings from the bytes of a VICI message, made only where a value is used. UTF-8, each malformed
 * sequence replaced by one {@code ?}: never longer in UTF-8 than the bytes it came from (the usual
 * U+FFFD replacement takes three bytes, so a 255-byte name of invalid bytes would no longer fit the
 * wire's bounds). Plain ASCII, what charon sends, takes the short way.
 */
final class WireText {
    private static final RepeatCache<String> NAMES = new RepeatCache<>(256);

    private WireText() {
    }

    /** The text of {@code b[at, at + length)}. */
    static String text(byte[] b, int at, int length) {
        for (int i = at; i < at + length; i++) {
            if (b[i] < 0) {
                return decode(b, at, length);
            }
        }
        return new String(b, at, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * The same text as {@link #text}, shared with earlier calls for the same bytes: for the names of
     * connections and CHILD configs, which repeat in every SA of a snapshot (100,000 SAs of one
     * connection hold one string, not 100,000).
     */
    static String name(byte[] b, int at, int length) {
        String text = NAMES.get(b, at, at + length);
        if (text == null) {
            text = text(b, at, length);
            NAMES.put(b, at, at + length, text);
        }
        return text;
    }

    private static String decode(byte[] b, int at, int length) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith("?");
        try {
            return d.decode(ByteBuffer.wrap(b, at, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder threw", e);
        }
    }
}
