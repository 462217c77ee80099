package net.rrispeaker.source.vici;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.model.SaEvent;

/**
 * Entry points into the package-private VICI decoder and conversion for the JMH benchmark in
 * {@code net.rrispeaker.bench} (not a test): a frame of a transcript event is decoded by a real
 * {@link ViciDecoder} from a reused heap buffer and converted by a {@link ViciDelivery} whose sink
 * only keeps the last event, i.e. the whole path of the VICI thread except the socket read.
 */
public final class ViciBenchFixture {
    private final ViciDecoder decoder = new ViciDecoder();
    private final List<Object> out = new ArrayList<>();
    private final ViciDelivery delivery;
    private final ByteBuf frame;
    private Object last;

    /** A fixture for one event of a transcript resource (src/test/resources/vici), by label. */
    public ViciBenchFixture(String resource, String label) {
        TranscriptMessages.Event e = TranscriptMessages.load(resource).get(label);
        if (e == null) {
            throw new IllegalArgumentException("no event '" + label + "' in " + resource);
        }
        frame = Unpooled.buffer();
        ViciEncoder.encode(ViciPacket.event(e.name(), e.message()), frame);
        delivery = new ViciDelivery(ev -> last = ev, new SimpleMeterRegistry());
    }

    /** Bytes of the frame, length prefix included. */
    public int frameBytes() {
        return frame.writerIndex();
    }

    /** Decodes the frame into one packet (or malformed record). */
    public Object decode() {
        frame.readerIndex(0);
        out.clear();
        decoder.decode(null, frame, out);
        if (out.size() != 1) {
            throw new IllegalStateException("decoded " + out.size() + " objects");
        }
        return out.get(0);
    }

    /** Decodes a {@code list-sa} frame and converts it as the session does during {@code list-sas}. */
    public Object listSa() {
        return delivery.listSa((ViciPacket) decode());
    }

    /** Decodes a broadcast event frame and delivers its SA events to the sink; returns the last one. */
    public Object event() {
        delivery.event((ViciPacket) decode());
        return last;
    }

    /** The installed CHILD_SAs {@link #listSa} gives (to check the fixture converts what it should). */
    public int installed() {
        return ((ViciEvents.ListSa) listSa()).installed().size();
    }

    /** The SA event {@link #event} delivers last, as text. */
    public String lastEvent() {
        Object e = event();
        return e instanceof SaEvent s ? s.toString() : String.valueOf(e);
    }

    /** One selector text through the selector parser's string entry (the one tests use). */
    public static Object selector(String text) {
        return TrafficSelectors.parseOne(text);
    }

    /**
     * Selector lists as the conversion reads them: each item's bytes straight out of a message,
     * into a collector that is reused (as the source's converter reuses its own).
     */
    public static final class WireSelectors {
        private final TrafficSelectors.Collector collector = new TrafficSelectors.Collector();
        private final byte[] wire;
        private final int[] items;

        public WireSelectors(String... selectors) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            items = new int[2 * selectors.length];
            for (int i = 0; i < selectors.length; i++) {
                byte[] b = selectors[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(0);   // a byte between items, as on the wire
                items[2 * i] = out.size();
                out.writeBytes(b);
                items[2 * i + 1] = out.size();
            }
            wire = out.toByteArray();
        }

        /** The selectors as one list. */
        public Object parse() {
            for (int i = 0; i < items.length; i += 2) {
                collector.add(wire, items[i], items[i + 1]);
            }
            return collector.done();
        }
    }
}
