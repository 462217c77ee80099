package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import net.rrispeaker.control.InProcessSpeaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rri-speaker --config FILE --check-config}: every problem, with file and line, and the exit code. */
class CheckConfigTest {
    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path file = dir.resolve("rri.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aGoodFileIsOkExitZeroAndItsNotesArePrinted() throws Exception {
        Path file = write(InProcessSpeaker.CONFIG + "crypto isakmp policy 10\n encryption aes\n");
        Cli r = Cli.run("--config", file.toString(), "--check-config");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertEquals(file + ":15: warning: crypto map VPN is applied to no interface: its entries are active anyway"
                + " (on Linux the IKE connection name binds SAs to entries)\n"
                + file + ":29: ignored: crypto isakmp policy 10 (IPsec only, not routing)\n"
                + file + ": configuration OK\n", r.out());
    }

    @Test
    void aBrokenFileNamesEveryErrorWithFileAndLineAndExitsOne() throws Exception {
        Path file = write(InProcessSpeaker.CONFIG
                .replace("crypto map VPN 10 ipsec-isakmp dynamic DYN", "crypto map VPN 10 ipsec-isakmp dynamic DNY")
                .replace("set reverse-route distance 20", "set reverse-route distance 300"));
        Cli r = Cli.run("--config", file.toString(), "--check-config");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(file + ":9: error: reverse-route distance: 300 (expected: 1..255)\n"
                + file + ":15: error: crypto map VPN 10: dynamic-map 'DNY' is not defined\n"
                + "rri-speaker: 2 error(s) in " + file + "\n", r.err());
    }

    @Test
    void aFileThatCannotBeReadIsNamedAndExitsOne() {
        Path missing = dir.resolve("nope.conf");
        Cli r = Cli.run("--config", missing.toString(), "--check-config");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("rri-speaker: cannot read " + missing + ": "), r.err());
    }

    @Test
    void withoutAConfigFileOrASubcommandItSaysWhatIsMissingAndExitsTwo() {
        Cli r = Cli.run("--check-config");
        assertEquals(2, r.exit());
        assertEquals("rri-speaker: --config FILE is required (or a subcommand; see --help)\n", r.err());
    }
}
