package net.rrispeaker.cli;

import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import net.rrispeaker.control.CryptoRouteFormatter;
import net.rrispeaker.control.api.ComponentStatus;
import net.rrispeaker.control.api.SaEntry;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.ShowCryptoRouteResponse;
import net.rrispeaker.control.api.ShowSaRequest;
import net.rrispeaker.control.api.ShowSaResponse;
import net.rrispeaker.control.api.StatusRequest;
import net.rrispeaker.control.api.StatusResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code show crypto route [--json]}, {@code show sa}, {@code show status}: read a running speaker. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show what a running speaker holds.")
final class ShowCommand implements Callable<Integer> {
    @Parameters(arity = "1..2", paramLabel = "WHAT", description = "crypto route | sa | status")
    java.util.List<String> what;

    @Option(names = "--json", description = "Print JSON instead of the IOS layout.")
    boolean json;

    @Option(names = "--vrf", description = "Only this VRF's table (crypto route).")
    String vrf;

    @Mixin
    ControlClient client;

    @Override
    public Integer call() throws Exception {
        String w = String.join(" ", what);
        try {
            switch (w) {
                case "crypto route" -> {
                    ShowCryptoRouteResponse r = client.call(s -> s.showCryptoRoute(
                            ShowCryptoRouteRequest.newBuilder().setVrf(vrf == null ? "" : vrf).build()));
                    System.out.print(json ? JsonFormat.printer().includingDefaultValueFields().print(r) + "\n"
                            : CryptoRouteFormatter.format(r.getRoutesList()));
                }
                case "sa" -> {
                    ShowSaResponse r = client.call(s -> s.showSa(ShowSaRequest.getDefaultInstance()));
                    if (json) {
                        System.out.println(JsonFormat.printer().print(r));
                    } else {
                        for (SaEntry e : r.getSasList()) {
                            System.out.printf("%s[%d] child %s[%d] peer %s (%s)%n  remote ts: %s%n  routes: %s%n",
                                    e.getConnection(), e.getIkeId(), e.getChild(), e.getChildId(), e.getRemoteHost(),
                                    e.getRemoteId(), String.join(", ", e.getRemoteTsList()),
                                    e.getRoutesCount() == 0 ? "(none)" : String.join(", ", e.getRoutesList()));
                            for (String refused : e.getRefusedList()) {
                                System.out.printf("  refused: %s%n", refused);
                            }
                        }
                    }
                }
                case "status" -> {
                    StatusResponse r = client.call(s -> s.status(StatusRequest.getDefaultInstance()));
                    if (json) {
                        System.out.println(JsonFormat.printer().print(r));
                    } else {
                        System.out.printf("config %s: %d SAs, %d routes, %d BGP paths desired%n",
                                r.getConfigFile(), r.getSas(), r.getRoutes(), r.getDesiredPaths());
                        for (ComponentStatus c : r.getComponentsList()) {
                            System.out.printf("  %-6s %s %s%n", c.getName(), c.getConnected() ? "up  " : "DOWN", c.getDetail());
                        }
                    }
                }
                default -> {
                    System.err.println("show: unknown '" + w + "' (expected: crypto route | sa | status)");
                    return 2;
                }
            }
            return 0;
        } catch (StatusRuntimeException e) {
            System.err.println("show: speaker not reachable or failed: " + e.getStatus());
            return 1;
        }
    }
}
