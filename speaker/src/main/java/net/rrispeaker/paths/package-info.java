/**
 * From the route table to the desired BGP paths: per destination the best route, redistributed
 * through {@code redistribute static} and its route-map, with conflicts and route-map decisions
 * reported to the caller. Pure: no threads, no I/O, no metrics; the core runs it on its writer thread.
 */
package net.rrispeaker.paths;
