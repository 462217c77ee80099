package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.lab.CharonMessages;
import net.rrispeaker.lab.CharonMessages.Tasks;
import net.rrispeaker.lab.SimChildSa;
import net.rrispeaker.lab.SimIkeSa;
import net.rrispeaker.lab.ViciText;
import net.rrispeaker.lab.ViciWriter;
import org.junit.jupiter.api.Test;

/**
 * The simulator's encoder against the speaker's own decoder (this test sits in the decoder's
 * package to reach it), on the events recorded from a real charon 5.9.8 (the speaker's VICI test
 * transcripts):
 * <ul>
 *   <li>every recorded event, encoded by the simulator, decodes to exactly the recorded tree, and
 *       the speaker's encoder gives back the simulator's bytes;</li>
 *   <li>the simulator's own charon messages ({@link CharonMessages}) for the SAs of the real
 *       recordings are byte for byte the recorded events: same layout, key order and values.</li>
 * </ul>
 * No sockets, no root; a failsafe test only because this module runs no surefire tests.
 */
class ViciServerWireIT {
    private static final Path TRANSCRIPTS = Path.of(System.getProperty("rri.vici.transcripts",
            "../speaker/src/test/resources/vici"));
    private static final List<String> FILES = List.of("transcript-events.txt", "list-sa-events.txt", "ike-update-events.txt");

    @Test
    void everyRecordedEventSurvivesTheSimulatorEncoderAndTheSpeakerDecoderByteForByte() {
        int events = 0;
        for (String file : FILES) {
            for (ViciText.Event e : ViciText.events(read(file))) {
                byte[] wire = ViciWriter.frame(ViciWriter.EVENT, e.name(), e.body());
                ViciPacket p = decode(wire);
                String where = file + " " + e.label();
                assertEquals(ViciPacketType.EVENT, p.type(), where);
                assertEquals(e.name(), p.name(), where);
                assertEquals(e.text(), p.message().toString(), where + ": decoded tree");
                ByteBuf back = Unpooled.buffer();
                ViciEncoder.encode(p, back);
                assertArrayEquals(wire, ByteBufUtil.getBytes(back), where + ": the speaker's encoder gives other bytes");
                back.release();
                events++;
            }
        }
        assertTrue(events >= 15, "recorded events replayed: " + events);
    }

    @Test
    void simulatorMessagesForTheRecordedSasAreTheRecordedEvents() {
        Map<String, ViciText.Event> rec = new LinkedHashMap<>();
        for (String file : FILES) {
            for (ViciText.Event e : ViciText.events(read(file))) {
                rec.put(e.label(), e);
            }
        }
        // hub and spoke of the rig transcript
        SimIkeSa a = SimIkeSa.of("spokes", 2, "192.0.2.2").withRemote("192.0.2.2", 4500, "spoke1.rri.test")
                .withSpis("b4d4222dc313549c", "7fb1834046a7a7d8").withTimes(0, 13679);
        SimChildSa aLan = SimChildSa.of("spoke-lan", 2, List.of("10.80.0.0/16"), List.of("10.81.2.0/29")).withReqId(1)
                .withSpis("6e466381", "b92ca52d").withTimes(3320, 3960, 0);
        same(rec.get("A-ike-up"), CharonMessages.ikeUpdown(true, a,
                Tasks.passive("IKE_ESTABLISH", "IKE_AUTH_LIFETIME", "CHILD_CREATE")));
        same(rec.get("A-child-up"), CharonMessages.childUpdown(true, a, aLan, Tasks.passive("CHILD_CREATE")));

        SimIkeSa b = SimIkeSa.of("spokes", 3, "192.0.2.2").withRemote("192.0.2.2", 4500, "spoke1.rri.test")
                .withSpis("0b4224db8b8fa3b8", "81cf9806efada56d").withTimes(1, 13017);
        SimChildSa bOld = SimChildSa.of("spoke-lan", 3, List.of("10.80.0.0/16"), List.of("10.81.2.0/29")).withReqId(1)
                .withState("REKEYED").withSpis("c279c459", "92cb20b1").withTimes(3334, 3959, 1);
        SimChildSa bNew = bOld.withUniqueId(4).withState("INSTALLED").withSpis("04f25c34", "45cda6d0").withTimes(3454, 3960, 0);
        same(rec.get("B-child-rekey"), CharonMessages.childRekey(b, bOld, bNew, Tasks.active("CHILD_REKEY")));

        SimIkeSa d = b.withUniqueId(4).withInitiator(true).withSpis("a8b683f2a2fc45f7", "aa4513620a75ac8d").withTimes(0, 13837);
        same(rec.get("D-ike-rekey"), CharonMessages.ikeRekey(b.withState("REKEYING"), d, Tasks.active("IKE_REKEY"), null));

        SimChildSa e = SimChildSa.of("spoke-lan", 6, List.of("10.80.255.0/24"), List.of("10.81.3.0/28", "10.81.4.0/28"))
                .withReqId(2).withSpis("17a26024", "6d6a24c1").withTimes(3395, 3960, 0);
        same(rec.get("E1-child-up-two-ts"), CharonMessages.childUpdown(true, d.withTimes(1, 13836), e,
                Tasks.passive("CHILD_CREATE")));
        same(rec.get("E2-child-down"), CharonMessages.childUpdown(false, d.withTimes(2, 13835),
                e.withState("DELETED").withTimes(3394, 3959, 1), Tasks.passive("CHILD_DELETE")));

        SimIkeSa g = a.withUniqueId(6).withState("DELETING").withSpis("feb4f0a8c1e97eeb", "855dab3c54f87d05");
        SimChildSa gLan = SimChildSa.of("spoke-lan", 8, List.of("10.80.0.0/16"), List.of("10.81.2.0/29")).withReqId(2)
                .withSpis("68fee567", "2500c018").withTimes(3555, 3956, 4);
        same(rec.get("G-ike-down"), CharonMessages.ikeUpdown(false, g, Tasks.passive("IKE_DELETE")));
        same(rec.get("G-child-down"), CharonMessages.childUpdown(false, g, gLan, Tasks.passive("IKE_DELETE")));

        SimIkeSa unnamed = new SimIkeSa("(unnamed)", 2, "CONNECTING", "192.0.2.1", 500, "%any", "192.0.2.2", 500, "%any",
                false, "b4d4222dc313549c", "7fb1834046a7a7d8", 0, 0, List.of(), null);
        same(rec.get("A-ike-update-unnamed"), CharonMessages.ikeUpdate(unnamed, "192.0.2.1", 4500, "192.0.2.2", 4500,
                Tasks.passive("IKE_CERT_PRE", "IKE_AUTH", "IKE_CERT_POST", "IKE_CONFIG", "IKE_MOBIKE", "IKE_ESTABLISH",
                        "IKE_AUTH_LIFETIME", "CHILD_CREATE")));

        // list-sa, recorded during the by-hand check (other identities and addresses)
        SimIkeSa real = SimIkeSa.of("spokes", 1, "192.0.2.10").withLocal("192.0.2.9", 4500, "hub.vici.test")
                .withRemote("192.0.2.10", 4500, "spoke.vici.test").withSpis("306ddf004ada3469", "d3318f02d67d5f9f")
                .withTimes(17, 13694);
        SimChildSa realLan = SimChildSa.of("spoke-lan", 3, List.of("10.80.0.0/16"), List.of("10.81.2.0/29")).withReqId(1)
                .withSpis("9a722725", "d4a193b8").withTimes(3253, 3960, 0);
        same(rec.get("real-5.9.8"), CharonMessages.listSa(real.withChildren(List.of(realLan))));

        SimChildSa deleted = realLan.withUniqueId(1).withState("DELETED").withSpis("6b65f8b5", "9ed158fe").withTimes(3442, 3923, 37);
        SimChildSa successor = realLan.withUniqueId(2).withSpis("9f50612c", "66d6222e").withTimes(3340, 3960, 0);
        same(rec.get("real-after-rekey"), CharonMessages.listSa(real.withSpis("e2f20e9edbd81fe0", "97626968bb38c681")
                .withTimes(37, 13494).withChildren(List.of(deleted, successor))));
    }

