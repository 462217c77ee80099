package net.rrispeaker.cli;

import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import net.rrispeaker.control.BfdFormatter;
import net.rrispeaker.control.CryptoRouteFormatter;
import net.rrispeaker.control.DampeningFormatter;
import net.rrispeaker.control.api.ComponentStatus;
import net.rrispeaker.control.api.RedundancyGroupStatus;
import net.rrispeaker.control.api.PublishRequest;
import net.rrispeaker.control.api.SnapshotBegin;
import net.rrispeaker.control.api.SnapshotEnd;
import net.rrispeaker.control.api.SaEntry;
import net.rrispeaker.control.api.ShowBfdRequest;
import net.rrispeaker.control.api.ShowBfdResponse;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.ShowCryptoRouteResponse;
import net.rrispeaker.control.api.ShowDampeningRequest;
import net.rrispeaker.control.api.ShowDampeningResponse;
import net.rrispeaker.control.api.ShowSaRequest;
import net.rrispeaker.control.api.ShowSaResponse;
import net.rrispeaker.control.api.StatusRequest;
import net.rrispeaker.control.api.StatusResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code show crypto route [--json]}, {@code show sa}, {@code show status}, {@code show dampening},
 * {@code show bfd}: read a running speaker.
 */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show what a running speaker holds.")
final class ShowCommand implements Callable<Integer> {
    /** Every field, also false, zero and empty ones: a script reading the JSON sees "connected": false. */
    private static final JsonFormat.Printer JSON = JsonFormat.printer().includingDefaultValueFields();

    @Parameters(arity = "1..2", paramLabel = "WHAT", description = "crypto route | sa | status | dampening | bfd")
    java.util.List<String> what;

    @Option(names = "--json", description = "Print JSON instead of the IOS layout.")
    boolean json;

    @Option(names = "--vrf", description = "Only this VRF's table (crypto route).")
    String vrf;

    @Option(names = "--json-lines", description = "sa: the SA set as a snapshot in the replay format (rri-speaker replay, publish snapshot).")
    boolean jsonLines;

    @Option(names = "--source", paramLabel = "NAME", description = "sa: only the SAs of this source (vici or a publisher).")
    String source;

    @Mixin
    ControlClient client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return show(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int show(PrintWriter out, PrintWriter err) throws Exception {
        String w = String.join(" ", what);
        try {
            switch (w) {
                case "crypto route" -> {
                    ShowCryptoRouteResponse r = client.call(s -> s.showCryptoRoute(
                            ShowCryptoRouteRequest.newBuilder().setVrf(vrf == null ? "" : vrf).build()));
                    out.print(json ? JSON.print(r) + "\n"
                            : CryptoRouteFormatter.format(r.getRoutesList()));
                }
                case "sa" -> {
                    ShowSaResponse r = client.call(s -> s.showSa(ShowSaRequest.getDefaultInstance()));
                    if (source != null) {
                        r = ShowSaResponse.newBuilder().addAllSas(r.getSasList().stream()
                                .filter(e -> e.getSource().equals(source)).toList()).build();
                    }
                    if (jsonLines) {
                        out.println(ReplayFile.line(PublishRequest.newBuilder()
                                .setSnapshotBegin(SnapshotBegin.getDefaultInstance()).build()));
                        for (SaEntry e : r.getSasList()) {
                            out.println(ReplayFile.line(PublishRequest.newBuilder().setSnapshotSa(ReplayFile.published(e))
                                    .build()));
                        }
                        out.println(ReplayFile.line(PublishRequest.newBuilder()
                                .setSnapshotEnd(SnapshotEnd.getDefaultInstance()).build()));
                    } else if (json) {
                        out.println(JSON.print(r));
                    } else {
                        for (SaEntry e : r.getSasList()) {
                            out.printf("%s%s[%d] child %s[%d] peer %s (%s)%n  remote ts: %s%n  routes: %s%n",
                                    e.getSource().equals("vici") || e.getSource().isEmpty() ? "" : e.getSource() + ": ",
                                    e.getConnection(), e.getIkeId(), e.getChild(), e.getChildId(), e.getRemoteHost(),
                                    e.getRemoteId(), String.join(", ", e.getRemoteTsList()),
                                    e.getRoutesCount() == 0 ? "(none)" : String.join(", ", e.getRoutesList()));
                            for (String refused : e.getRefusedList()) {
                                out.printf("  refused: %s%n", refused);
                            }
                        }
                    }
                }
                case "status" -> {
                    StatusResponse r = client.call(s -> s.status(StatusRequest.getDefaultInstance()));
                    if (json) {
                        out.println(JSON.print(r));
                    } else {
                        out.printf("config %s: %d SAs, %d routes, %d BGP paths desired%n",
                                r.getConfigFile(), r.getSas(), r.getRoutes(), r.getDesiredPaths());
                        for (ComponentStatus c : r.getComponentsList()) {
                            out.printf("  %-6s %s %s%n", c.getName(), c.getConnected() ? "up  " : "DOWN", c.getDetail());
                        }
                        for (RedundancyGroupStatus g : r.getRedundancyGroupsList()) {
                            out.printf("  redundancy %s: %s (vrrp %s %s priority %d%s), standby %s, maps %s%n",
                                    g.getName(), g.getActive() ? "ACTIVE" : "STANDBY", g.getVrrpInstance(), g.getState(),
                                    g.getPriority(), g.getSinceSeconds() < 0 ? "" : " for " + g.getSinceSeconds() + " s",
                                    g.getStandby(), String.join(" ", g.getMapsList()));
                        }
                    }
                }
                case "dampening" -> {
                    ShowDampeningResponse r = client.call(s -> s.showDampening(ShowDampeningRequest.getDefaultInstance()));
                    out.print(json ? JSON.print(r) + "\n" : DampeningFormatter.format(r));
                }
                case "bfd" -> {
                    ShowBfdResponse r = client.call(s -> s.showBfd(ShowBfdRequest.getDefaultInstance()));
                    out.print(json ? JSON.print(r) + "\n" : BfdFormatter.format(r));
                }
                default -> {
                    err.println("show: unknown '" + w + "' (expected: crypto route | sa | status | dampening | bfd)");
                    return 2;
                }
            }
            return 0;
        } catch (StatusRuntimeException e) {
            err.println("show: " + ControlClient.explain(e));
            return 1;
        } catch (java.io.IOException e) {
            err.println("show: " + e.getMessage());
            return 1;
        }
    }
}
