/**
 * strongSwan VICI event source: codec, event conversion and a reconnecting client on Netty epoll
 * over charon's Unix domain socket. Protocol: the strongSwan vici plugin README; real samples
 * captured from charon 5.9.8 in src/test/resources/vici.
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>Codec.</b> Frames are bounded by 512 KiB (the daemon's own limit), sections by a depth of
 *       64. Broken framing (length out of bounds, unknown packet type, stream cut inside a frame) is
 *       one {@code ViciCodecException} ("field: actual (expected: ...)"); the decoder then discards
 *       the stream and the session closes the connection: the source reconnects and resyncs rather
 *       than guessing where the next frame starts. Malformed content inside an intact frame is a
 *       {@code ViciMalformed}: that frame is skipped and counted, the connection goes on.</li>
 *   <li><b>Reading.</b> A message is the bytes of its frame (one copy), checked once, read in
 *       place: sections are views over them with a table of where each ends. The conversion passes
 *       over each section once, noting the few keys it uses, and makes numbers, addresses, prefixes
 *       and strings only of those, straight from the bytes; error texts are built only when an
 *       error happens. What repeats in every SA (config names, our own address and selectors) is
 *       shared. Costs per record: docs/benchmarks.md.</li>
 *   <li><b>Ordering.</b> Register for events first, then stream {@code list-sas}. Every event that
 *       arrives before the snapshot is delivered is queued and applied after it, in order.</li>
 *   <li><b>No {@code noblock}.</b> {@code list-sas noblock} skips IKE_SAs that are busy; a snapshot
 *       without them would withdraw their routes. Blocking costs ~0.1 s per busy SA (measured with
 *       swanctl on 5.9.8), which a resync can afford.</li>
 *   <li><b>Snapshot states.</b> Children in INSTALLED, REKEYING and UPDATING count; REKEYED,
 *       DELETING, DELETED are leaving without a down event.</li>
 *   <li><b>Traffic selectors.</b> Peer-controlled, so checked whole: {@code a/len} routes as is;
 *       {@code a..b} and {@code a-b} are split into their exact prefixes (at most 32, else refused);
 *       a {@code [proto/port]} suffix still routes its address part; {@code dynamic} goes to
 *       {@code ChildSa.unroutableTs}. IPv4-mapped and -compatible IPv6, host bits, bad lengths, mixed
 *       families and any looser text are refused, logged once with the SA and the raw text, and
 *       counted ({@code rri.source.selectors.refused{reason}}); the SA keeps its valid selectors
 *       (docs/security.md).</li>
 *   <li><b>Failures.</b> An event that cannot be converted is logged with the SA it concerns,
 *       counted ({@code rri.source.errors{reason}}) and skipped. A {@code list-sa} record that cannot
 *       be read marks its IKE_SA unreadable in the snapshot, which keeps that IKE_SA's known state.
 *       A protocol surprise, a framing error or 30 s without a reply closes the connection;
 *       {@code SourceLost} follows and the source reconnects (0.5 s doubling to 10 s, reset after a
 *       snapshot).</li>
 * </ul>
 */
package net.rrispeaker.source.vici;