    @Test
    void rawOverridesKeepTheFramingAndReachTheSpeakerAsMalformedContent() {
        SimChildSa bad = SimChildSa.of("spoke-lan", 7, List.of("10.80.0.0/16"), List.of("10.81.7.0/24"))
                .withRaw("uniqueid", "7x").withRaw("reqid", null);
        SimChildSa garbage = SimChildSa.of("spoke-lan", 8, List.of("10.80.0.0/16"), List.of("10.81.8.0/33", "not a selector"));
        SimChildSa good = SimChildSa.of("spoke-lan", 9, List.of("10.80.0.0/16"), List.of("10.81.9.0/24"));
        SimIkeSa ike = SimIkeSa.of("spokes", 5, "198.51.100.5", bad, garbage, good);
        ViciPacket p = decode(ViciWriter.frame(ViciWriter.EVENT, "list-sa", CharonMessages.listSa(ike)));
        assertEquals("7x", p.message().get("spokes", "child-sas", "spoke-lan-7x", "uniqueid"), "raw value on the wire");
        assertNull(p.message().get("spokes", "child-sas", "spoke-lan-7x", "reqid"), "key left out");
        List<ViciEventException> skipped = new ArrayList<>();
        List<Long> ids = ViciEvents.installedChildren(p.message(), skipped::add).stream()
                .map(net.rrispeaker.model.ChildSa::childId).toList();
        assertEquals(List.of(8L, 9L), ids, "the speaker keeps the other children of the record");
        assertEquals(1, skipped.size(), "the speaker names the malformed child: " + skipped);
        assertTrue(skipped.get(0).getMessage().contains("spoke-lan-7x"), skipped.get(0).getMessage());
    }

    private static void same(ViciText.Event recorded, byte[] simulated) {
        assertTrue(recorded != null, "recorded event missing");
        String got = decode(ViciWriter.frame(ViciWriter.EVENT, recorded.name(), simulated)).message().toString();
        assertEquals(recorded.text(), got, recorded.label() + ": simulator message differs from the recording");
        assertArrayEquals(recorded.body(), simulated, recorded.label() + ": bytes");
    }

    static ViciPacket decode(byte[] wire) {
        EmbeddedChannel ch = new EmbeddedChannel(new ViciDecoder());
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(wire));
            ViciPacket p = ch.readInbound();
            assertTrue(p != null, "no packet decoded from " + wire.length + " bytes");
            assertNull(ch.readInbound(), "one packet only");
            return p;
        } finally {
            assertFalse(ch.finish(), "nothing left in the decoder");
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(TRANSCRIPTS.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("recorded VICI transcript " + TRANSCRIPTS.resolve(file).toAbsolutePath()
                    + " (set -Drri.vici.transcripts=DIR)", e);
        }
    }
}
