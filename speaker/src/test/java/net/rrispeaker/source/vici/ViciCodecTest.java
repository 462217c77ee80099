package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ViciCodecTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new ViciDecoder(), new ViciEncoder());

    @AfterEach
    void noLeftovers() {
        assertFalse(channel.finish(), "no unread packets or bytes left in the channel");
    }

    @Test
    void listSasRequestMatchesTheDocumentedBytes() {
        ViciPacket p = ViciPacket.request("list-sas", ViciMessage.builder().add("noblock", "yes").build());
        assertEquals("000000180008" + hex("list-sas") + "0307" + hex("noblock") + "0003" + hex("yes"), encode(p));
    }

    @Test
    void registerAndListEncodeAsDocumented() {
        assertEquals("0000000e030c" + hex("child-updown"), encode(ViciPacket.register("child-updown")));
        ViciMessage m = ViciMessage.builder().list("remote-ts", List.of("10.1.0.0/16")).build();
        assertEquals("0000001b01" + "0409" + hex("remote-ts") + "05000b" + hex("10.1.0.0/16") + "06",
                encode(ViciPacket.response(m)));
    }

    @Test
    void nestedEventSurvivesARoundTripFedOneByteAtATime() {
        ViciPacket sent = ViciPacket.event("child-updown", sampleTree());
        ByteBuf wire = Unpooled.buffer();
        ViciEncoder.encode(sent, wire);
        while (wire.isReadable()) {
            channel.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        ViciPacket got = channel.readInbound();
        assertEquals(sent, got);
        assertEquals(List.of("10.81.2.0/29"), got.message().section("spokes", "child-sas", "spoke-lan-2").list("remote-ts"));
        assertEquals("INSTALLED", got.message().get("spokes", "child-sas", "spoke-lan-2", "state"));
        assertNull(channel.readInbound());
    }

    @Test
    void twoFramesInOneChunkGiveTwoPackets() {
        ByteBuf wire = Unpooled.buffer();
        ViciEncoder.encode(ViciPacket.of(ViciPacketType.EVENT_CONFIRM), wire);
        ViciEncoder.encode(ViciPacket.response(ViciMessage.EMPTY), wire);
        channel.writeInbound(wire);
        assertEquals(ViciPacket.of(ViciPacketType.EVENT_CONFIRM), channel.readInbound());
        assertEquals(ViciPacket.response(ViciMessage.EMPTY), channel.readInbound());
    }

    @Test
    void sectionsIterateInWireOrderAndLookupsMissQuietly() {
        ViciMessage m = ViciMessage.builder()
                .section("b", ViciMessage.builder().add("k", "1").build())
                .add("x", "y")
                .section("a", ViciMessage.EMPTY)
                .build();
        assertEquals(List.of("b", "a"), m.sections().stream().map(ViciMessage.Section::name).toList());
        assertEquals("1", m.get("b", "k"));
        assertNull(m.get("b", "nope"));
        assertNull(m.get("x", "k"), "a key is not a section");
        assertNull(m.section("x"));
        assertNull(m.list("x"), "a key is not a list");
    }

    @Test
    void encoderRefusesAFrameTheDaemonWouldDrop() {
        ViciMessage.Builder b = ViciMessage.builder();
        String big = "v".repeat(60_000);
        for (int i = 0; i < 9; i++) {
            b.add("k" + i, big);
        }
        ByteBuf out = Unpooled.buffer();
        ViciCodecException e = assertThrows(ViciCodecException.class,
                () -> ViciEncoder.encode(ViciPacket.request("load-conn", b.build()), out));
        assertTrue(e.getMessage().startsWith("CMD_REQUEST load-conn frame length: 540"), e.getMessage());
        assertEquals(0, out.readableBytes(), "nothing half-written");
        out.release();
    }

    @Test
    void nameAndValueBoundsAreCheckedWhenBuilding() {
        assertThrows(ViciCodecException.class, () -> ViciMessage.builder().add("n".repeat(256), "v"));
        assertThrows(ViciCodecException.class, () -> ViciMessage.builder().add("k", "v".repeat(65536)));
    }

    static ViciMessage sampleTree() {
        ViciMessage child = ViciMessage.builder()
                .add("name", "spoke-lan").add("uniqueid", "2").add("state", "INSTALLED")
                .list("local-ts", List.of("10.80.0.0/16"))
                .list("remote-ts", List.of("10.81.2.0/29"))
                .list("empty", List.of())
                .build();
        return ViciMessage.builder()
                .add("up", "yes")
                .section("spokes", ViciMessage.builder()
                        .add("uniqueid", "2").add("remote-host", "192.0.2.2")
                        .list("tasks-passive", List.of("CHILD_CREATE"))
                        .section("child-sas", ViciMessage.builder().section("spoke-lan-2", child).build())
                        .build())
                .build();
    }

    private String encode(ViciPacket p) {
        assertTrue(channel.writeOutbound(p));
        ByteBuf b = channel.readOutbound();
        String s = ByteBufUtil.hexDump(b);
        b.release();
        return s;
    }

    static String hex(String s) {
        return ByteBufUtil.hexDump(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
