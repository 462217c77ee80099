package net.rrispeaker.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.control.api.PublishRequest;
import net.rrispeaker.control.api.PublishedSa;
import net.rrispeaker.control.api.SnapshotBegin;
import net.rrispeaker.control.api.SnapshotEnd;
import net.rrispeaker.source.libreswan.LibreswanSa;
import net.rrispeaker.source.libreswan.TrafficStatus;
import net.rrispeaker.source.libreswan.UpdownEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * libreswan through the generic publisher: {@code libreswan-hook} (run by the updown script with
 * pluto's environment) and {@code libreswan-reconcile} (run from a timer: the complete SA set from
 * {@code ipsec trafficstatus} and {@code ipsec status}, as a snapshot).
 */
final class LibreswanCommands {
    private LibreswanCommands() {
    }

    static PublishedSa published(LibreswanSa sa) {
        return PublishedSa.newBuilder().setConnection(sa.connection()).setChildId(sa.childId())
                .setRemoteHost(sa.peer()).addRemoteTs(sa.peerClient()).setRemoteId(sa.peerId()).setReqid(sa.reqid())
                .build();
    }

    static String describe(LibreswanSa sa) {
        return "\"" + sa.connection() + "\" " + sa.peer() + " " + sa.peerClient() + " (child id " + sa.childId() + ")";
    }

