package net.rrispeaker.config;

import java.util.regex.Pattern;

/**
 * A strongSwan connection name pattern ({@code match ipsec-connection GLOB}): {@code *} matches any
 * run of characters, {@code ?} one character, everything else itself (case-sensitive, as
 * strongSwan names are).
 */
public final class ConnectionGlob {
    private final String text;
    private final Pattern pattern;

    public ConnectionGlob(String text) {
        this.text = text;
        StringBuilder re = new StringBuilder();
        StringBuilder lit = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                if (lit.length() > 0) {
                    re.append(Pattern.quote(lit.toString()));
                    lit.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) {
            re.append(Pattern.quote(lit.toString()));
        }
        this.pattern = Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    public boolean matches(String connection) {
        return pattern.matcher(connection).matches();
    }

    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionGlob g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
