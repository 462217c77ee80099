package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A message read from the wire is read in place: what a lookup finds must not depend on where or how deep things sit. */
class ViciMessageTest {

    private static Object decode(ViciPacket p) {
        ByteBuf wire = Unpooled.buffer();
        ViciEncoder.encode(p, wire);
        EmbeddedChannel ch = new EmbeddedChannel(new ViciDecoder());
        ch.writeInbound(wire);
        Object out = ch.readInbound();
        ch.finishAndReleaseAll();
        return out;
    }

    private static ViciMessage decoded(ViciMessage m) {
        return assertInstanceOf(ViciPacket.class, decode(ViciPacket.event("list-sa", m))).message();
    }

    /** 300 sections, some nested three deep, with keys and lists among them. */
    private static ViciMessage big() {
        ViciMessage.Builder b = ViciMessage.builder();
        for (int i = 0; i < 300; i++) {
            ViciMessage inner = ViciMessage.builder().add("k", "inner" + i)
                    .section("deeper", ViciMessage.builder().section("deepest", ViciMessage.builder().add("k", "x").build()).build())
                    .list("l", List.of("a" + i, "b"))
                    .build();
            b.section("s" + i, i % 3 == 0 ? inner : ViciMessage.EMPTY);
        }
        return b.build();
    }

    @Test
    void keysAfterLargeNestedSectionsAreFoundAndSectionsKeepTheirOrder() {
        ViciMessage built = ViciMessage.builder().section("big", big()).add("k", "after").list("l", List.of("x", "y"))
                .section("tail", ViciMessage.builder().add("k", "tail").build()).build();
        ViciMessage m = decoded(built);
        assertEquals(built, m);
        assertEquals("after", m.get("k"));
        assertEquals(List.of("x", "y"), m.list("l"));
        assertEquals("tail", m.get("tail", "k"));
        assertEquals(List.of("big", "tail"), m.sections().stream().map(ViciMessage.Section::name).toList());
        ViciMessage big = m.section("big");
        assertEquals(300, big.sections().size());
        assertEquals("inner297", big.get("s297", "k"));
        assertEquals("x", big.get("s297", "deeper", "deepest", "k"));
        assertEquals(List.of("a297", "b"), big.section("s297").list("l"));
        assertEquals(ViciMessage.EMPTY, big.section("s298"));
        assertNull(big.get("s298", "k"));
        assertEquals(built.toString(), m.toString());
    }

    @Test
    void aSectionOfADecodedMessageEqualsTheSameEntriesBuiltAlone() {
        ViciMessage inner = ViciMessage.builder().add("x", "1").list("l", List.of()).section("e", ViciMessage.EMPTY).build();
        ViciMessage m = decoded(ViciMessage.builder().add("a", "b").section("s", inner).build());
        assertEquals(inner, m.section("s"));
        assertEquals(inner.hashCode(), m.section("s").hashCode());
        assertEquals(List.of(new ViciMessage.KeyValue("x", "1"), new ViciMessage.ListValue("l", List.of()),
                new ViciMessage.Section("e", ViciMessage.EMPTY)), m.section("s").entries());
    }

    @Test
    void aListCutHalfWayIsPartlyReadWithTheItemsBeforeTheCut() {
        // s { l = [a, b, <value running past the end>
        String payload = "07" + "07" + ViciCodecTest.hex("list-sa") + "01" + "01" + ViciCodecTest.hex("s")
                + "04" + "01" + ViciCodecTest.hex("l") + "05" + "0001" + ViciCodecTest.hex("a") + "05" + "0001"
                + ViciCodecTest.hex("b") + "05" + "0009" + ViciCodecTest.hex("c");
        byte[] b = io.netty.buffer.ByteBufUtil.decodeHexDump(payload);
        EmbeddedChannel ch = new EmbeddedChannel(new ViciDecoder());
        ch.writeInbound(Unpooled.buffer().writeInt(b.length).writeBytes(b));
        ViciMalformed m = assertInstanceOf(ViciMalformed.class, ch.readInbound());
        assertEquals("LIST_ITEM value length at offset 15: 9 (expected: <= 1 remaining bytes) in section s", m.problem());
        assertEquals(List.of("a", "b"), m.partial().section("s").list("l"));
        ch.finishAndReleaseAll();
    }

    @Test
    void everyTranscriptMessageReadsTheSameFromTheWire() {
        for (String resource : List.of("transcript-events.txt", "list-sa-events.txt", "ike-update-events.txt")) {
            for (Map.Entry<String, TranscriptMessages.Event> e : TranscriptMessages.load(resource).entrySet()) {
                ViciMessage built = e.getValue().message();
                ViciPacket p = assertInstanceOf(ViciPacket.class, decode(ViciPacket.event(e.getValue().name(), built)));
                assertEquals(e.getValue().name(), p.name());
                assertEquals(built, p.message(), e.getKey());
                assertEquals(built.toString(), p.message().toString(), e.getKey());
                assertTrue(p.message().entries().size() > 0, e.getKey());
            }
        }
    }
}
