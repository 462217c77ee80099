package net.rrispeaker.sink.frr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import net.rrispeaker.config.FrrSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vtysh command lines, against a stand-in vtysh script that records what it was given. */
class ProcessVtyshTest {
    @TempDir
    Path dir;

    private ProcessVtysh vtysh(String body) throws IOException {
        Path script = dir.resolve("vtysh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + dir.resolve("args") + "\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new ProcessVtysh(new FrrSettings(script.toString(), dir.toString(), Duration.ZERO,
                dir.resolve("state").toString(), Duration.ZERO));
    }

    @Test
    void readsStaticdsRunningConfigThroughItsVtySocket() throws Exception {
        ProcessVtysh v = vtysh("echo 'ip route 10.81.2.0/29 192.0.2.2 tag 5 20'\n");
        assertEquals("ip route 10.81.2.0/29 192.0.2.2 tag 5 20\n", v.runningConfig());
        assertEquals("--vty_socket " + dir + " -d staticd -c show running-config\n", Files.readString(dir.resolve("args")));
    }

    @Test
    void appliesABatchAsOneFileAndReportsTheExitCode() throws Exception {
        // the stand-in copies the file it is given, prints a line error and exits 2 as vtysh -f does
        ProcessVtysh v = vtysh("shift 4; cp \"$2\" " + dir.resolve("batch") + "; echo 'line 2: % Unknown command'; exit 2\n");
        Vtysh.Result r = v.apply("ip route 10.81.2.0/29 192.0.2.2 tag 5 20\nip route x\n");
        assertEquals(2, r.exitCode());
        assertTrue(r.output().contains("line 2: % Unknown command"), r.output());
        assertEquals("ip route 10.81.2.0/29 192.0.2.2 tag 5 20\nip route x\n", Files.readString(dir.resolve("batch")));
        assertTrue(Files.readString(dir.resolve("args")).startsWith("--vty_socket " + dir + " -d staticd -f "));
    }

    @Test
    void theSameVtyshTalksToBfddForTheBfdManager() throws Exception {
        Path script = dir.resolve("vtysh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + dir.resolve("args") + "\necho '[]'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessVtysh v = new ProcessVtysh(script.toString(), dir.toString(), "bfdd");
        assertEquals("[]\n", v.show("show bfd peers json"));
        assertEquals("--vty_socket " + dir + " -d bfdd -c show bfd peers json\n", Files.readString(dir.resolve("args")));
        assertEquals(dir.resolve("bfdd.vty").toString(), v.describe());
        assertEquals("/var/run/frr/bfdd.vty", new ProcessVtysh(script.toString(), null, "bfdd").describe());
    }

    @Test
    void anUnreachableStaticdIsAnErrorNamingWhatVtyshSaid() throws Exception {
        ProcessVtysh v = vtysh("echo 'Exiting: failed to connect to any daemons.'; exit 1\n");
        IOException e = assertThrows(IOException.class, v::runningConfig);
        assertTrue(e.getMessage().contains("exit 1: Exiting: failed to connect to any daemons."), e.getMessage());
    }

    @Test
    void staticdsIdentityIsItsVtySocketFile() throws Exception {
        ProcessVtysh v = vtysh("");
        assertNull(v.daemonIdentity(), "no socket: staticd is not running");
        Files.writeString(dir.resolve("staticd.vty"), "");
        Object first = v.daemonIdentity();
        assertEquals(first, v.daemonIdentity());
        Files.delete(dir.resolve("staticd.vty"));
        Files.writeString(dir.resolve("other"), "");
        Files.writeString(dir.resolve("staticd.vty"), "");
        assertTrue(!first.equals(v.daemonIdentity()), "a new socket file is a restarted staticd");
    }
}
