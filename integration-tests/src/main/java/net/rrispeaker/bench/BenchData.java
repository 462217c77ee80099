package net.rrispeaker.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.ChildSa;

/**
 * The benchmark's N routes, in the three shapes the modes need: bare entries for the raw client,
 * desired {@link BgpPath}s for the sink, and one {@link ChildSa} per route for the core. Route i is
 * the /29 {@code 10.0.0.0 + 8*i} (10/8, room for 2M), learnt from peer {@code 198.18.0.0 + i}
 * (room for 131,072 peers), tag 5 and distance 20 - which the speaker turns into community
 * 65000:5 and LOCAL_PREF 81 with next hop self, ORIGIN incomplete.
 */
final class BenchData {
    static final int TAG = 5;
    static final int DISTANCE = 20;
    static final int LOCAL_PREF = 81;                        // 100 - (20 - 1)
    static final int COMMUNITY = BenchGobgpd.AS << 16 | TAG; // 65000:5
    static final int MAX = 131_072;

    /** One route's prefix, as text for the API. */
    record Entry(String address, int length) {
    }

    /** The speaker config of mode "core": one dynamic map entry matching every SA. */
    static final String CONFIG = """
            rri withdraw-delay 0
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             set reverse-route tag %d
             set reverse-route distance %d
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            router bgp %d
             redistribute static
            """.formatted(TAG, DISTANCE, BenchGobgpd.AS);

    private BenchData() {
    }

    private static InetAddress v4(int bits) {
        byte[] b = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(int n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("N: " + n + " (expected: 1.." + MAX + ")");
        }
    }

    static Prefix prefix(int i) {
        return new Prefix(v4(prefixBits(i)), 29);
    }

    /** Route i's /29 network address as an int ({@code 10.0.0.0 + 8*i}). */
    static int prefixBits(int i) {
        return 0x0A000000 | i << 3;
    }

    /** Route i's prefix as text, {@code a.b.c.d/29}. */
    static String prefixText(int i) {
        int a = prefixBits(i);
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff) + "/29";
    }

    /** The route index of a /29 at {@code address}, or -1 if it is not one of the first {@code n} routes. */
    static int indexOf(int address, int length, int n) {
        if (length != 29 || (address & 0xFF000000) != 0x0A000000 || (address & 7) != 0) {
            return -1;
        }
        int i = (address & 0x00FFFFFF) >>> 3;
        return i < n ? i : -1;
    }

    static List<Entry> entries(int n) {
        check(n);
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            InetAddress a = v4(prefixBits(i));
            out.add(new Entry(a.getHostAddress(), 29));
        }
        return out;
    }

    /** What the core would hand the sink for the N SAs (checked against the core in mode "core"). */
    static Map<BgpPath.Key, BgpPath> desired(int n) {
        check(n);
        Map<BgpPath.Key, BgpPath> out = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            BgpPath p = new BgpPath("", prefix(i), null, BgpPath.ORIGIN_INCOMPLETE, null, (long) LOCAL_PREF,
                    List.of(Integer.toUnsignedLong(COMMUNITY)), List.of(), List.of(), List.of());
            out.put(p.key(), p);
        }
        return out;
    }

    /** N installed CHILD_SAs of connection "spokes", each with one remote traffic selector. */
    static List<ChildSa> sas(int n) {
        check(n);
        InetAddress local = v4(0xC0000201); // 192.0.2.1
        List<Prefix> localTs = List.of(new Prefix(v4(0xC0A80000), 16));
        List<ChildSa> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            InetAddress peer = v4(0xC6120000 + i); // 198.18.0.0/15
            out.add(new ChildSa("spokes", i + 1, "net", i + 1, i + 1, local, peer, "spoke-" + i,
                    localTs, List.of(prefix(i)), 0, List.of()));
        }
        return out;
    }
}
