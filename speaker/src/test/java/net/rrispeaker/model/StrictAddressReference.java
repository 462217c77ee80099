package net.rrispeaker.model;

/**
 * The string-based strict address parser the speaker used before it read addresses straight from
 * wire bytes, kept unchanged as the reference that {@link AddressesStrictBytesTest} checks the
 * byte parser against: the accepted forms must not have moved by a single case.
 */
public final class StrictAddressReference {
    private StrictAddressReference() {
    }

    public static byte[] strictBytes(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            byte[] v4 = new byte[4];
            return dottedQuad(text, v4, 0) ? v4 : null;
        }
        return ipv6(text);
    }

    /** Writes the four octets of {@code text} into {@code out} at {@code at}; false if it is not a strict dotted quad. */
    private static boolean dottedQuad(String text, byte[] out, int at) {
        int octet = 0;
        int pos = 0;
        int n = text.length();
        while (octet < 4) {
            int start = pos;
            int value = 0;
            while (pos < n && pos - start < 4 && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                value = value * 10 + (text.charAt(pos) - '0');
                pos++;
            }
            int digits = pos - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            out[at + octet] = (byte) value;
            octet++;
            if (octet < 4) {
                if (pos >= n || text.charAt(pos) != '.') {
                    return false;
                }
                pos++;
            }
        }
        return pos == n;
    }

    private static byte[] ipv6(String text) {
        byte[] out = new byte[16];
        int words = 8;
        String hex = text;
        if (text.indexOf('.') >= 0) {
            int lastColon = text.lastIndexOf(':');
            if (!dottedQuad(text.substring(lastColon + 1), out, 12)) {
                return null;
            }
            words = 6;
            hex = text.substring(0, lastColon + 1);
            if (!hex.endsWith("::")) {
                hex = hex.substring(0, hex.length() - 1);   // the ':' before the quad
                if (hex.isEmpty()) {
                    return null;
                }
            }
        }
        int doubleColon = hex.indexOf("::");
        if (doubleColon >= 0 && hex.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        int[] head = hexGroups(doubleColon >= 0 ? hex.substring(0, doubleColon) : hex);
        int[] tail = hexGroups(doubleColon >= 0 ? hex.substring(doubleColon + 2) : "");
        if (head == null || tail == null) {
            return null;
        }
        if (doubleColon < 0 ? head.length != words : head.length + tail.length > words - 1) {
            return null;
        }
        fill(out, 0, head);
        fill(out, (words - tail.length) * 2, tail);
        return out;
    }

    /** The groups of a colon-separated run of 1 to 4 hex digits each; empty text has none; null if malformed. */
    private static int[] hexGroups(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] g = part.split(":", -1);
        int[] out = new int[g.length];
        for (int i = 0; i < g.length; i++) {
            String s = g[i];
            if (s.isEmpty() || s.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < s.length(); k++) {
                int d = hexDigit(s.charAt(k));
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[i] = v;
        }
        return out;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static void fill(byte[] out, int at, int[] groups) {
        for (int i = 0; i < groups.length; i++) {
            out[at + 2 * i] = (byte) (groups[i] >> 8);
            out[at + 2 * i + 1] = (byte) groups[i];
        }
    }
}