    /** Options both commands share. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ControlClient client;

        @Option(names = "--publisher", paramLabel = "NAME", defaultValue = "libreswan",
                description = "The publisher (source) name (default: ${DEFAULT-VALUE}); it needs a 'rri control-api publisher' line.")
        String publisher;

        @Option(names = "--hosts", description = "Host-to-host SAs count too (the route: the peer's own address).")
        boolean hosts;

        @Spec
        CommandSpec spec;

        abstract int run(PrintWriter out, PrintWriter err) throws IOException;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                return run(out, err);
            } catch (IOException e) {
                err.println(spec.name() + ": " + firstLine(e.getMessage()));
                return 1;
            } finally {
                out.flush();
                err.flush();
            }
        }

        int publish(List<PublishStream.Item> items, PrintWriter err) throws IOException {
            PublishStream.Result r = client.onChannel(ch -> PublishStream.run(ch, publisher, items, false, err));
            if (r.failure() != null) {
                err.println(spec.name() + ": " + firstLine(r.failure()));
                return 1;
            }
            return r.refused() == 0 ? 0 : 1;
        }
    }

    /** One line of a message (a gRPC status carries its cause's stack trace): pluto logs every line it gets. */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).stripTrailing() + " ...";
    }

    /**
     * {@code rri-speaker libreswan-hook}: what pluto's updown call (its {@code PLUTO_*}
     * environment) means, published as one event. Reads nothing but the environment: the values,
     * peer-chosen IDs included, never pass through a shell.
     */
    @Command(name = "libreswan-hook", mixinStandardHelpOptions = true,
            description = "Publish the SA event of a libreswan updown call, read from its PLUTO_* environment "
                    + "(up-client[-v6] and down-client[-v6]; -host forms with --hosts; other verbs are ignored).")
    static final class Hook extends Base {
        /** The environment to read; the process's own unless a test sets it. */
        Map<String, String> env = System.getenv();

        @Override
        int run(PrintWriter out, PrintWriter err) throws IOException {
            UpdownEnvironment.Event e = UpdownEnvironment.read(env, hosts);
            String verb = TrafficStatus.printable(e.verb());
            if (e.action() == UpdownEnvironment.Action.IGNORE) {
                out.println("rri: " + verb + ": nothing to publish");
                return 0;
            }
            if (e.problem() != null) {
                err.println("rri: " + verb + ": not published: " + e.problem());
                return 1;
            }
            PublishRequest req = e.action() == UpdownEnvironment.Action.UP
                    ? PublishRequest.newBuilder().setUp(published(e.sa())).build()
                    : PublishRequest.newBuilder().setDown(PublishedSa.newBuilder().setConnection(e.sa().connection())
                    .setChildId(e.sa().childId())).build();
            String where = verb + " " + TrafficStatus.printable(describe(e.sa()));
            int rc = publish(List.of(new PublishStream.Item("rri: " + where, req)), err);
            if (rc == 0) {
                out.println("rri: " + where + ": published as " + publisher);
            }
            return rc;
        }
    }

    /**
     * {@code rri-speaker libreswan-reconcile}: libreswan's established SAs, as one snapshot of the
     * publisher, so an updown call that was missed (a hook that failed, a speaker that was down)
     * heals. A command that fails publishes nothing; a line that does not fit is reported and the
     * run publishes only what it read as {@code up}s, withdrawing nothing.
     */
    @Command(name = "libreswan-reconcile", mixinStandardHelpOptions = true,
            description = "Publish libreswan's established SAs (ipsec trafficstatus + ipsec status) as the "
                    + "publisher's complete SA set; run it from a timer.")
    static final class Reconcile extends Base {
        @Option(names = "--trafficstatus-command", paramLabel = "COMMAND", defaultValue = "ipsec whack --trafficstatus",
                description = "Lists the established IPsec SAs (default: ${DEFAULT-VALUE}); split on spaces, no shell.")
        String trafficCommand;

        @Option(names = "--status-command", paramLabel = "COMMAND", defaultValue = "ipsec whack --status",
                description = "Lists the connections with their subnets and eroute owners (default: ${DEFAULT-VALUE}).")
        String statusCommand;

        @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "How long each command may take (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--dry-run", description = "Print the SAs that would be published; publish nothing.")
        boolean dryRun;

        @Override
        int run(PrintWriter out, PrintWriter err) throws IOException {
            List<String> traffic = runCommand(trafficCommand, timeoutSeconds);
            List<String> status = runCommand(statusCommand, timeoutSeconds);
            TrafficStatus.Result r = TrafficStatus.read("trafficstatus", traffic, "status", status, hosts);
            for (TrafficStatus.Problem p : r.problems()) {
                err.println("libreswan-reconcile: " + p.where() + ": error: " + p.what() + ", skipped: " + p.line());
            }
            boolean whole = r.problems().isEmpty();
            List<PublishStream.Item> items = new ArrayList<>();
            if (whole) {
                items.add(new PublishStream.Item("snapshot", PublishRequest.newBuilder()
                        .setSnapshotBegin(SnapshotBegin.getDefaultInstance()).build()));
            }
            for (LibreswanSa sa : r.sas()) {
                PublishedSa p = published(sa);
                String where = TrafficStatus.printable(describe(sa));
                items.add(new PublishStream.Item(where, whole ? PublishRequest.newBuilder().setSnapshotSa(p).build()
                        : PublishRequest.newBuilder().setUp(p).build()));
                if (dryRun) {
                    out.println(where);
                }
            }
            if (whole) {
                items.add(new PublishStream.Item("snapshot", PublishRequest.newBuilder()
                        .setSnapshotEnd(SnapshotEnd.getDefaultInstance()).build()));
            }
            String summary = "libreswan-reconcile: " + r.sas().size() + " SA(s) "
                    + (whole ? "as a snapshot" : "as up events only (no withdrawals: " + r.problems().size()
                    + " bad line(s))") + ", " + r.unowned() + " established SA(s) owning no connection";
            if (dryRun) {
                out.println(summary + " (dry run: nothing published)");
                return whole ? 0 : 1;
            }
            int rc = publish(items, err);
            out.println(summary + (rc == 0 ? ", published as " + publisher : ", not all accepted"));
            return whole ? rc : 1;
        }
    }

    /** Runs {@code command} (split on spaces, no shell) and returns its output lines; fails on a non-zero exit. */
    static List<String> runCommand(String command, int timeoutSeconds) throws IOException {
        List<String> argv = Arrays.stream(command.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        if (argv.isEmpty()) {
            throw new IOException("empty command");
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] b = new byte[8192];
                int n;
                while ((n = in.read(b)) > 0) {
                    if (buf.size() < 64 << 20) {
                        buf.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process went away; its exit status tells
            }
        }, "rri-command-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + command + "' did not finish within " + timeoutSeconds + " s; nothing published");
            }
            reader.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted");
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("'" + command + "' exited " + p.exitValue() + "; nothing published: "
                    + TrafficStatus.printable(text.strip()));
        }
        return text.lines().toList();
    }
}
