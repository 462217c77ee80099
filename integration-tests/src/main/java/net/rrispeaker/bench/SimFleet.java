package net.rrispeaker.bench;

import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.lab.SimChildSa;
import net.rrispeaker.lab.SimIkeSa;
import net.rrispeaker.lab.ViciServer;

/**
 * The benchmark's N spokes in the VICI simulator: IKE_SA i (unique id i + 1, connection
 * {@code spokes}, peer {@code 198.18.0.0 + i}) with one CHILD_SA {@code net}, local selector
 * 192.168.0.0/16 and remote selector route i of {@link BenchData} (a /29 in 10/8), so the speaker
 * announces exactly the benchmark's routes. Tracks which CHILD_SA id each spoke has now and
 * whether it is up; new CHILD_SAs (re-established or rekeyed) get fresh unique ids, as in charon.
 */
final class SimFleet {
    private static final List<String> LOCAL_TS = List.of("192.168.0.0/16");

    private final ViciServer vici;
    private final int n;
    private final long[] child;
    private final boolean[] up;
    private long nextChildId;

    SimFleet(ViciServer vici, int n) {
        if (n < 1 || n > BenchData.MAX) {
            throw new IllegalArgumentException("SAs: " + n + " (expected: 1.." + BenchData.MAX + ")");
        }
        this.vici = vici;
        this.n = n;
        this.child = new long[n];
        this.up = new boolean[n];
        this.nextChildId = n + 1L;
    }

    int size() {
        return n;
    }

    /** Puts every spoke into the simulator's table silently (what the next list-sas shows). */
    void populate() {
        List<SimIkeSa> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            child[i] = i + 1L;
            up[i] = true;
            all.add(SimIkeSa.of("spokes", ikeId(i), peer(i), childSa(i, child[i])));
        }
        vici.clear();
        vici.addAll(all);
    }

    static long ikeId(int i) {
        return i + 1L;
    }

    static String peer(int i) {
        int a = 0xC6120000 + i; // 198.18.0.0/15
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    private static SimChildSa childSa(int i, long id) {
        return SimChildSa.of("net", id, LOCAL_TS, List.of(BenchData.prefixText(i)));
    }

    boolean isUp(int i) {
        return up[i];
    }

    /** CHILD_SA of spoke i deleted: {@code child-updown} down. */
    void down(int i) {
        delivered(vici.childDown(ikeId(i), child[i]), "child-updown down", i);
        up[i] = false;
    }

    /** A new CHILD_SA for spoke i: {@code child-updown} up. */
    void up(int i) {
        long id = nextChildId++;
        delivered(vici.childUp(ikeId(i), childSa(i, id)), "child-updown up", i);
        child[i] = id;
        up[i] = true;
    }

    /** CHILD_SA of spoke i rekeyed: {@code child-rekey}, same selectors, new unique id. */
    void rekey(int i) {
        long id = nextChildId++;
        delivered(vici.childRekey(ikeId(i), child[i], id), "child-rekey", i);
        child[i] = id;
    }

    private static void delivered(int connections, String what, int i) {
        if (connections < 1) {
            throw new IllegalStateException(what + " of spoke " + i + ": no client registered for it (speaker not connected)");
        }
    }
}
