package net.rrispeaker.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import net.rrispeaker.control.api.ReloadRequest;
import net.rrispeaker.control.api.ReloadResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reload}: the running speaker re-reads its config file (same as SIGHUP). */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Re-read the configuration; applied only if valid, and only the difference.")
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    ControlClient client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ReloadResponse r = client.call(s -> s.reload(ReloadRequest.getDefaultInstance()));
            r.getProblemsList().forEach(out::println);
            out.println(r.getApplied() ? "reload: applied" : "reload: REFUSED, the previous configuration keeps running");
            return r.getApplied() ? 0 : 1;
        } catch (StatusRuntimeException e) {
            err.println("reload: " + ControlClient.explain(e));
            return 1;
        } catch (java.io.IOException e) {
            err.println("reload: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
