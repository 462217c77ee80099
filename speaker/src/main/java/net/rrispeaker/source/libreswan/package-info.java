/**
 * libreswan as an event source, through the generic publisher ({@code Publish} stream): what its
 * updown hook receives ({@link UpdownEnvironment}: pluto's {@code PLUTO_*} variables to one SA
 * event) and what a periodic reconcile reads ({@link TrafficStatus}: {@code ipsec trafficstatus}
 * joined with the connection lines of {@code ipsec status}, to the complete SA set). Both give an
 * SA the same identity ({@link LibreswanSa#childId}), so a snapshot made by the reconcile and the
 * events of the hook speak of the same SAs.
 *
 * <p>Pure text to records: no I/O, no gRPC; {@code cli} runs the commands and publishes. Every
 * value comes from pluto and much of it from the remote peer (IDs, addresses, subnets): nothing is
 * interpreted beyond the documented layout, and a line that does not fit it is reported with its
 * place and skipped.
 */
package net.rrispeaker.source.libreswan;
