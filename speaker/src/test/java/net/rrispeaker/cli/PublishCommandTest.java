package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.control.InProcessSpeaker;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rri-speaker publish ...}, {@code replay FILE} and {@code show sa --json-lines} against a
 * real core behind the control server, in-process; and the replay format's reader on bad input.
 */
class PublishCommandTest {
    private static final String CONFIG = InProcessSpeaker.CONFIG + "rri control-api publisher uid "
            + InProcessSpeaker.OWNER_UID + "\n";

    @TempDir
    Path dir;
    private final List<InProcessSpeaker> speakers = new ArrayList<>();

    @AfterEach
    void stop() {
        speakers.forEach(InProcessSpeaker::close);
    }

    private InProcessSpeaker start() throws Exception {
        InProcessSpeaker s = new InProcessSpeaker(Files.createDirectory(dir.resolve("s" + speakers.size())), CONFIG);
        speakers.add(s);
        return s;
    }

    private static Cli cli(InProcessSpeaker s, String... args) throws Exception {
        Cli c = Cli.run(s::channel, args);
        s.settle();
        return c;
    }

    private static List<String> rri(InProcessSpeaker s) {
        return RriControlGrpc.newBlockingStub(s.channel()).showCryptoRoute(ShowCryptoRouteRequest.getDefaultInstance())
                .getRoutesList().stream().filter(r -> r.getKind().equals("RRI"))
                .map(r -> r.getVrf() + " " + r.getPrefix() + " via " + r.getNextHop() + (r.getWithdrawing() ? " (withdrawing)" : ""))
                .toList();
    }

    @Test
    void publishUpAndDownFromAShellHookMakeTheRouteComeAndGo() throws Exception {
        InProcessSpeaker s = start();
        Cli up = cli(s, "publish", "up", "--publisher", "libreswan", "--connection", "spokes", "--child-id", "7",
                "--peer", "192.0.2.2", "--local", "192.0.2.1", "--remote-ts", "10.81.2.0/29,fd00:81:2::/64",
                "--local-ts", "10.80.0.0/16", "--remote-id", "CN=spoke2");
        assertEquals(0, up.exit(), up.err());
        assertEquals(List.of(" 10.81.2.0/29 via 192.0.2.2", " fd00:81:2::/64 via 192.0.2.2"), rri(s));
        Cli show = cli(s, "show", "sa");
        assertTrue(show.out().startsWith("libreswan: spokes[0] child spokes[7] peer 192.0.2.2 (CN=spoke2)"), show.out());

        Cli down = cli(s, "publish", "down", "--publisher", "libreswan", "--connection", "spokes", "--child-id", "7");
        assertEquals(0, down.exit(), down.err());
        assertEquals(List.of(), rri(s));
    }

