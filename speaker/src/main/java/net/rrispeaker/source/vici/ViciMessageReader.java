package net.rrispeaker.source.vici;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Parses the element stream of one message. A small state machine: {@code IN_SECTION} accepts
 * section, key/value and list starts and section ends; {@code IN_LIST} accepts only list items and
 * the list end. Any other element, a length that runs past the segment end, or a section depth
 * above the bound is a {@link ViciCodecException} naming the offset and the open sections, and
 * carrying what was read up to there ({@link ViciCodecException#partial()}). No recursion: the
 * open sections are an explicit stack bounded by the depth limit.
 */
final class ViciMessageReader {
    private enum State { IN_SECTION, IN_LIST }

    private final ByteBuf in;
    private final int maxDepth;
    private final int base;
    private final Deque<Open> open = new ArrayDeque<>();
    private State state = State.IN_SECTION;
    private String listName;
    private List<String> listItems;

    private record Open(String name, ViciMessage.Builder builder) {
    }

    private ViciMessageReader(ByteBuf in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
        this.base = in.readerIndex();
    }

    /** Reads every remaining byte of {@code in} as one message. */
    static ViciMessage read(ByteBuf in, int maxDepth) {
        ViciMessageReader reader = new ViciMessageReader(in, maxDepth);
        try {
            return reader.run();
        } catch (ViciCodecException e) {
            String path = reader.path();   // before partial() closes the open sections
            throw e.withPartial(reader.partial(), path);
        }
    }

    /** The open sections from the root, e.g. {@code spokes/child-sas}; empty at the root. */
    private String path() {
        StringBuilder sb = new StringBuilder();
        var it = open.descendingIterator();
        if (it.hasNext()) {
            it.next();   // the unnamed root
        }
        while (it.hasNext()) {
            sb.append(sb.length() == 0 ? "" : "/").append(LogText.safe(it.next().name()));
        }
        return sb.toString();
    }

    /** What was read so far, with the open list and sections closed where they stood. */
    private ViciMessage partial() {
        if (state == State.IN_LIST) {
            open.peek().builder().list(listName, listItems);
            state = State.IN_SECTION;
        }
        while (open.size() > 1) {
            Open done = open.pop();
            open.peek().builder().section(done.name(), done.builder().build());
        }
        return open.isEmpty() ? ViciMessage.EMPTY : open.pop().builder().build();
    }

    private ViciMessage run() {
        open.push(new Open("", ViciMessage.builder()));
        while (in.isReadable()) {
            int offset = offset();
            ViciElementType type = ViciElementType.fromWire(in.readUnsignedByte(), offset);
            if (state == State.IN_LIST) {
                inList(type, offset);
            } else {
                inSection(type, offset);
            }
        }
        if (state == State.IN_LIST) {
            throw ViciCodecException.of("message end", "list '" + listName + "' still open", "LIST_END");
        }
        if (open.size() > 1) {
            throw ViciCodecException.of("message end", (open.size() - 1) + " open section(s), innermost '"
                    + open.peek().name() + "'", "0 open sections");
        }
        return open.pop().builder().build();
    }

    private void inSection(ViciElementType type, int offset) {
        switch (type) {
            case SECTION_START -> {
                String name = readName(type);
                if (open.size() > maxDepth) {
                    throw ViciCodecException.of("section depth at offset " + offset, open.size(), "<= " + maxDepth);
                }
                open.push(new Open(name, ViciMessage.builder()));
            }
            case SECTION_END -> {
                if (open.size() == 1) {
                    throw ViciCodecException.of("element at offset " + offset, "SECTION_END at root", "an open section");
                }
                Open done = open.pop();
                open.peek().builder().section(done.name(), done.builder().build());
            }
            case KEY_VALUE -> {
                String name = readName(type);
                open.peek().builder().add(name, readValue(type));
            }
            case LIST_START -> {
                listName = readName(type);
                listItems = new ArrayList<>();
                state = State.IN_LIST;
            }
            default -> throw ViciCodecException.of("element at offset " + offset, type + " outside a list",
                    "SECTION_START, SECTION_END, KEY_VALUE or LIST_START");
        }
    }

    private void inList(ViciElementType type, int offset) {
        switch (type) {
            case LIST_ITEM -> listItems.add(readValue(type));
            case LIST_END -> {
                open.peek().builder().list(listName, listItems);
                state = State.IN_SECTION;
            }
            default -> throw ViciCodecException.of("element at offset " + offset, type + " inside list '" + listName + "'",
                    "LIST_ITEM or LIST_END");
        }
    }

    private String readName(ViciElementType type) {
        if (!in.isReadable()) {
            throw ViciCodecException.of(type + " name length at offset " + offset(), "missing", "1 byte");
        }
        int at = offset();
        return readString(type + " name length", at, in.readUnsignedByte());
    }

    private String readValue(ViciElementType type) {
        if (in.readableBytes() < 2) {
            throw ViciCodecException.of(type + " value length at offset " + offset(), in.readableBytes() + " byte(s) left",
                    "2 bytes");
        }
        int at = offset();
        return readString(type + " value length", at, in.readUnsignedShort());
    }

    private String readString(String field, int at, int length) {
        if (length > in.readableBytes()) {
            throw ViciCodecException.of(field + " at offset " + at, length, "<= " + in.readableBytes()
                    + " remaining bytes");
        }
        String s = text(in, in.readerIndex(), length);
        in.skipBytes(length);
        return s;
    }

    /**
     * The bytes as UTF-8 text, each malformed sequence replaced by one {@code ?}. Never longer in
     * UTF-8 than the bytes it came from (the usual U+FFFD replacement takes three bytes, so a
     * 255-byte name of invalid bytes would no longer fit the wire's bounds).
     */
    static String text(ByteBuf in, int index, int length) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith("?");
        try {
            return d.decode(in.nioBuffer(index, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder threw", e);
        }
    }

    private int offset() {
        return in.readerIndex() - base;
    }
}
