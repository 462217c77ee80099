package net.rrispeaker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rri-speaker replay FILE [--fast] [--publisher NAME]}: plays a JSON-lines file of SA
 * events ({@link ReplayFile}) into the running speaker through its {@code Publish} stream, as a
 * one-shot session of publisher {@code replay} (the SAs stay after the file ends, until a line
 * or a later session says otherwise). Each line's {@code at} (seconds from the start) is waited
 * for unless {@code --fast}. Bad lines are printed as {@code FILE:LINE: error: ...} and skipped;
 * lines the speaker refuses likewise. Exit 0 if every line was played and accepted, else 1.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Play a JSON-lines file of SA events into a running speaker (needs 'rri control-api publisher ...').")
final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The events, one JSON object a line ('-': stdin).")
    String file;

    @Option(names = "--fast", description = "Ignore the lines' times: play everything at once.")
    boolean fast;

    @Option(names = "--publisher", paramLabel = "NAME", defaultValue = "replay",
            description = "The publisher (source) name the events are played as (default: ${DEFAULT-VALUE}).")
    String publisher;

    @Mixin
    ControlClient client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String name = file.equals("-") ? "<stdin>" : file;
            ReplayFile.Content c;
            try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
                c = ReplayFile.read(name, in, err);
            }
            PublishStream.Result r = client.onChannel(ch -> PublishStream.run(ch, publisher, c.items(), !fast, err));
            out.printf("replay %s: %d event(s) played as publisher %s, %d refused by the speaker, %d warning(s), "
                    + "%d bad line(s) skipped%n", name, r.sent(), publisher, r.refused(), r.warned(), c.bad());
            if (r.failure() != null) {
                err.println("replay: " + r.failure());
                return 1;
            }
            return r.refused() == 0 && c.bad() == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println("replay: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
