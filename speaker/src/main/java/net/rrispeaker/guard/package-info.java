/**
 * The prefix guard: which of the routes an SA's negotiated remote selectors justify may be
 * announced. A remote peer chooses its traffic selectors, so they are treated as untrusted:
 * {@link net.rrispeaker.guard.SelectorRules} refuses special-use ranges, too-short prefixes,
 * selectors that cover the concentrator's own networks or a peer's outer address, selectors that
 * together cover a whole family and selectors outside the allowed pools; {@link
 * net.rrispeaker.guard.RouteGuard} makes the first claim of a prefix win against other peers, refuses
 * overlaps with another peer's held prefixes and enforces the route limits, never evicting what is
 * established. Pure: no threads, no I/O, no metrics; refusals go to a recorder, time is passed in.
 * The core runs it on its writer thread.
 */
package net.rrispeaker.guard;
