package net.rrispeaker.bench;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an MRT file (RFC 6396, type TABLE_DUMP_V2) holding the benchmark's N routes, for
 * {@code gobgp mrt inject global FILE}: one PEER_INDEX_TABLE with a single peer, then one
 * RIB_IPV4_UNICAST record per prefix with one RIB entry whose attributes are what the speaker
 * announces for an RRI route with tag 5 / distance 20: ORIGIN incomplete, an empty AS_PATH,
 * NEXT_HOP 0.0.0.0 (self), LOCAL_PREF 81, COMMUNITIES 65000:5.
 *
 * <p>Padding: the gobgp 3.x CLI ends {@code mrt inject} without waiting for gobgpd's answer to
 * its AddPathStream (it never calls CloseAndRecv), so the messages still in flight when it exits
 * are lost (126 of 2,000 in a test). Routes after the benchmark's N absorb that loss; the
 * benchmark stops its clock when the N real routes are in the RIB.
 */
final class MrtRib {
    static final int TYPE_TABLE_DUMP_V2 = 13;
    static final int SUBTYPE_PEER_INDEX_TABLE = 1;
    static final int SUBTYPE_RIB_IPV4_UNICAST = 2;
    /** Peer type bit 1: the peer's AS is written in 4 bytes (bit 0 clear: IPv4 address). */
    static final int PEER_TYPE_AS4 = 0x02;
    private static final int ATTR_WELL_KNOWN = 0x40;
    private static final int ATTR_OPTIONAL_TRANSITIVE = 0xC0;

    private MrtRib() {
    }

    /** Most padding routes: the /29s of 172.16.0.0/12. */
    static final int MAX_PADDING = 1 << 17;

    /**
     * Writes the N-route RIB dump to {@code file}, then {@code padding} more routes outside the
     * benchmark's prefixes ({@link #paddingBits}); every record carries {@code timestamp}
     * (seconds since the epoch).
     */
    static void write(Path file, int n, int padding, long timestamp) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out, n, padding, timestamp);
        }
    }

    static void write(OutputStream sink, int n, int padding, long timestamp) throws IOException {
        if (padding < 0 || padding > MAX_PADDING) {
            throw new IllegalArgumentException("padding " + padding + " (expected: 0.." + MAX_PADDING + ")");
        }
        DataOutputStream out = new DataOutputStream(sink);
        record(out, timestamp, SUBTYPE_PEER_INDEX_TABLE, peerIndexTable());
        byte[] attrs = attributes();
        for (int i = 0; i < n; i++) {
            record(out, timestamp, SUBTYPE_RIB_IPV4_UNICAST, ribEntry(i, BenchData.prefixBits(i), 29, attrs, timestamp));
        }
        for (int j = 0; j < padding; j++) {
            record(out, timestamp, SUBTYPE_RIB_IPV4_UNICAST, ribEntry(n + j, paddingBits(j), 29, attrs, timestamp));
        }
        out.flush();
    }

    /** Padding route j: the /29 {@code 172.16.0.0 + 8*j}. */
    static int paddingBits(int j) {
        return 0xAC100000 | j << 3;
    }

    /** Common header (timestamp, type, subtype, length of the body) and the body. */
    static void record(DataOutputStream out, long timestamp, int subtype, byte[] body) throws IOException {
        out.writeInt((int) timestamp);
        out.writeShort(TYPE_TABLE_DUMP_V2);
        out.writeShort(subtype);
        out.writeInt(body.length);
        out.write(body);
    }

    /** Collector id 192.0.2.1, no view name, one peer: id 192.0.2.1, address 0.0.0.0, AS 0 (a local path). */
    static byte[] peerIndexTable() {
        Bytes b = new Bytes();
        b.int32(0xC0000201);      // collector BGP ID
        b.int16(0);               // view name length
        b.int16(1);               // peer count
        b.int8(PEER_TYPE_AS4);
        b.int32(0xC0000201);      // peer BGP ID
        b.int32(0);               // peer IP address
        b.int32(0);               // peer AS
        return b.toArray();
    }

    /** One RIB_IPV4_UNICAST body: sequence number, prefix, one entry from peer 0 with {@code attrs}. */
    static byte[] ribEntry(int sequence, int prefix, int length, byte[] attrs, long originated) {
        Bytes b = new Bytes();
        b.int32(sequence);
        b.int8(length);
        int octets = (length + 7) / 8;
        for (int k = 0; k < octets; k++) {
            b.int8(prefix >>> (24 - 8 * k));
        }
        b.int16(1);               // entry count
        b.int16(0);               // peer index
        b.int32((int) originated);
        b.int16(attrs.length);
        b.bytes(attrs);
        return b.toArray();
    }

    /** The path attributes of every route, as in a BGP UPDATE (AS_PATH would use 4-byte ASNs; it is empty). */
    static byte[] attributes() {
        Bytes b = new Bytes();
        b.int8(ATTR_WELL_KNOWN).int8(1).int8(1).int8(2);                             // ORIGIN incomplete
        b.int8(ATTR_WELL_KNOWN).int8(2).int8(0);                                     // AS_PATH empty
        b.int8(ATTR_WELL_KNOWN).int8(3).int8(4).int32(0);                            // NEXT_HOP 0.0.0.0
        b.int8(ATTR_WELL_KNOWN).int8(5).int8(4).int32(BenchData.LOCAL_PREF);         // LOCAL_PREF
        b.int8(ATTR_OPTIONAL_TRANSITIVE).int8(8).int8(4).int32(BenchData.COMMUNITY); // COMMUNITIES
        return b.toArray();
    }

    /** A tiny big-endian byte builder. */
    static final class Bytes {
        private byte[] buf = new byte[64];
        private int len;

        Bytes int8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
            return this;
        }

        Bytes int16(int v) {
            return int8(v >>> 8).int8(v);
        }

        Bytes int32(int v) {
            return int16(v >>> 16).int16(v);
        }

        Bytes bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, len);
        }
    }
}
