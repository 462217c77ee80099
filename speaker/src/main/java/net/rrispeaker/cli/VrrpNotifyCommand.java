package net.rrispeaker.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import net.rrispeaker.control.api.VrrpNotifyRequest;
import net.rrispeaker.control.api.VrrpNotifyResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vrrp-notify TYPE NAME STATE PRIORITY}: keepalived's {@code notify} script. keepalived runs
 * it with these four arguments after every state change of an instance or sync group
 * ({@code notify "/usr/bin/rri-speaker vrrp-notify"}); the running speaker updates the redundancy
 * group bound to it.
 */
@Command(name = "vrrp-notify", mixinStandardHelpOptions = true,
        description = "Tell the running speaker a keepalived state change (for keepalived's notify script).")
final class VrrpNotifyCommand implements Callable<Integer> {
    @Mixin
    ControlClient client;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TYPE", description = "INSTANCE or GROUP")
    String type;

    @Parameters(index = "1", paramLabel = "NAME", description = "the vrrp_instance or vrrp_sync_group name")
    String name;

    @Parameters(index = "2", paramLabel = "STATE", description = "MASTER, BACKUP, FAULT, STOP, DELETED")
    String state;

    @Parameters(index = "3", paramLabel = "PRIORITY", description = "0..255")
    String priority;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            VrrpNotifyResponse r = client.call(s -> s.vrrpNotify(VrrpNotifyRequest.newBuilder().setType(type)
                    .setName(name).setState(state).setPriority(priority).build()));
            for (String g : r.getGroupsChangedList()) {
                out.println("redundancy group " + g + " changed");
            }
            return 0;
        } catch (StatusRuntimeException e) {
            err.println("vrrp-notify: " + ControlClient.explain(e));
            return 1;
        } catch (java.io.IOException e) {
            err.println("vrrp-notify: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
