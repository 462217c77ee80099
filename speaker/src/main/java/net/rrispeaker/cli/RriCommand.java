package net.rrispeaker.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.ios.ConfigProblem;
import net.rrispeaker.ios.ConfigText;
import net.rrispeaker.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rri-speaker --config FILE [--check-config]}: runs the daemon (or only checks the config,
 * like {@code gobgpd --dry-run}); subcommands talk to a running speaker.
 */
@Command(name = "rri-speaker", mixinStandardHelpOptions = true, version = "rri-speaker 0.1.0",
        description = "Reverse route injection speaker: strongSwan SAs to GoBGP routes, Cisco IOS semantics.",
        subcommands = {ShowCommand.class, ReloadCommand.class, HealthCommand.class, VrrpNotifyCommand.class,
                PublishCommand.class, ReplayCommand.class, LibreswanCommands.Hook.class, LibreswanCommands.Reconcile.class})
public final class RriCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "IOS-style configuration file.")
    Path config;

    @Option(names = "--check-config", description = "Check the configuration, print every problem, exit non-zero on errors.")
    boolean checkOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Checks the file, then (without --check-config) runs the daemon until the JVM stops. */
    private int run(PrintWriter out, PrintWriter err) throws Exception {
        if (config == null) {
            err.println("rri-speaker: --config FILE is required (or a subcommand; see --help)");
            return 2;
        }
        Config cfg;
        try {
            // UTF-8, size-bounded: a bad byte is a file:line error
            cfg = ConfigParser.parse(config.toString(), ConfigText.read(config));
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                err.println(p);
            }
            err.println("rri-speaker: " + e.problems().stream()
                    .filter(p -> p.severity() == ConfigProblem.Severity.ERROR).count() + " error(s) in " + config);
            return 1;
        } catch (java.io.IOException e) {
            err.println("rri-speaker: cannot read " + config + ": " + e.getMessage());
            return 1;
        }
        if (checkOnly) {
            for (ConfigProblem p : cfg.notes()) {
                out.println(p);
            }
            // The parser does no I/O; looking the peer names up is this command's own check.
            PeerResolver.check(cfg, PeerResolver.Lookup.system()).forEach(out::println);
            out.println(config + ": configuration OK");
            return 0;
        }
        Daemon daemon;
        try {
            daemon = Daemon.start(config, cfg);
        } catch (java.io.IOException e) {
            err.println("rri-speaker: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "rri-shutdown"));
        stopped.await();
        return 0;
    }
}
