package net.rrispeaker.cli;

import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Runs {@code rri-speaker ARGS} in-process, the way Main does, and keeps what it printed. */
record Cli(int exit, String out, String err) {

    /** Client subcommands talk over channels from {@code channels} instead of their address. */
    static Cli run(Supplier<ManagedChannel> channels, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == ControlClient.class && channels != null) {
                    return cls.cast(new ControlClient(channels));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new RriCommand(), factory)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    static Cli run(String... args) {
        return run(null, args);
    }
}
