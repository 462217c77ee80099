package net.rrispeaker.guard;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.GuardSettings;
import net.rrispeaker.config.MapEntry;
import net.rrispeaker.config.SaBinding;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.policy.AccessList;
import net.rrispeaker.policy.AclEntry;
import net.rrispeaker.policy.AddressMatch;
import net.rrispeaker.policy.PrefixList;

/**
 * The rules that need nothing but the configuration, the SA and the outer addresses known now:
 * one answer per selector, the first rule that refuses it (or none). In order:
 * <ol>
 *   <li>{@link Rule#WHOLE_FAMILY}: the SA's remote selectors of one family together cover half of
 *       its addresses or more (e.g. {@code 0.0.0.0/1} + {@code 128.0.0.0/1}, or the range
 *       {@code 0.0.0.1-255.255.255.255} as 32 prefixes): every selector of that family, so that no
 *       piece of a default route in disguise (such as the {@code 1.0.0.0/8} inside that range) gets
 *       through the other rules;</li>
 *   <li>{@link Rule#MARTIAN}: inside or covering a special-use range ({@link #MARTIANS});</li>
 *   <li>{@link Rule#MIN_LENGTH}: shorter than {@code rri guard min-length};</li>
 *   <li>{@link Rule#LOCAL_SELECTOR}: equal to or covering one of the SA's local selectors, or inside
 *       one unless a pool or the entry's crypto ACL is configured to decide (local selectors that
 *       together cover their family, a full tunnel, name no network and are skipped);</li>
 *   <li>{@link Rule#OWN_ADDRESS}: overlapping an {@code rri guard own} prefix, or containing a local
 *       outer address of the concentrator (this SA's, or another SA's in the same table);</li>
 *   <li>{@link Rule#PEER_ADDRESS}: containing the outer address of a peer that is up, in the same table;</li>
 *   <li>{@link Rule#POOL}: not permitted by {@code rri guard pool} or the entry's {@code set reverse-route pool};</li>
 *   <li>{@link Rule#CRYPTO_ACL}: for an entry with {@code match address}, not inside the destination of
 *       a permit entry (the first entry whose destination contains the selector decides).</li>
 * </ol>
 * Immutable; one per configuration.
 */
public final class SelectorRules {
    /** Special-use ranges: a selector inside or covering one of them is refused. */
    public static final List<Prefix> MARTIANS = List.of(
            Prefix.parse("0.0.0.0/8"), Prefix.parse("127.0.0.0/8"), Prefix.parse("169.254.0.0/16"),
            Prefix.parse("224.0.0.0/4"), Prefix.parse("240.0.0.0/4"), Prefix.parse("255.255.255.255/32"),
            Prefix.parse("::/128"), Prefix.parse("::1/128"), Prefix.parse("::ffff:0:0/96"), Prefix.parse("::/96"),
            Prefix.parse("fe80::/10"), Prefix.parse("ff00::/8"));

    private static final PrefixMap<Prefix> MARTIAN_MAP = new PrefixMap<>();

    static {
        MARTIANS.forEach(m -> MARTIAN_MAP.put(m, m));
    }

    /** Outer addresses known now, per table. */
    public interface OuterAddresses {
        /** A local outer address of the concentrator inside {@code p} in table {@code vrf}, or null. */
        InetAddress localInside(String vrf, Prefix p);

        /** A remote outer address of a peer that is up inside {@code p} in table {@code vrf}, or null. */
        InetAddress peerInside(String vrf, Prefix p);
    }

    private final Config config;
    private final GuardSettings settings;

    public SelectorRules(Config config) {
        this.config = config;
        this.settings = config.guard();
    }

    public GuardSettings settings() {
        return settings;
    }

