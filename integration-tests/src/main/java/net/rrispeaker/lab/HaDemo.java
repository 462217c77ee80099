package net.rrispeaker.lab;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The redundant-headend lab for a person: builds it ({@link HaLab}: two spokes with tunnels to two
 * headends, each headend with charon, gobgpd, keepalived and its own speaker, an FRR core), prints
 * what each headend's speaker announces, the VRRP states, the core's BGP table and the invariant
 * check, and how to break things by hand. Then waits for Ctrl-C, or exits with {@code --once}.
 * Always cleans up.
 *
 * <pre>java -cp ... net.rrispeaker.lab.HaDemo [--once] [--speaker-jar PATH]</pre>
 */
public final class HaDemo {
    private HaDemo() {
    }

    public static void main(String[] args) throws Exception {
        boolean once = false;
        Path jar = SpeakerProcess.defaultJar();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--once" -> once = true;
                case "--speaker-jar" -> jar = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("usage: HaDemo [--once] [--speaker-jar PATH]  (unknown argument: " + args[i] + ")");
                    System.exit(2);
                }
            }
        }
        HaLab started;
        try {
            started = HaLab.start(jar);
        } catch (RuntimeException | AssertionError e) {
            System.err.println("ha-lab failed: the lab did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        int status = 0;
        try (HaLab lab = started) {
            try {
                show(lab, once);
            } catch (RuntimeException | AssertionError e) {
                System.err.println("ha-lab failed: " + e.getMessage());
                System.err.println(lab.diagnostics());
                status = 1;
            }
        }
        System.exit(status);
    }

    private static void show(HaLab lab, boolean once) throws Exception {
        for (Headend h : lab.headends()) {
            section(h.role() + " headend: show crypto route (distance " + h.addrs().distance() + ", LOCAL_PREF "
                    + h.addrs().localPref() + "), VRRP " + h.keepalived().state());
            System.out.print(h.speaker().showCryptoRoute(false).check().stdout());
        }
        section("FRR core: show bgp ipv4 unicast (both headends' paths, the primary's best)");
        System.out.print(lab.core().vtysh("show bgp ipv4 unicast"));
        section("invariant: core against the truth from the SAs up");
        HaInvariant.Report r = lab.check();
        System.out.println(r.exact() ? "EXACT" : "NOT EXACT");
        System.out.print(r);
        System.out.println();
        if (once) {
            return;
        }
        Headend pri = lab.primary();
        section("running; lab dir " + lab.dir() + "; press Ctrl-C to stop and clean up");
        System.out.println("watch the core:   watch -n0.2 vtysh --vty_socket " + lab.core().dir() + " -c \"'show bgp ipv4 unicast'\"");
        System.out.println("kill the primary: kill -9 $(ip netns pids " + pri.netns().name() + ") " + pri.speaker().pid());
        System.out.println("freeze it:        kill -STOP $(ip netns pids " + pri.netns().name() + ")   (and -CONT)");
        System.out.println("VRRP state:       cat " + pri.dir().resolve("vrrp.state") + " "
                + lab.secondary().dir().resolve("vrrp.state"));
        System.out.println("primary's SAs:    STRONGSWAN_CONF=" + pri.dir().resolve("strongswan.conf") + " ip netns exec "
                + pri.netns().name() + " swanctl --list-sas --uri unix://" + pri.charon().vici());
        new CountDownLatch(1).await();
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("==== " + title);
    }
}
