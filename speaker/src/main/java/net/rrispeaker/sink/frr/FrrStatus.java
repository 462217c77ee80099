package net.rrispeaker.sink.frr;

import java.time.Instant;

/**
 * What the FRR sink reports.
 *
 * @param connected   the last vtysh call reached staticd
 * @param routes      static routes in staticd that are the speaker's
 * @param inSync      everything the core said has been applied (nothing queued, nothing planned)
 * @param resyncs     reads of staticd's whole configuration so far
 * @param lastError   the last error, {@code ""} when none
 * @param lastErrorAt when it happened, {@code null} when none
 */
public record FrrStatus(boolean connected, int routes, boolean inSync, long resyncs, String lastError,
                        Instant lastErrorAt) {
}
