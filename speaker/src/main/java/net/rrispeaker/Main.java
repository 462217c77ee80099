package net.rrispeaker;

import net.rrispeaker.cli.RriCommand;
import picocli.CommandLine;

/** Entry point: {@code java -jar rri-speaker.jar --config FILE}, or a CLI subcommand. Only wires. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RriCommand()).execute(args));
    }
}
