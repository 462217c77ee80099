package net.rrispeaker.config;

import java.util.List;
import net.rrispeaker.policy.PolicySet;
import net.rrispeaker.ios.ConfigProblem;

/**
 * One parsed, validated configuration: immutable. A reload parses a new one and swaps the
 * reference; the core then applies only the difference.
 *
 * @param file      the file it came from
 * @param rri       Linux-side extension settings
 * @param crypto    crypto maps, dynamic maps, IPsec profiles, VRFs and manual statics
 * @param policies  access lists, prefix-lists, route-maps
 * @param bgp       {@code router bgp}, or {@code null} if none is configured
 * @param notes     warnings and ignored lines (never errors: a config with errors is not built)
 * @param guard     the prefix guard ({@code rri guard ...}): what is refused from SAs
 * @param frr       the FRR sink's {@code rri frr} settings, or {@code null} when the sink is off
 * @param dampening {@code rri dampening}: route-flap dampening of remote peers, or {@code null} when off
 * @param redundancy redundancy groups ({@code rri redundancy ...}) and {@code rri shutdown ...}
 * @param bfd       {@code rri bfd}: BFD for gobgpd's neighbours through FRR's bfdd, or {@code null} when off
 */
public record Config(String file, RriSettings rri, CryptoConfig crypto, PolicySet policies, BgpConfig bgp,
                     List<ConfigProblem> notes, GuardSettings guard, FrrSettings frr, DampeningSettings dampening,
                     RedundancySettings redundancy, BfdSettings bfd) {

    public Config {
        notes = List.copyOf(notes);
        guard = guard == null ? GuardSettings.defaults() : guard;
        redundancy = redundancy == null ? RedundancySettings.defaults() : redundancy;
    }

    /** A configuration with the default prefix guard. */
    public Config(String file, RriSettings rri, CryptoConfig crypto, PolicySet policies, BgpConfig bgp,
                  List<ConfigProblem> notes) {
        this(file, rri, crypto, policies, bgp, notes, GuardSettings.defaults(), null, null,
                RedundancySettings.defaults(), null);
    }

    /** A configuration without route-flap dampening, redundancy groups and {@code rri bfd}. */
    public Config(String file, RriSettings rri, CryptoConfig crypto, PolicySet policies, BgpConfig bgp,
                  List<ConfigProblem> notes, GuardSettings guard, FrrSettings frr) {
        this(file, rri, crypto, policies, bgp, notes, guard, frr, null, RedundancySettings.defaults(), null);
    }

    /** A configuration without redundancy groups and {@code rri bfd}. */
    public Config(String file, RriSettings rri, CryptoConfig crypto, PolicySet policies, BgpConfig bgp,
                  List<ConfigProblem> notes, GuardSettings guard, FrrSettings frr, DampeningSettings dampening) {
        this(file, rri, crypto, policies, bgp, notes, guard, frr, dampening, RedundancySettings.defaults(), null);
    }
}
