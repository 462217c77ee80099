package net.rrispeaker.config;

import java.util.List;

/**
 * {@code redistribute static ...} inside {@code router ospf|eigrp|rip|isis ...}: kept for the FRR
 * sink (which announces the speaker's routes into an IGP).
 *
 * @param protocol   {@code ospf}, {@code eigrp}, {@code rip} or {@code isis}
 * @param process    the process id / AS / tag as written, {@code ""} if none
 * @param metric     {@code metric N} (EIGRP: the five values of its composite metric), empty if none
 * @param metricType {@code metric-type 1|2} (OSPF), or 0 if not given
 * @param subnets    the {@code subnets} keyword
 * @param tag        {@code tag T}, or {@code null}
 * @param routeMap   {@code route-map NAME}, or {@code null}
 * @param file       the file
 * @param line       the line
 */
public record IgpRedistribution(String protocol, String process, List<Long> metric, int metricType, boolean subnets,
                                Long tag, String routeMap, String file, int line) {
    public IgpRedistribution {
        metric = List.copyOf(metric);
    }
}