    /**
     * The refusal of each selector route, in the order given; {@code null} where it passes.
     *
     * @param sa        the SA
     * @param binding   where it belongs (its pool and crypto ACL)
     * @param vrfs      the table of each selector route
     * @param selectors the selector of each route
     * @param known     the outer addresses known now
     */
    public List<Refusal> check(ChildSa sa, SaBinding binding, List<String> vrfs, List<Prefix> selectors,
                               OuterAddresses known) {
        boolean v4All = coversHalfFamily(sa.remoteTs(), true);
        boolean v6All = coversHalfFamily(sa.remoteTs(), false);
        boolean localV4All = coversFamily(sa.localTs(), true);
        boolean localV6All = coversFamily(sa.localTs(), false);
        String entryPool = binding == null ? null : settings.entryPool(binding.origin());
        AccessList acl = cryptoAcl(binding);
        boolean explicit = settings.pool() != null || entryPool != null || acl != null;
        List<Refusal> out = new ArrayList<>(selectors.size());
        for (int i = 0; i < selectors.size(); i++) {
            Prefix p = selectors.get(i);
            String vrf = vrfs.get(i);
            String why = null;
            Rule rule = null;
            if (p.isIpv4() ? v4All : v6All) {
                rule = Rule.WHOLE_FAMILY;
                why = "the SA's " + (p.isIpv4() ? "IPv4" : "IPv6") + " selectors together cover half of all addresses or more";
            } else if ((why = martian(p)) != null) {
                rule = Rule.MARTIAN;
            } else if (p.length() < settings.minLength(p)) {
                rule = Rule.MIN_LENGTH;
                why = "shorter than /" + settings.minLength(p) + " (rri guard min-length "
                        + (p.isIpv4() ? "ipv4 " : "ipv6 ") + settings.minLength(p) + ")";
            } else if ((why = localSelector(sa, p, p.isIpv4() ? localV4All : localV6All, explicit)) != null) {
                rule = Rule.LOCAL_SELECTOR;
            } else if ((why = own(sa, binding, vrf, p, known)) != null) {
                rule = Rule.OWN_ADDRESS;
            } else if ((why = peer(vrf, p, known)) != null) {
                rule = Rule.PEER_ADDRESS;
            } else if ((why = pool(p, settings.pool(), "rri guard pool")) != null
                    || (why = pool(p, entryPool, binding == null ? "" : binding.origin() + ": set reverse-route pool")) != null) {
                rule = Rule.POOL;
            } else if (acl != null && (why = acl(acl, p)) != null) {
                rule = Rule.CRYPTO_ACL;
            }
            out.add(rule == null ? null : new Refusal(sa, sa.remoteHost(), vrf, p, rule, why));
        }
        return out;
    }

    private String martian(Prefix p) {
        if (!settings.martians()) {
            return null;
        }
        Prefix[] hit = new Prefix[1];
        MARTIAN_MAP.containing(p, m -> {
            hit[0] = m;
            return false;
        });
        if (hit[0] != null) {
            return "inside the special-use range " + hit[0];
        }
        MARTIAN_MAP.inside(p, m -> {
            hit[0] = m;
            return false;
        });
        return hit[0] == null ? null : "covers the special-use range " + hit[0];
    }

    private static String localSelector(ChildSa sa, Prefix p, boolean fullTunnel, boolean explicit) {
        if (fullTunnel) {
            return null;
        }
        for (Prefix l : sa.localTs()) {
            if (p.contains(l)) {
                return (p.equals(l) ? "is" : "covers") + " the SA's local selector " + l;
            }
        }
        if (!explicit) {
            for (Prefix l : sa.localTs()) {
                if (l.contains(p)) {
                    return "inside the SA's local selector " + l + " (a pool or the entry's crypto ACL can allow it)";
                }
            }
        }
        return null;
    }

    private String own(ChildSa sa, SaBinding binding, String vrf, Prefix p, OuterAddresses known) {
        for (Prefix o : settings.own()) {
            if (o.contains(p) || p.contains(o)) {
                return (o.contains(p) ? "inside" : "covers") + " the concentrator's own prefix " + o + " (rri guard own)";
            }
        }
        String transport = binding == null ? "" : binding.transportVrf();
        InetAddress local = sa.localHost();
        if (local != null && vrf.equals(transport) && p.contains(local)) {
            return "contains the concentrator's outer address " + Addresses.format(local);
        }
        InetAddress other = known.localInside(vrf, p);
        return other == null ? null : "contains the concentrator's outer address " + Addresses.format(other);
    }

    private static String peer(String vrf, Prefix p, OuterAddresses known) {
        InetAddress a = known.peerInside(vrf, p);
        return a == null ? null : "contains the outer address of peer " + Addresses.format(a)
                + " (would pull its IKE/ESP into a tunnel)";
    }

