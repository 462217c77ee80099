package net.rrispeaker.config;

import java.util.List;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;

/**
 * Lines a pasted router configuration starts with, accepted without effect: {@code enable},
 * {@code configure terminal}, {@code hostname X}, {@code ip domain name X}, {@code ip name-server},
 * and the global routing switches ({@code ip routing}, {@code ip classless}, {@code ip cef}...).
 */
final class GlobalSection implements ConfigSection {
    private static final List<String[]> ACCEPTED = List.of(
            new String[] {"enable"}, new String[] {"configure", "terminal"}, new String[] {"conf", "t"},
            new String[] {"hostname"}, new String[] {"ip", "domain", "name"}, new String[] {"ip", "domain-name"},
            new String[] {"ip", "domain", "lookup"}, new String[] {"ip", "domain-lookup"},
            new String[] {"ip", "name-server"}, new String[] {"ip", "classless"}, new String[] {"ip", "routing"},
            new String[] {"ip", "cef"}, new String[] {"ip", "subnet-zero"}, new String[] {"ipv6", "unicast-routing"},
            new String[] {"ipv6", "cef"}, new String[] {"version"});

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        for (String[] words : ACCEPTED) {
            if (line.startsWith(words)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }
}
