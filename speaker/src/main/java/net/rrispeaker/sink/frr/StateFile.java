package net.rrispeaker.sink.frr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * The static routes the speaker wrote into staticd, kept in a file across the speaker's restarts
 * (staticd routes have no owner field in FRR 8.4). The file is staticd configuration text, so an
 * operator can read it. Written atomically (temporary file, then rename). Before a batch it lists
 * what the sink holds plus what it is about to add, so a crash in the middle leaves no route that
 * the next start would take for an operator's.
 */
final class StateFile {
    private static final String HEADER = "! static routes rri-speaker wrote into FRR; it removes them when they are"
            + " no longer wanted.\n! Written by the speaker: do not edit.\n";

    private final Path path;

    StateFile(Path path) {
        this.path = path;
    }

    /** The lines recorded, empty when there is no file yet. */
    Set<StaticLine> read() throws IOException {
        if (!Files.exists(path)) {
            return Set.of();
        }
        Set<StaticLine> out = new HashSet<>();
        for (StaticLine l : StaticConfig.parse(Files.readString(path, StandardCharsets.UTF_8))) {
            if (l.plain()) {
                out.add(l);
            }
        }
        return out;
    }

    void write(Set<StaticLine> lines) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, HEADER + StaticConfig.render(new ArrayList<>(lines)), StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    Path path() {
        return path;
    }
}