    private String pool(Prefix p, String name, String what) {
        if (name == null) {
            return null;
        }
        PrefixList list = p.isIpv4() ? config.policies().prefixLists().get(name)
                : config.policies().ipv6PrefixLists().get(name);
        if (list == null) {
            return "no " + (p.isIpv4() ? "ip" : "ipv6") + " prefix-list " + name + " (" + what + ")";
        }
        return list.permits(p) ? null : "not permitted by " + (p.isIpv4() ? "ip" : "ipv6") + " prefix-list " + name
                + " (" + what + ")";
    }

    private AccessList cryptoAcl(SaBinding binding) {
        MapEntry e = binding == null ? null : binding.entry();
        if (e == null || e.matchAddress() == null) {
            return null;
        }
        AccessList acl = config.policies().accessLists().get(e.matchAddress());
        return acl == null || acl.kind() == AccessList.Kind.STANDARD ? null : acl;
    }

    /** IOS: the proxies of an entry with {@code match address} are the ACL's; the first entry containing the selector decides. */
    private static String acl(AccessList acl, Prefix p) {
        for (AclEntry en : acl.entries()) {
            if (en.destination() != null && containsPrefix(en.destination(), p)) {
                return en.permit() ? null : "denied by '" + en.text() + "' (match address " + acl.name() + ")";
            }
        }
        return "not inside a destination of access-list " + acl.name() + " (match address " + acl.name() + ")";
    }

    /** True if every address of {@code p} matches {@code m} (wildcards may be non-contiguous). */
    static boolean containsPrefix(AddressMatch m, Prefix p) {
        byte[] a = m.address().getAddress();
        byte[] w = m.wildcard();
        byte[] n = p.network().getAddress();
        if (a.length != n.length) {
            return false;
        }
        for (int bit = 0; bit < a.length * 8; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((w[bit / 8] & mask) != 0) {
                continue; // don't care
            }
            if (bit >= p.length() || (a[bit / 8] & mask) != (n[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** True if the prefixes of one family ({@code ipv4} or not) together cover every address of it. */
    /** The prefixes of one family, by network, then length (a covering prefix comes first). */
    private static List<Prefix> sortedFamily(List<Prefix> prefixes, boolean ipv4) {
        List<Prefix> fam = new ArrayList<>();
        for (Prefix p : prefixes) {
            if (p.isIpv4() == ipv4) {
                fam.add(p);
            }
        }
        fam.sort(Comparator.naturalOrder());
        return fam;
    }

    /**
     * True if the prefixes of one family together cover at least half of its addresses: no network
     * behind one peer is that large, and a default route split into pieces always is.
     */
    static boolean coversHalfFamily(List<Prefix> prefixes, boolean ipv4) {
        int bits = ipv4 ? 32 : 128;
        List<Prefix> fam = sortedFamily(prefixes, ipv4);
        BigInteger covered = BigInteger.ZERO;
        BigInteger next = BigInteger.ZERO; // the first address after the last counted one
        for (Prefix p : fam) {
            BigInteger start = new BigInteger(1, p.network().getAddress()).max(next);
            BigInteger stop = new BigInteger(1, p.network().getAddress()).add(BigInteger.ONE.shiftLeft(bits - p.length()));
            if (stop.compareTo(start) > 0) {
                covered = covered.add(stop.subtract(start));
                next = stop;
            }
        }
        return covered.compareTo(BigInteger.ONE.shiftLeft(bits - 1)) >= 0;
    }

    static boolean coversFamily(List<Prefix> prefixes, boolean ipv4) {
        int bits = ipv4 ? 32 : 128;
        List<Prefix> fam = sortedFamily(prefixes, ipv4);
        if (fam.isEmpty()) {
            return false;
        }
        BigInteger next = BigInteger.ZERO; // the first address not yet covered
        BigInteger end = BigInteger.ONE.shiftLeft(bits);
        for (Prefix p : fam) {
            BigInteger start = new BigInteger(1, p.network().getAddress());
            if (start.compareTo(next) > 0) {
                return false; // a gap
            }
            BigInteger stop = start.add(BigInteger.ONE.shiftLeft(bits - p.length()));
            if (stop.compareTo(next) > 0) {
                next = stop;
            }
            if (next.compareTo(end) >= 0) {
                return true;
            }
        }
        return false;
    }
}
