/**
 * strongSwan VICI event source: codec, event conversion and a reconnecting client on Netty epoll
 * over charon's Unix domain socket. Protocol: the strongSwan vici plugin README; real samples
 * captured from charon 5.9.8 in src/test/resources/vici.
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>Codec.</b> Frames are bounded by 512 KiB (the daemon's own limit), sections by a depth of
 *       64. Any malformed frame is one {@code ViciCodecException} ("field: actual (expected: ...)");
 *       the decoder then discards the stream and the session closes the connection: the source
 *       reconnects and resyncs rather than guessing where the next frame starts.</li>
 *   <li><b>Ordering.</b> Register for events first, then stream {@code list-sas}. Every event that
 *       arrives before the snapshot is delivered is queued and applied after it, in order.</li>
 *   <li><b>No {@code noblock}.</b> {@code list-sas noblock} skips IKE_SAs that are busy; a snapshot
 *       without them would withdraw their routes. Blocking costs ~0.1 s per busy SA (measured with
 *       swanctl on 5.9.8), which a resync can afford.</li>
 *   <li><b>Snapshot states.</b> Children in INSTALLED, REKEYING and UPDATING count; REKEYED,
 *       DELETING, DELETED are leaving without a down event.</li>
 *   <li><b>Traffic selectors.</b> {@code a/len} routes as is; {@code a..b} is split into its exact
 *       prefixes; a {@code [proto/port]} suffix still routes its address part; {@code dynamic} and
 *       the like go to {@code ChildSa.unroutableTs}.</li>
 *   <li><b>Failures.</b> An event that cannot be converted is logged, counted
 *       ({@code rri.source.errors{reason}}) and skipped. A protocol surprise, a codec error or 30 s
 *       without a reply closes the connection; {@code SourceLost} follows and the source reconnects
 *       (0.5 s doubling to 10 s, reset after a snapshot).</li>
 * </ul>
 */
package net.rrispeaker.source.vici;
