package net.rrispeaker.source.vici;

/**
 * Makes text from the daemon, and so from a remote peer (identities, selectors), safe to put in
 * one log line: everything outside printable ASCII is escaped ({@code \n} as {@code \u000a}, a
 * right-to-left override as {@code \u202e}), a backslash or quote is escaped, and long text is cut
 * with a note of how much was left out. A peer cannot forge log lines or flood them this way.
 */
final class LogText {
    /** Characters of the original kept in a log line. */
    static final int MAX = 160;

    private LogText() {
    }

    static String safe(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 16);
        int n = Math.min(text.length(), MAX);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '"') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > MAX) {
            sb.append("...(+").append(text.length() - MAX).append(" chars)");
        }
        return sb.toString();
    }

    /**
     * Text kept for display (a peer's identity): C0/C1 control characters escaped as above,
     * everything else kept so that UTF-8 identities stay readable; at most {@code max} characters.
     */
    static String printable(String text, int max) {
        if (text == null) {
            return null;
        }
        if (text.length() <= max && !needsEscape(text)) {
            return text;   // the usual identity: nothing to escape
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            if (escapedForDisplay(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() > max ? sb.substring(0, max) : sb.toString();
    }

    private static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (escapedForDisplay(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** C0/C1 controls and the bidi overrides and isolates that could reorder a displayed line. */
    private static boolean escapedForDisplay(int c) {
        return Character.isISOControl(c) || c == '\u202e' || c == '\u202d' || (c >= '\u2066' && c <= '\u2069');
    }
}