    @Test
    void aRefusedEventExitsOneAndSaysWhy() throws Exception {
        InProcessSpeaker s = start();
        Cli bad = cli(s, "publish", "up", "--publisher", "libreswan", "--connection", "spokes", "--peer", "192.0.2.256",
                "--remote-ts", "10.81.2.0/29");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("up: error: refused by the speaker: remote_host '192.0.2.256' is not an address"),
                bad.err());
        Cli noPeer = cli(s, "publish", "up", "--publisher", "libreswan", "--connection", "spokes");
        assertEquals(1, noPeer.exit());
        assertEquals("publish up: --peer ADDRESS is required (the RRI next hop)\n", noPeer.err());
        assertEquals(List.of(), rri(s));
    }

    @Test
    void replayPlaysAFileSkipsItsBadLinesByFileAndLineAndCountsThem() throws Exception {
        InProcessSpeaker s = start();
        Path f = Files.writeString(dir.resolve("field.jsonl"), """
                # a tunnel comes, a second one, the first goes
                {"up": {"connection": "spokes", "childId": "2", "remoteHost": "192.0.2.2", "remoteTs": ["10.81.2.0/29"]}}
                {"up": {"connection": "spokes", "childId": "3", "remoteHost": "192.0.2.3", "remoteTs": ["10.81.3.0/29"]}, "at": 0.5}
                {"up": {"connection": "spokes", "childId": "4", "remoteHost": "192.0.2.4", "remoteTs": ["10.81.4.0/29"]
                {"up": {"connection": "spokes", "chldId": "5"}}
                {"down": {"connection": "spokes", "childId": "2"}, "at": 1}
                {"up": {"connection": "spokes", "childId": "6", "remoteHost": "192.0.2.6", "remoteTs": ["10.81.6.0/33"]}}
                """);
        Cli r = cli(s, "replay", "--fast", f.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        List<String> errors = r.err().lines().toList();
        assertEquals(3, errors.size(), r.err());
        assertTrue(errors.get(0).startsWith(f + ":4: error: not an SA event: "), errors.get(0));
        assertTrue(errors.get(1).startsWith(f + ":5: error: not an SA event: "), errors.get(1));
        assertTrue(errors.get(1).contains("chldId"), errors.get(1));
        assertTrue(errors.get(2).startsWith(f + ":7: warning: remote_ts '10.81.6.0/33' refused: prefix length 33"),
                errors.get(2));
        assertEquals("replay " + f + ": 4 event(s) played as publisher replay, 0 refused by the speaker, 1 warning(s), "
                + "2 bad line(s) skipped\n", r.out());
        assertEquals(List.of(" 10.81.3.0/29 via 192.0.2.3"), rri(s));
    }

    @Test
    void showSaJsonLinesCapturesTheSaSetAndReplayingItElsewhereGivesTheSameRoutes() throws Exception {
        InProcessSpeaker field = start();
        field.threeTunnelsUp();
        field.submit(new SaEvent.ChildUp(InProcessSpeaker.sa("spokes", 9, "192.0.2.9", "10.81.9.0/29")));
        Cli capture = cli(field, "show", "sa", "--json-lines");
        assertEquals(0, capture.exit(), capture.err());
        List<String> lines = capture.out().lines().toList();
        assertEquals(6, lines.size(), capture.out());
        assertEquals("{\"snapshotBegin\":{}}", lines.get(0));
        assertEquals("{\"snapshotSa\":{\"connection\":\"spokes\",\"ikeId\":\"1\",\"child\":\"lan\",\"childId\":\"2\","
                + "\"reqid\":\"1\",\"localHost\":\"192.0.2.1\",\"remoteHost\":\"192.0.2.2\",\"remoteId\":\"spoke-2\","
                + "\"localTs\":[\"10.80.0.0/16\"],\"remoteTs\":[\"10.81.2.0/29\",\"fd00:81:2::/64\"]}}", lines.get(1));
        Path f = Files.writeString(dir.resolve("capture.jsonl"), capture.out());

        InProcessSpeaker lab = start();
        Cli replay = cli(lab, "replay", f.toString());
        assertEquals(0, replay.exit(), replay.err());
        assertEquals(rri(field), rri(lab));
        assertEquals(4, rri(lab).size(), "spokes (v4, v6), red and the second spoke; the VTI route is not RRI");

        InProcessSpeaker other = start();
        Cli snap = cli(other, "publish", "snapshot", "--publisher", "orchestrator", f.toString());
        assertEquals(0, snap.exit(), snap.err());
        assertEquals(rri(field), rri(other));
        Cli onlyPublisher = cli(other, "show", "sa", "--json-lines", "--source", "vici");
        assertEquals("{\"snapshotBegin\":{}}\n{\"snapshotEnd\":{}}\n", onlyPublisher.out());
    }

    private static String readErrors(String text) throws Exception {
        StringWriter err = new StringWriter();
        ReplayFile.Content c = ReplayFile.read("f", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(err, true));
        return c.items().size() + " ok, " + c.bad() + " bad\n" + err;
    }

    @Test
    void theReplayReaderNamesFileAndLineOfEachBadLineAndGoesOn() throws Exception {
        assertEquals("""
                1 ok, 5 bad
                f:1: error: a hello (the replayer sends its own; name the publisher with --publisher); skipped
                f:2: error: no event (expected one of: snapshotBegin, snapshotSa, snapshotEnd, up, down, rekey, ikeDown, keepalive); skipped
                f:3: error: at -1.0 (expected: seconds from the first line, 0 or more); skipped
                f:5: error: at 1.0 is before the line before's 2.0 (expected: times in order); skipped
                f:6: error: not an SA event: Expect message object but got: "up"; skipped
                """, readErrors("""
                {"hello": {"publisher": "x"}}
                {}
                {"keepalive": {}, "at": -1}
                {"keepalive": {}, "at": 2}
                {"keepalive": {}, "at": 1}
                {"up": "up"}
                """));
    }

    @Test
    void aTooLongLineOrOneThatIsNotUtf8IsSkipped() throws Exception {
        String longLine = "{\"keepalive\": {}}" + " ".repeat(ReplayFile.MAX_LINE);
        assertEquals("1 ok, 1 bad\nf:1: error: line longer than " + ReplayFile.MAX_LINE + " bytes; skipped\n",
                readErrors(longLine + "\n{\"keepalive\": {}}\n"));
        StringWriter err = new StringWriter();
        byte[] bytes = "{\"keepalive\": {}}\n{\"up\": {\"connection\": \"\u00ff\"}}\n{\"keepalive\": {}}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        ReplayFile.Content c = ReplayFile.read("f", new ByteArrayInputStream(bytes), new PrintWriter(err, true));
        assertEquals(2, c.items().size());
        assertEquals(1, c.bad());
        assertEquals("f:2: error: not UTF-8; skipped\n", err.toString());
    }
}
