package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.SpeakerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar's {@code --check-config}: exit 0 on a good file, non-zero and file:line on a bad one. */
class CheckConfigIT {
    private static final String GOOD = """
            rri vici-socket /run/charon.vici
            rri gobgp-api unix:/run/gobgp.sock
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             set reverse-route tag 5
             set reverse-route distance 20
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            router bgp 65000
             redistribute static
            """;

    @TempDir
    Path dir;

    @Test
    void goodConfigPasses() throws IOException {
        Path file = Files.writeString(dir.resolve("good.conf"), GOOD);
        Exec.Result r = SpeakerProcess.checkConfig(SpeakerProcess.defaultJar(), file);
        assertEquals(0, r.exitCode(), "stdout: " + r.stdout() + "\nstderr: " + r.stderr());
    }

    @Test
    void badConfigFailsNamingFileAndLine() throws IOException {
        // line 5: a tag that is not a number
        Path file = Files.writeString(dir.resolve("bad.conf"), GOOD.replace("tag 5", "tag banana"));
        Exec.Result r = SpeakerProcess.checkConfig(SpeakerProcess.defaultJar(), file);
        String out = r.stdout() + r.stderr();
        assertNotEquals(0, r.exitCode(), out);
        assertTrue(out.contains("bad.conf:5: error: "), "expected file:line: error: (bad.conf:5: error: ) in: " + out);
        assertTrue(out.contains("banana"), "expected the offending token in: " + out);
    }
}
