package net.rrispeaker.config;

import java.net.InetAddress;

/**
 * {@code interface NAME}, as far as routes need it.
 *
 * @param name            the interface name, spaces removed ({@code FastEthernet 0/0} becomes {@code FastEthernet0/0})
 * @param vrf             {@code vrf forwarding V} / {@code ip vrf forwarding V}, {@code ""} if none
 * @param address         {@code ip address A M}, or {@code null}
 * @param prefixLength    the mask of that address as a length, or -1
 * @param cryptoMap       {@code crypto map NAME [redundancy GROUP]}: the map set applied here, or {@code null}
 * @param redundancyGroup the HSRP/VRRP group of that line, or {@code null}
 * @param tunnelProfile   {@code tunnel protection ipsec profile P}, or {@code null}
 * @param file            the file
 * @param line            the header line
 */
public record InterfaceConfig(String name, String vrf, InetAddress address, int prefixLength, String cryptoMap,
                              String redundancyGroup, String tunnelProfile, String file, int line) {
}
