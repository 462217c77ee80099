package net.rrispeaker.cli;

import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import net.rrispeaker.control.api.ReloadRequest;
import net.rrispeaker.control.api.ReloadResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reload}: the running speaker re-reads its config file (same as SIGHUP). */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Re-read the configuration; applied only if valid, and only the difference.")
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    ControlClient client;

    @Override
    public Integer call() throws Exception {
        try {
            ReloadResponse r = client.call(s -> s.reload(ReloadRequest.getDefaultInstance()));
            r.getProblemsList().forEach(System.out::println);
            System.out.println(r.getApplied() ? "reload: applied" : "reload: REFUSED, the previous configuration keeps running");
            return r.getApplied() ? 0 : 1;
        } catch (StatusRuntimeException e) {
            System.err.println("reload: speaker not reachable or failed: " + e.getStatus());
            return 1;
        }
    }
}
