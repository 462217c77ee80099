package net.rrispeaker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.rrispeaker.control.api.PublishRequest;
import net.rrispeaker.control.api.PublishedIkeDown;
import net.rrispeaker.control.api.PublishedRekey;
import net.rrispeaker.control.api.PublishedSa;
import net.rrispeaker.control.api.SnapshotBegin;
import net.rrispeaker.control.api.SnapshotEnd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rri-speaker publish up|down|rekey|ike-down|snapshot ...}: one event (or one snapshot) to
 * the running speaker's {@code Publish} stream as a one-shot session, for a shell hook (an IPsec
 * stack's updown script) that should not speak gRPC. Exit 0 when the speaker accepted it, 1 when
 * it refused it (why on stderr), 2 on a usage error.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish SA events to a running speaker (needs 'rri control-api publisher ...').",
        subcommands = {PublishCommand.Up.class, PublishCommand.Down.class, PublishCommand.Rekey.class,
                PublishCommand.IkeDown.class, PublishCommand.Snapshot.class})
final class PublishCommand {
    private PublishCommand() {
    }

    /** What every publish subcommand shares: the speaker, the publisher name, the run. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ControlClient client;

        @Option(names = "--publisher", required = true, paramLabel = "NAME",
                description = "The publisher (source) name: its SAs are kept apart from every other source's.")
        String publisher;

        @Spec
        CommandSpec spec;

        /** The messages to send; null after printing a problem with the input (exit 1). */
        abstract List<PublishStream.Item> items(PrintWriter err) throws IOException;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String cmd = spec.qualifiedName().replace("rri-speaker ", "");
            try {
                List<PublishStream.Item> items = items(err);
                if (items == null) {
                    return 1;
                }
                PublishStream.Result r = client.onChannel(ch -> PublishStream.run(ch, publisher, items, false, err));
                if (r.failure() != null) {
                    err.println(cmd + ": " + r.failure());
                    return 1;
                }
                return r.refused() == 0 ? 0 : 1;
            } catch (IOException e) {
                err.println(cmd + ": " + e.getMessage());
                return 1;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    /** The options that describe one CHILD_SA. */
    abstract static class SaOptions extends Base {
        @Option(names = "--connection", required = true, paramLabel = "NAME",
                description = "Connection name: what 'match ipsec-connection' matches.")
        String connection;

        @Option(names = "--child-id", paramLabel = "N", defaultValue = "0",
                description = "CHILD_SA id; with the connection it identifies the SA (default: ${DEFAULT-VALUE}, one SA per connection).")
        long childId;

        @Option(names = "--ike-id", paramLabel = "N", defaultValue = "0", description = "IKE_SA id (for ike-down).")
        long ikeId;

        @Option(names = "--child", paramLabel = "NAME", description = "CHILD config name (default: the connection).")
        String child;

        @Option(names = "--reqid", paramLabel = "N", defaultValue = "0", description = "reqid.")
        long reqid;

        @Option(names = "--peer", paramLabel = "ADDRESS", description = "The peer's outer address: the RRI next hop.")
        String peer;

        @Option(names = "--local", paramLabel = "ADDRESS", description = "Our outer address.")
        String local;

        @Option(names = "--remote-id", paramLabel = "ID", description = "The peer's identity, for display.")
        String remoteId;

        @Option(names = "--remote-ts", split = ",", paramLabel = "SELECTOR",
                description = "Remote traffic selectors (the networks behind the peer), comma-separated or repeated.")
        List<String> remoteTs = new ArrayList<>();

        @Option(names = "--local-ts", split = ",", paramLabel = "SELECTOR", description = "Local traffic selectors.")
        List<String> localTs = new ArrayList<>();

        @Option(names = "--if-id", paramLabel = "N", defaultValue = "0", description = "XFRM interface id (route-based tunnel).")
        long ifId;

        PublishedSa sa() {
            PublishedSa.Builder b = PublishedSa.newBuilder().setConnection(connection).setChildId(childId).setIkeId(ikeId)
                    .setReqid(reqid).setIfId(ifId).addAllRemoteTs(remoteTs).addAllLocalTs(localTs);
            if (child != null) {
                b.setChild(child);
            }
            if (peer != null) {
                b.setRemoteHost(peer);
            }
            if (local != null) {
                b.setLocalHost(local);
            }
            if (remoteId != null) {
                b.setRemoteId(remoteId);
            }
            return b.build();
        }

        List<PublishStream.Item> one(PublishRequest req) {
            return List.of(new PublishStream.Item(spec.name(), req));
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "A CHILD_SA was installed.")
    static final class Up extends SaOptions {
        @Override
        List<PublishStream.Item> items(PrintWriter err) {
            if (peer == null) {
                err.println("publish up: --peer ADDRESS is required (the RRI next hop)");
                return null;
            }
            return one(PublishRequest.newBuilder().setUp(sa()).build());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "A CHILD_SA was deleted.")
    static final class Down extends SaOptions {
        @Override
        List<PublishStream.Item> items(PrintWriter err) {
            return one(PublishRequest.newBuilder().setDown(sa()).build());
        }
    }

    @Command(name = "rekey", mixinStandardHelpOptions = true,
            description = "A CHILD_SA was rekeyed: --old-child-id replaced by the SA described.")
    static final class Rekey extends SaOptions {
        @Option(names = "--old-child-id", required = true, paramLabel = "N", description = "The CHILD_SA id replaced.")
        long oldChildId;

        @Override
        List<PublishStream.Item> items(PrintWriter err) {
            if (peer == null) {
                err.println("publish rekey: --peer ADDRESS is required (the RRI next hop)");
                return null;
            }
            return one(PublishRequest.newBuilder()
                    .setRekey(PublishedRekey.newBuilder().setOldChildId(oldChildId).setSa(sa())).build());
        }
    }

    @Command(name = "ike-down", mixinStandardHelpOptions = true, description = "An IKE_SA and all its CHILD_SAs are gone.")
    static final class IkeDown extends SaOptions {
        @Override
        List<PublishStream.Item> items(PrintWriter err) {
            return one(PublishRequest.newBuilder()
                    .setIkeDown(PublishedIkeDown.newBuilder().setConnection(connection).setIkeId(ikeId)).build());
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = "Every SA this publisher has, from a JSON-lines file ('-': stdin) in the replay format: "
                    + "its up and snapshotSa lines replace all of the publisher's SAs.")
    static final class Snapshot extends Base {
        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        @Override
        List<PublishStream.Item> items(PrintWriter err) throws IOException {
            ReplayFile.Content c;
            try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
                c = ReplayFile.read(file.equals("-") ? "<stdin>" : file, in, err);
            }
            List<PublishStream.Item> items = new ArrayList<>();
            items.add(new PublishStream.Item(file, PublishRequest.newBuilder()
                    .setSnapshotBegin(SnapshotBegin.getDefaultInstance()).build()));
            int bad = c.bad();
            for (PublishStream.Item i : c.items()) {
                PublishRequest r = i.request();
                if (r.hasUp() || r.hasSnapshotSa()) {
                    items.add(new PublishStream.Item(i.where(), PublishRequest.newBuilder()
                            .setSnapshotSa(r.hasUp() ? r.getUp() : r.getSnapshotSa()).build()));
                } else if (!r.hasSnapshotBegin() && !r.hasSnapshotEnd()) {
                    err.println(i.where() + ": error: a " + r.getEventCase() + " has no place in a snapshot; skipped");
                    bad++;
                }
            }
            if (bad > 0) {
                err.println("publish snapshot: " + bad + " bad line(s) in " + file + "; nothing published (a snapshot "
                        + "without them would withdraw their SAs)");
                return null;
            }
            items.add(new PublishStream.Item(file, PublishRequest.newBuilder()
                    .setSnapshotEnd(SnapshotEnd.getDefaultInstance()).build()));
            return items;
        }
    }
}
