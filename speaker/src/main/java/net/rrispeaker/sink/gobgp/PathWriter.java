package net.rrispeaker.sink.gobgp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import net.rrispeaker.gobgp.api.AddPathStreamRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends changes in bulk: AddPathStream, up to {@code pathsPerMessage} paths of one table per
 * message and {@code pathsPerStream} per stream; each stream is half-closed and its Empty awaited.
 * gobgpd aborts a whole stream on one bad path without saying which messages it applied, so a
 * failed stream is replayed path by path with unary AddPath/DeletePath (both idempotent: a re-add
 * replaces, deleting an absent path is a no-op, checked with gobgpd 3.10): the bad path is
 * isolated and the others still go in.
 */
final class PathWriter {
    private static final Logger log = LoggerFactory.getLogger(PathWriter.class);

    private final GobgpClient client;
    private final int pathsPerMessage;
    private final int pathsPerStream;
    private final Duration streamTimeout;

    PathWriter(GobgpClient client, int pathsPerMessage, int pathsPerStream, Duration streamTimeout) {
        this.client = client;
        this.pathsPerMessage = pathsPerMessage;
        this.pathsPerStream = pathsPerStream;
        this.streamTimeout = streamTimeout;
    }

    /** Signals that gobgpd is unreachable: stop, reconnect, resync. */
    static boolean connectionLost(StatusRuntimeException e) {
        Status.Code c = e.getStatus().getCode();
        return c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED || c == Status.Code.CANCELLED;
    }

    /**
     * Applies {@code changes} (the caller orders them: all of one table should be adjacent).
     * {@code applied} is told of each change gobgpd took, {@code failed} of each it refused.
     * Throws a {@link StatusRuntimeException} for which {@link #connectionLost} holds.
     */
    void write(List<Change> changes, Consumer<Change> applied, Consumer<FailedChange> failed) {
        for (int from = 0; from < changes.size(); from += pathsPerStream) {
            List<Change> chunk = changes.subList(from, Math.min(changes.size(), from + pathsPerStream));
            try {
                client.addPathStream(messages(chunk), streamTimeout);
                chunk.forEach(applied);
            } catch (StatusRuntimeException e) {
                if (connectionLost(e)) {
                    throw e;
                }
                log.warn("sink=gobgp op=stream paths={} status={} desc=\"{}\": replaying path by path",
                        chunk.size(), e.getStatus().getCode(), e.getStatus().getDescription());
                failed.accept(new FailedChange(null, "stream", e.getStatus()));
                unary(chunk, applied, failed);
            }
        }
    }

    private void unary(List<Change> chunk, Consumer<Change> applied, Consumer<FailedChange> failed) {
        for (Change c : chunk) {
            try {
                if (c.withdraw()) {
                    client.deletePath(c.table(), c.key().vrf(), c.path());
                } else {
                    client.addPath(c.table(), c.key().vrf(), c.path());
                }
                applied.accept(c);
            } catch (StatusRuntimeException e) {
                if (connectionLost(e)) {
                    throw e;
                }
                failed.accept(new FailedChange(c, "path", e.getStatus()));
            }
        }
    }

    /**
     * The chunk as stream messages of up to {@code pathsPerMessage} paths of one table, built one
     * message at a time as the stream asks for the next.
     */
    private Iterator<AddPathStreamRequest> messages(List<Change> chunk) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < chunk.size();
            }

            @Override
            public AddPathStreamRequest next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Change first = chunk.get(next);
                AddPathStreamRequest.Builder m = AddPathStreamRequest.newBuilder().setTableType(first.table())
                        .setVrfId(first.key().vrf());
                while (next < chunk.size() && m.getPathsCount() < pathsPerMessage
                        && sameTable(first, chunk.get(next))) {
                    m.addPaths(chunk.get(next++).path());
                }
                return m.build();
            }
        };
    }

    private static boolean sameTable(Change a, Change b) {
        return a.table() == b.table() && a.key().vrf().equals(b.key().vrf());
    }

    /** A change gobgpd refused ({@code change == null} for a whole stream), with its status. */
    record FailedChange(Change change, String reason, Status status) {
    }
}
