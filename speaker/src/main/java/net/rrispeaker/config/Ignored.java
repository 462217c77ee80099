package net.rrispeaker.config;

import java.util.Set;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.Problems;

/** Records commands the speaker accepts but does not act on, each with why. */
final class Ignored {
    static final String IPSEC_ONLY = "IPsec only, not routing";

    private Ignored() {
    }

    /** Notes the line as ignored, naming its command (the first two words for {@code set}, {@code no}...). */
    static void note(ConfigLine line, String why, Problems problems) {
        problems.ignored(line, command(line) + " (" + why + ")");
    }

    /** The command words of a line, as a message names them. */
    static String command(ConfigLine line) {
        String first = line.token(0).toLowerCase();
        boolean twoWords = Set.of("set", "no", "crypto", "match", "ip", "ipv6", "standby", "tunnel", "client",
                "isakmp", "default-information").contains(first);
        return twoWords && line.size() > 1 ? line.token(0) + " " + line.token(1) : line.token(0);
    }
}
