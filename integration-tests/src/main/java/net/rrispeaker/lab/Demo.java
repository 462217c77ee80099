package net.rrispeaker.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A working example of the speaker with real daemons: builds the lab (spoke and hub charon,
 * gobgpd, FRR core), starts the speaker with the example config, brings the tunnel up and
 * prints what each stage holds. Then waits for Ctrl-C, or exits with {@code --once}. Always
 * cleans up (namespaces, processes, temp dir).
 *
 * <pre>java -cp ... net.rrispeaker.lab.Demo [--once] [--speaker-jar PATH]</pre>
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        boolean once = false;
        Path jar = SpeakerProcess.defaultJar();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--once" -> once = true;
                case "--speaker-jar" -> jar = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("usage: Demo [--once] [--speaker-jar PATH]  (unknown argument: " + args[i] + ")");
                    System.exit(2);
                }
            }
        }
        int status = 0;
        Lab started;
        try {
            started = Lab.start();
        } catch (RuntimeException e) {
            // the lab has cleaned up after itself and logged every daemon's log; say why in one place
            System.err.println("demo failed: the lab did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        try (Lab lab = started) {
            try {
                run(lab, jar, once);
            } catch (RuntimeException | AssertionError e) {
                System.err.println("demo failed: " + e.getMessage());
                System.err.println(lab.diagnostics());
                status = 1;
            }
        }
        System.exit(status);
    }

    private static void run(Lab lab, Path jar, boolean once) throws Exception {
        Path config = lab.writeSpeakerConfig();
        section("speaker config " + config);
        System.out.print(Files.readString(config));

        SpeakerProcess speaker = new SpeakerProcess(lab, jar, config);
        speaker.start();
        section("spoke initiates the tunnel (swanctl --initiate --child " + Topology.SPOKE_CHILD + ")");
        lab.initiate();
        System.out.print(lab.hubSas());

        Await.until(Duration.ofSeconds(20), "both spoke LANs at FRR core", () ->
                !lab.core().bgpRoute(Topology.SPOKE_LAN4).isMissingNode()
                        && !lab.core().bgpRoute(Topology.SPOKE_LAN6).isMissingNode());

        section("show crypto route");
        System.out.print(speaker.showCryptoRoute(false).check().stdout());
        section("gobgpd RIB (gobgp global rib -a ipv4 / -a ipv6)");
        System.out.print(lab.gobgpd().cli("global", "rib", "-a", "ipv4").check().stdout());
        System.out.print(lab.gobgpd().cli("global", "rib", "-a", "ipv6").check().stdout());
        section("FRR core (show bgp ipv4|ipv6 unicast)");
        System.out.print(lab.core().vtysh("show bgp ipv4 unicast"));
        System.out.print(lab.core().vtysh("show bgp ipv6 unicast"));
        for (String p : List.of(Topology.SPOKE_LAN4, Topology.SPOKE_LAN6)) {
            System.out.print(lab.core().vtysh("show bgp " + (p.contains(":") ? "ipv6" : "ipv4") + " unicast " + p));
        }
        if (once) {
            return;
        }
        section("running; lab dir " + lab.dir() + "; press Ctrl-C to stop and clean up");
        System.out.println("try: STRONGSWAN_CONF=" + lab.dir().resolve("spoke/strongswan.conf") + " ip netns exec "
                + lab.spoke().netns().name() + " swanctl --terminate --ike " + Topology.SPOKE_CONNECTION + " --uri unix://"
                + lab.spoke().vici());
        System.out.println("     gobgp --target unix://" + lab.gobgpSocket() + " global rib -a ipv4");
        new CountDownLatch(1).await();
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("==== " + title);
    }
}
