package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.GobgpObserver;
import net.rrispeaker.lab.Netns;
import net.rrispeaker.lab.Pluto;
import net.rrispeaker.lab.SimLab;
import net.rrispeaker.lab.SpeakerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real libreswan pluto 4.10 (two instances, {@code west} the hub with the shipped updown script as
 * its {@code leftupdown}, {@code east} a site) next to the real speaker and gobgpd of a
 * {@link SimLab}. This kernel has no XFRM ESP, so pluto cannot install a Child SA (its {@code Add
 * SA} fails with errno 38) and never calls {@code up-client}: what real pluto proves here is that
 * it runs the shipped hook with its real environment ({@code auto=route}: {@code prepare-client}
 * and {@code route-client} with {@code PLUTO_SA_TYPE=none}), that those policy calls announce
 * nothing, that an IKE SA without a Child SA announces nothing, and that {@code
 * libreswan-reconcile} reads real {@code whack --trafficstatus} and {@code whack --status} output.
 * The hook's {@code up-client}/{@code down-client} with pluto's environment is {@link LibreswanHookIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibreswanPlutoIT {
    private static final Duration CONVERGE = Duration.ofSeconds(20);

    private SimLab lab;
    private SpeakerProcess speaker;
    private GobgpObserver gobgp;
    private final List<AutoCloseable> plutos = new ArrayList<>();
    private Pluto west;
    private Pluto east;
    private Path jar;
    private Path calls;

    @BeforeAll
    void start() throws IOException {
        assertTrue(Pluto.available(), "libreswan unpacked at " + Pluto.ROOT + " (.ci/debian-packages.sh rri_install_libreswan)");
        lab = SimLab.start();
        try {
            jar = Files.copy(SpeakerProcess.defaultJar(), lab.dir().resolve("rri-speaker.jar"));
            Path hook = Files.copy(SpeakerProcess.defaultJar().resolveSibling("rri-libreswan-updown"),
                    lab.dir().resolve("rri-libreswan-updown"));
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            // what --wrap runs before its own part, in place of 'ipsec _updown': records each call's environment
            calls = Files.createDirectory(lab.dir().resolve("updown-calls"));
            Path recorder = lab.dir().resolve("record-updown");
            Files.writeString(recorder, "#!/bin/sh\nenv | grep '^PLUTO_' | sort > \"" + calls + "/$PLUTO_VERB\"\n");
            Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwxr-xr-x"));

            speaker = new SpeakerProcess(lab, jar, lab.writeSpeakerConfig("publisher-speaker.conf.tmpl",
                    Map.of("GROUP", "root")));
            speaker.start();
            gobgp = new GobgpObserver(lab.gobgpSocket());
            Await.until(CONVERGE, "speaker connected to the simulator and gobgpd", () -> speaker.allConnected());

            Netns w = Pluto.namespace("west");
            plutos.add(() -> Exec.run("ip", "netns", "del", w.name()));
            Netns e = Pluto.namespace("east");
            plutos.add(() -> Exec.run("ip", "netns", "del", e.name()));
            Exec.run("ip", "link", "add", "lsw" + ProcessHandle.current().pid() % 100000, "netns", w.name(), "type", "veth",
                    "peer", "name", "lswe", "netns", e.name()).check();
            String wif = "lsw" + ProcessHandle.current().pid() % 100000;
            w.exec("ip", "addr", "add", "192.0.2.1/24", "dev", wif).check();
            w.exec("ip", "link", "set", wif, "up").check();
            e.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "lswe").check();
            e.exec("ip", "link", "set", "lswe", "up").check();

            west = Pluto.start(w, side("west", "192.0.2.1", "192.0.2.2", "10.80.0.0/16", "10.81.2.0/24",
                    "leftupdown=\"" + hook + " --wrap\"\n\tauto=route"), Map.of(
                    "RRI_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "RRI_CONTROL", "unix:" + lab.controlSocket(), "RRI_UPDOWN", recorder.toString()));
            plutos.add(0, west);
            east = Pluto.start(e, side("east", "192.0.2.2", "192.0.2.1", "10.81.2.0/24", "10.80.0.0/16", "auto=add"),
                    Map.of());
            plutos.add(0, east);
        } catch (RuntimeException | Error e) {
            System.err.println(lab.diagnostics() + "\n" + (speaker == null ? "" : speaker.logTail(40)));
            stop();
            throw e;
        }
    }

    private Path side(String name, String left, String right, String leftSubnet, String rightSubnet, String extra) {
        try {
            Path d = Files.createDirectory(lab.dir().resolve(name));
            Files.writeString(d.resolve("ipsec.conf"), """
                    config setup
                    \tplutodebug=none
                    conn spokes
                    \tleft=%s
                    \tright=%s
                    \tleftsubnet=%s
                    \trightsubnet=%s
                    \tauthby=secret
                    \tikev2=insist
                    \t%s
                    """.formatted(left, right, leftSubnet, rightSubnet, extra));
            Files.writeString(d.resolve("ipsec.secrets"), left + " " + right + " : PSK \"lab-only-pre-shared-key-0123456789\"\n");
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : plutos) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        if (gobgp != null) {
            gobgp.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private int routesInGobgpd() {
        return gobgp.list(GobgpObserver.IPV4).size() + gobgp.list(GobgpObserver.IPV6).size();
    }

    private String call(String verb) {
        try {
            return Files.readString(calls.resolve(verb));
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void plutoRunsTheShippedHookAndNothingWithoutAChildSaIsAnnounced() {
        // auto=route: pluto installs the policy and calls the hook, without an SA
        Exec.Result add = west.addAll();
        assertEquals(0, add.exitCode(), add.stdout() + add.stderr());
        Await.until(CONVERGE, "pluto called route-client", () -> call("route-client") != null);
        String route = call("route-client");
        assertTrue(call("prepare-client") != null, "prepare-client came first");
        for (String v : List.of("PLUTO_VERB=route-client", "PLUTO_CONNECTION=spokes", "PLUTO_SA_TYPE=none",
                "PLUTO_PEER=192.0.2.2", "PLUTO_PEER_CLIENT=10.81.2.0/24", "PLUTO_MY_CLIENT=10.80.0.0/16",
                "PLUTO_CONN_ADDRFAMILY=ipv4", "PLUTO_STACK=xfrm")) {
            assertTrue(route.lines().anyMatch(v::equals), v + " in pluto's environment:\n" + route);
        }
        assertTrue(route.lines().anyMatch(l -> l.matches("PLUTO_SA_REQID=\\d+")), route);

        // east answers; the IKE SA establishes, the Child SA cannot be installed on this kernel
        Exec.Result east0 = east.addAll();
        assertEquals(0, east0.exitCode(), east0.stdout() + east0.stderr());
        Exec.Result init = west.whack("--name", "spokes", "--initiate");
        assertTrue(init.stdout().contains("established IKE SA"), init.stdout() + init.stderr());
        assertTrue(call("up-client") == null, "no Child SA, so no up-client");

        // the speaker got nothing: no libreswan SA, no route, during a few seconds
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            assertEquals(0, routesInGobgpd());
            Exec.run("sleep", "0.2");
        }
        Exec.Result sa = Exec.run(Duration.ofSeconds(60), Map.of(), List.of(java(), "-jar", jar.toString(), "show", "sa",
                "--control", "unix:" + lab.controlSocket()));
        assertFalse(sa.stdout().contains("libreswan:"), sa.stdout());

        // the reconcile on pluto's real listings: the connection is prospectively erouted, no SA
        Exec.Result status = west.whack("--status");
        assertTrue(status.stdout().lines().anyMatch(l -> l.startsWith("000 \"spokes\": 10.80.0.0/16===192.0.2.1")
                && l.endsWith("eroute owner: #0")), status.stdout());
        String whack = String.join(" ", west.inside("whack")) + " --ctlsocket /run/pluto/pluto.ctl";
        Exec.Result r = Exec.run(Duration.ofSeconds(60), Map.of(), List.of(java(), "-jar", jar.toString(),
                "libreswan-reconcile", "--trafficstatus-command", whack + " --trafficstatus",
                "--status-command", whack + " --status", "--control", "unix:" + lab.controlSocket()));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("libreswan-reconcile: 0 SA(s) as a snapshot, 0 established SA(s) owning no "
                + "connection, published as libreswan"), r.stdout() + r.stderr());
        assertEquals(0, routesInGobgpd());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
