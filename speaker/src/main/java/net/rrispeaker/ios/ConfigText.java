package net.rrispeaker.ios;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The configuration as text: reading a file (UTF-8, at most {@value #MAX_FILE_BYTES} bytes) and
 * cutting text into {@link ConfigLine}s (at most {@value #MAX_LINE_CHARS} characters each, no
 * control characters). Every bound is checked before the work it protects, and every violation is
 * a {@code file:line} problem, so no input makes the parser hang, run out of memory or throw
 * anything but {@link ConfigException}.
 */
public final class ConfigText {
    /** Largest configuration file read: 64 MiB. */
    public static final int MAX_FILE_BYTES = 64 * 1024 * 1024;
    /** Longest line, in characters (IOS itself takes lines of a few hundred). */
    public static final int MAX_LINE_CHARS = 4096;

    private ConfigText() {
    }

    /**
     * Reads a configuration file as UTF-8 text. A file over {@value #MAX_FILE_BYTES} bytes, or with a
     * byte sequence that is not UTF-8, is refused with the line where that happens. A leading byte
     * order mark is dropped.
     */
    public static String read(Path file) throws IOException, ConfigException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1); // never more, whatever the file (or FIFO) holds
        }
        String name = file.toString();
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, name,
                    lineOf(bytes, MAX_FILE_BYTES), tooLarge())));
        }
        return decode(name, bytes);
    }

    /** Decodes UTF-8 strictly; the first byte that is not part of a valid sequence is reported with its line and column. */
    public static String decode(String fileName, byte[] bytes) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int lineStart = at;
            while (lineStart > 0 && bytes[lineStart - 1] != '\n') {
                lineStart--;
            }
            String message = String.format(Locale.ROOT,
                    "byte 0x%02X at column %d is not UTF-8 (expected: a UTF-8 text file; convert it, e.g. with iconv)",
                    bytes[at] & 0xFF, at - lineStart + 1);
            throw new ConfigException(List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, fileName,
                    lineOf(bytes, at), message)));
        }
        out.flip();
        if (out.hasRemaining() && out.get(0) == '\uFEFF') {
            out.position(1);
        }
        return out.toString();
    }

    /**
     * The lines that are not blank and not a comment ({@code !}), tokens split on whitespace, read
     * one at a time as the caller iterates (the text is never split up front). A line over
     * {@value #MAX_LINE_CHARS} characters, or with a control character, is an error and is skipped;
     * text past {@value #MAX_FILE_BYTES} characters is an error and is not read, nor is anything
     * after the {@value Problems#MAX_LISTED}th error.
     */
    public static Iterable<ConfigLine> lines(String fileName, String text, Problems problems) {
        return () -> new Iterator<>() {
            private int start;
            private int number;
            private boolean done;
            private ConfigLine next;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    next = read();
                }
                return next != null;
            }

            @Override
            public ConfigLine next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ConfigLine line = next;
                next = null;
                return line;
            }

            /** The next physical line if it is one to give, else null (and {@code done} at the end). */
            private ConfigLine read() {
                number++;
                if (start > MAX_FILE_BYTES) {
                    problems.error(fileName, number, tooLarge());
                    done = true;
                    return null;
                }
                if (problems.errorsFull()) {
                    problems.finalError(fileName, number, "too many errors (" + Problems.MAX_LISTED
                            + "): the rest of the file is not read");
                    done = true;
                    return null;
                }
                int end = text.indexOf('\n', start);
                int stop = end < 0 ? text.length() : end;
                ConfigLine line = line(fileName, number, text, start, stop, problems);
                done = end < 0;
                start = end + 1;
                return line;
            }
        };
    }

    private static ConfigLine line(String fileName, int number, String text, int start, int end, Problems problems) {
        if (end - start > MAX_LINE_CHARS) {
            problems.error(fileName, number, "line is " + (end - start) + " characters long (expected: at most "
                    + MAX_LINE_CHARS + ")");
            return null;
        }
        List<String> tokens = new ArrayList<>();
        int tokenStart = -1;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            boolean space = Character.isWhitespace(c);
            if (!space && (c < 0x20 || c == 0x7F)) {
                problems.error(fileName, number, String.format(Locale.ROOT,
                        "control character U+%04X at column %d (expected: printable text)", (int) c, i - start + 1));
                return null;
            }
            if (space && tokenStart >= 0) {
                tokens.add(text.substring(tokenStart, i));
                tokenStart = -1;
            } else if (!space && tokenStart < 0) {
                tokenStart = i;
            }
        }
        if (tokenStart >= 0) {
            tokens.add(text.substring(tokenStart, end));
        }
        if (tokens.isEmpty() || tokens.get(0).startsWith("!")) {
            return null;
        }
        return new ConfigLine(fileName, number, text.substring(start, end).strip(), tokens);
    }

    private static String tooLarge() {
        return "the configuration is larger than " + MAX_FILE_BYTES + " bytes (64 MiB, the limit) from this line on";
    }

    /** 1-based line of byte offset {@code at}. */
    private static int lineOf(byte[] bytes, int at) {
        int line = 1;
        for (int i = 0; i < at && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
