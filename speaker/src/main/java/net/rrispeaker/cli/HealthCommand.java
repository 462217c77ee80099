package net.rrispeaker.cli;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.control.api.ComponentStatus;
import net.rrispeaker.control.api.StatusRequest;
import net.rrispeaker.control.api.StatusResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code health}: asks the running speaker's standard gRPC health service ({@code grpc.health.v1},
 * the whole server) and exits 0 only when it answers {@code SERVING}, that is while charon and
 * gobgpd are both connected. Anything else (NOT_SERVING, no answer within {@code --timeout}, refused)
 * exits 1, which is what a container engine's HEALTHCHECK or a supervisor wants; the components
 * that are down are printed, so the health log says why.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Exit 0 if the running speaker is healthy (charon and gobgpd connected), 1 if not.")
final class HealthCommand implements Callable<Integer> {
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    ControlClient client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return check(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int check(PrintWriter out, PrintWriter err) {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            err.println("health: --timeout " + timeoutSeconds + " is out of range (1-3600 seconds)");
            return 1;
        }
        ServingStatus status;
        try {
            status = client.onChannel(ch -> HealthGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus());
        } catch (StatusRuntimeException e) {
            err.println("health: " + ControlClient.explain(e));
            return 1;
        } catch (java.io.IOException e) {
            err.println("health: " + e.getMessage());
            return 1;
        }
        out.println(status);
        if (status == ServingStatus.SERVING) {
            return 0;
        }
        // Why: the components as show status sees them (best effort; the answer above stands).
        try {
            StatusResponse r = client.call(s -> s.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()));
            for (ComponentStatus c : r.getComponentsList()) {
                if (!c.getConnected()) {
                    out.printf("  %-6s DOWN %s%n", c.getName(), c.getDetail());
                }
            }
        } catch (StatusRuntimeException | java.io.IOException e) {
            // the health answer is what counts
        }
        return 1;
    }
}
