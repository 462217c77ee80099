package net.rrispeaker.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.control.api.PublishRequest;
import net.rrispeaker.control.api.PublishedSa;
import net.rrispeaker.control.api.SaEntry;

/**
 * The JSON-lines SA event format of {@code rri-speaker replay}, {@code publish snapshot} and
 * {@code show sa --json-lines}: one {@link PublishRequest} per line in protobuf's JSON mapping
 * ({@code {"up": {"connection": "spokes", "childId": "2", ...}, "at": 1.5}}), read with
 * {@link JsonFormat} (unknown fields refused). Blank lines and lines starting with {@code #} are
 * skipped. A line that cannot be read is reported as {@code FILE:LINE: error: ...}, counted and
 * skipped; the others are played.
 */
final class ReplayFile {
    /** Longest line read, in bytes; a longer one is a bad line (no SA needs a megabyte). */
    static final int MAX_LINE = 1 << 20;
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    /** What a file held: the lines that could be read, and how many could not. */
    record Content(List<PublishStream.Item> items, int bad) {
    }

    private ReplayFile() {
    }

    /** Reads {@code in} (UTF-8) named {@code name} in messages; bad lines are printed to {@code err}. */
    static Content read(String name, InputStream in, PrintWriter err) throws IOException {
        InputStream r = new BufferedInputStream(in);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<PublishStream.Item> items = new ArrayList<>();
        int bad = 0;
        int number = 0;
        double lastAt = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            line.reset();
            boolean tooLong = false;
            int c;
            while ((c = r.read()) != -1 && c != '\n') {
                if (line.size() < MAX_LINE) {
                    line.write(c);
                } else {
                    tooLong = true;
                }
            }
            if (c == -1 && line.size() == 0 && !tooLong) {
                break;
            }
            number++;
            String where = name + ":" + number;
            if (tooLong) {
                err.println(where + ": error: line longer than " + MAX_LINE + " bytes; skipped");
                bad++;
                continue;
            }
            String decoded;
            try {
                decoded = utf8.decode(ByteBuffer.wrap(line.toByteArray())).toString();
            } catch (CharacterCodingException e) {
                err.println(where + ": error: not UTF-8; skipped");
                bad++;
                continue;
            }
            String text = decoded.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String problem;
            PublishRequest.Builder b = PublishRequest.newBuilder();
            try {
                PARSER.merge(text, b);
                problem = check(b.build(), lastAt);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                problem = "not an SA event: " + e.getMessage();
            }
            if (problem != null) {
                err.println(where + ": error: " + problem + "; skipped");
                bad++;
                continue;
            }
            lastAt = Math.max(lastAt, b.getAt());
            items.add(new PublishStream.Item(where, b.build()));
        }
        return new Content(items, bad);
    }

    /** Why a well-formed message cannot be played, or null. */
    private static String check(PublishRequest req, double lastAt) {
        if (req.getEventCase() == PublishRequest.EventCase.EVENT_NOT_SET) {
            return "no event (expected one of: snapshotBegin, snapshotSa, snapshotEnd, up, down, rekey, ikeDown, keepalive)";
        }
        if (req.hasHello()) {
            return "a hello (the replayer sends its own; name the publisher with --publisher)";
        }
        double at = req.getAt();
        if (Double.isNaN(at) || Double.isInfinite(at) || at < 0) {
            return "at " + at + " (expected: seconds from the first line, 0 or more)";
        }
        if (at > 0 && at < lastAt) {
            return "at " + at + " is before the line before's " + lastAt + " (expected: times in order)";
        }
        return null;
    }

    /** One message as a line of this format. */
    static String line(PublishRequest req) {
        try {
            return PRINTER.print(req);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e); // only for Any types, which these messages do not have
        }
    }

    /** An SA as {@code show sa} reports it, back as the publisher's message that gives it. */
    static PublishedSa published(SaEntry e) {
        return PublishedSa.newBuilder().setConnection(e.getConnection()).setIkeId(e.getIkeId()).setChild(e.getChild())
                .setChildId(e.getChildId()).setReqid(e.getReqid()).setLocalHost(e.getLocalHost())
                .setRemoteHost(e.getRemoteHost()).setRemoteId(e.getRemoteId()).addAllLocalTs(e.getLocalTsList())
                .addAllRemoteTs(e.getRemoteTsList()).addAllRemoteTs(e.getUnroutableTsList()).setIfId(e.getIfId()).build();
    }
}
