package net.rrispeaker.sink.gobgp;

import java.time.Instant;

/**
 * What a sink reports to the control API.
 *
 * @param connected      the daemon answers and a resync has been done since it (re)appeared
 * @param announced      paths the sink believes the daemon holds from us
 * @param inSync         the newest desired set has been fully applied (no pending work)
 * @param resyncs        full resyncs so far
 * @param lastError      the last error, {@code ""} when none
 * @param lastErrorAt    when it happened, {@code null} when none
 */
public record SinkStatus(boolean connected, int announced, boolean inSync, long resyncs, String lastError,
                         Instant lastErrorAt) {
}
