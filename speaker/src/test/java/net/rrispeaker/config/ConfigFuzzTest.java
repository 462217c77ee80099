package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;
import net.rrispeaker.ios.ConfigText;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random configurations, made by mutating the example configurations (the README's, the
 * one {@link ExampleConfigTest} checks, {@code docker/rri.conf.example}, and one that uses every
 * section): token swaps, hostile and huge numbers, keywords out of place, long lines, random bytes
 * and characters, lines moved, doubled or dropped. Whatever comes out, the parser must return a
 * {@link Config} or throw a {@link ConfigException} whose problems all carry {@code file:line};
 * anything else fails with the seed that rebuilds that one configuration.
 *
 * <p>Rerun one: {@code -Dconfig.fuzz.seed=SEED -Dconfig.fuzz.count=1}; more of them:
 * {@code -Dconfig.fuzz.count=100000}.
 */
class ConfigFuzzTest {
    private static final long BASE_SEED = Long.getLong("config.fuzz.seed", 0x52524953L);
    private static final int COUNT = Integer.getInteger("config.fuzz.count", 5_000);
    private static final String FILE = "fuzz.conf";

    /** Uses every section; no peer host names, so no configuration can make the parser resolve one. */
    static final String EVERYTHING = """
            hostname hub
            rri control-api 127.0.0.1:50052 tls cert /etc/rri/api.pem key /etc/rri/api.key client-ca /etc/rri/ca.pem
            rri control-api unix:///run/rri/control.sock group rri
            rri metrics-listen none
            rri source-failure keep
            rri guard min-length ipv4 8
            rri guard min-length ipv6 32
            rri guard own 192.0.2.0/24
            rri guard own 198.51.100.0 255.255.255.0
            rri guard own 2001:db8:ffff::1
            rri guard pool prefix-list PL
            rri guard max-routes 100000
            rri guard max-routes-per-peer 1000
            rri guard overlap refuse
            no rri guard martians
            rri withdraw-delay 200
            rri source-hold-time 10
            rri gobgp path-identifier 21074
            rri bgp next-hop self
            rri bgp tag-community 65000
            rri bgp distance-local-pref 100
            vrf definition BLUE
             rd 65000:1
             route-target both 65000:1
             address-family ipv4
             exit-address-family
            interface GigabitEthernet0/0
             ip address 192.0.2.1 255.255.255.0
             crypto map VPN
             vrf forwarding BLUE
             standby 1 ip 192.0.2.3
            interface Tunnel0
             tunnel protection ipsec profile VTI
            crypto isakmp profile ISA
             vrf BLUE
            crypto ipsec transform-set t1 esp-aes256 esp-sha256-hmac
             mode tunnel
            crypto ipsec profile VTI
             set reverse-route tag 7
             match ipsec-connection vti-*
            access-list 101 permit ip 10.80.0.0 0.0.255.255 10.81.0.0 0.0.255.255
            access-list 101 permit tcp host 10.80.0.1 eq 443 10.82.0.0 0.0.0.255 range 1000 2000
            access-list 5 permit 10.0.0.0 0.255.255.255
            ip access-list extended CRYPTO
             10 permit ip 10.80.0.0 0.0.255.255 10.83.0.0 0.0.255.255
             remark lab
             deny udp any any eq isakmp
            ipv6 access-list V6
             permit ipv6 2001:db8::/32 any
            crypto dynamic-map DYN 10
             match ipsec-connection spokes-??
             set reverse-route distance 5
             set reverse-route pool prefix-list PL
             set isakmp-profile ISA
             reverse-route remote-peer
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            crypto map VPN 30 ipsec-isakmp
             match address CRYPTO
             reverse-route remote-peer 192.0.2.254 gateway
            ip route 10.90.0.0 255.255.0.0 192.0.2.254 10 tag 9 name lab permanent
            ip route vrf BLUE 10.91.0.0 255.255.0.0 GigabitEthernet0/0 192.0.2.254
            ipv6 route 2001:db8:90::/48 2001:db8::1 tag 9
            ip prefix-list PL seq 5 permit 10.0.0.0/8 ge 16 le 24
            ip prefix-list PL description lab networks
            ipv6 prefix-list PL6 permit 2001:db8::/32 le 64
            route-map OUT permit 10
             match ip address prefix-list PL
             match tag 5 7
             set community 65000:5 no-export additive
             set local-preference 200
             set extcommunity rt 65000:1 10.0.0.1:7
             continue 20
            route-map OUT deny 20
             match ipv6 address prefix-list PL6
            route-map OUT permit 30
             match ip address 5
             set metric +10
             set as-path prepend 65000 65000
             set origin igp
             set ip next-hop 192.0.2.9
            router bgp 65000
             bgp router-id 192.0.2.1
             redistribute static route-map OUT
             address-family ipv4 vrf BLUE
              redistribute static metric 5
             exit-address-family
            router ospf 1
             redistribute static metric 20 metric-type 1 subnets tag 4 route-map OUT
            router eigrp 10
             redistribute static metric 10000 100 255 1 1500
            end
            """;

    private static final String[] HOSTILE = {
        "99999999999999999999", "18446744073709551616", "9223372036854775808", "4294967296", "4294967295",
        "2147483648", "2147483647", "65536", "65535", "256", "255", "0", "-1", "+5", "1e9", "0x10", "007",
        "\u0661\u0662", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "????????????????", "::/4294967296",
        "10.0.0.0/4294967304", "1::/1/1", "::/11111111111111111111", "10.0.0.0/33", "256.1.1.1", "1.2.3",
        "hé.example:50051", "unix://x", "unix:", "[::1", "]:1", ":", "/", "[", "\u00A0", "\uFEFF", "caf\u00E9",
        "\uD83D\uDE00", "\u2028", "1.2:3", "4200000000:65536", "1.2.3.4:65536", "65000:4294967296", "none",
        "1:2:3:4:5:6:7:8:9", "2001:db8::1%eth0", "10.0.0.*", "any", "host", "exit", "end", "!",
    };

    private static List<String> corpus;
    private static String[] keywords;

    @BeforeAll
    static void loadExamples() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Example configuration");
        int open = readme.indexOf("```\n", start) + 4;
        corpus = List.of(readme.substring(open, readme.indexOf("```", open)),
                Files.readString(Path.of("..", "docker", "rri.conf.example")), EVERYTHING);
        Set<String> words = new LinkedHashSet<>();
        for (String text : corpus) {
            words.addAll(Arrays.asList(text.split("\\s+")));
        }
        words.remove("");
        keywords = words.toArray(new String[0]);
    }

    @Test
    void theExamplesThemselvesParse() throws Exception {
        for (String text : corpus) {
            assertTrue(ConfigParser.parse(FILE, text).notes().stream()
                    .noneMatch(p -> p.severity() == ConfigProblem.Severity.ERROR));
        }
    }

    @Test
    void mutatedExamplesGiveAConfigOrFileLineProblemsNeverAnotherException() {
        int refused = 0;
        for (int i = 0; i < COUNT; i++) {
            long seed = BASE_SEED + i;
            Random r = new Random(seed);
            List<String> done = new ArrayList<>();
            byte[] bytes = mutate(corpus.get(r.nextInt(corpus.size())), r, done);
            String text = null;
            try {
                text = ConfigText.decode(FILE, bytes);
                Config c = ConfigParser.parse(FILE, text);
                for (ConfigProblem p : c.notes()) {
                    checkWhere(p, bytes);
                }
            } catch (ConfigException e) {
                refused++;
                assertFalse(e.problems().isEmpty(), "a ConfigException without problems, seed " + seed);
                for (ConfigProblem p : e.problems()) {
                    assertTrue(p.severity() == ConfigProblem.Severity.ERROR, () -> "not an error: " + p + ", seed " + seed);
                    checkWhere(p, bytes);
                }
            } catch (Throwable t) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                String shown = text != null ? text : new String(bytes, StandardCharsets.ISO_8859_1);
                fail("config #" + i + ": " + t + " (rerun: -Dconfig.fuzz.seed=" + seed + " -Dconfig.fuzz.count=1)\n"
                        + "mutations: " + done + "\n--- config (first 3000 characters) ---\n"
                        + shown.substring(0, Math.min(3000, shown.length())) + "\n--- trace ---\n" + trace);
            }
        }
        assertTrue(refused > COUNT / 10, "the mutations should break a good share of the configs: " + refused);
    }

    /** A problem names this file and a line that exists (or the one after the last, for the end of the file). */
    private static void checkWhere(ConfigProblem p, byte[] bytes) {
        int lines = 1;
        for (byte b : bytes) {
            if (b == '\n') {
                lines++;
            }
        }
        int max = lines;
        assertTrue(p.file().equals(FILE) && p.line() >= 1 && p.line() <= max
                && p.toString().startsWith(FILE + ":" + p.line() + ": "), () -> "no usable file:line in '" + p + "'");
    }

    private static byte[] mutate(String text, Random r, List<String> done) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int n = 1 + r.nextInt(4);
        List<int[]> rawSplices = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int kind = r.nextInt(10);
            int li = r.nextInt(lines.size());
            List<String> tokens = new ArrayList<>(Arrays.asList(lines.get(li).strip().split("\\s+")));
            switch (kind) {
                case 0 -> { // swap two tokens, possibly across lines
                    int lj = r.nextInt(lines.size());
                    List<String> other = new ArrayList<>(Arrays.asList(lines.get(lj).strip().split("\\s+")));
                    int a = r.nextInt(tokens.size());
                    int b = r.nextInt(other.size());
                    String t = tokens.get(a);
                    if (li == lj) {
                        tokens.set(a, tokens.get(b % tokens.size()));
                        tokens.set(b % tokens.size(), t);
                        lines.set(li, " " + String.join(" ", tokens));
                    } else {
                        tokens.set(a, other.get(b));
                        other.set(b, t);
                        lines.set(li, " " + String.join(" ", tokens));
                        lines.set(lj, " " + String.join(" ", other));
                    }
                    done.add("swap " + li + "/" + lj);
                }
                case 1 -> { // a hostile token
                    tokens.set(r.nextInt(tokens.size()), HOSTILE[r.nextInt(HOSTILE.length)]);
                    lines.set(li, String.join(" ", tokens));
                    done.add("hostile " + li);
                }
                case 2 -> { // a keyword from elsewhere, or an extra one
                    String w = keywords[r.nextInt(keywords.length)];
                    if (r.nextBoolean()) {
                        tokens.set(r.nextInt(tokens.size()), w);
                    } else {
                        tokens.add(r.nextInt(tokens.size() + 1), w);
                    }
                    lines.set(li, String.join(" ", tokens));
                    done.add("keyword " + li);
                }
                case 3 -> { // a huge or odd number in place of a number (or any token)
                    int at = r.nextInt(tokens.size());
                    for (int t = 0; t < tokens.size(); t++) {
                        if (tokens.get(t).chars().allMatch(Character::isDigit)) {
                            at = t;
                        }
                    }
                    StringBuilder num = new StringBuilder();
                    for (int d = 1 + r.nextInt(40); d > 0; d--) {
                        num.append((char) ('0' + r.nextInt(10)));
                    }
                    tokens.set(at, num.toString());
                    lines.set(li, String.join(" ", tokens));
                    done.add("number " + li);
                }
                case 4 -> { // a line again somewhere else
                    lines.add(r.nextInt(lines.size() + 1), lines.get(li));
                    done.add("copy " + li);
                }
                case 5 -> { // a line dropped
                    lines.remove(li);
                    if (lines.isEmpty()) {
                        lines.add("");
                    }
                    done.add("drop " + li);
                }
                case 6 -> { // a long line: one long token, or many tokens
                    String t = tokens.get(r.nextInt(tokens.size()));
                    int len = 3000 + r.nextInt(3000);
                    String longer = r.nextBoolean() ? (t + "x").repeat(len / (t.length() + 1) + 1)
                            : (t + " ").repeat(len / (t.length() + 1) + 1);
                    lines.set(li, lines.get(li) + " " + longer);
                    done.add("long " + li);
                }
                case 7 -> { // characters from anywhere in Unicode, controls included
                    StringBuilder b = new StringBuilder(lines.get(li));
                    for (int c = 1 + r.nextInt(3); c > 0; c--) {
                        int cp = r.nextInt(4) == 0 ? r.nextInt(0x20) : r.nextInt(0x11000);
                        if (cp >= 0xD800 && cp <= 0xDFFF) {
                            cp = 0xFFFD;
                        }
                        b.insert(r.nextInt(b.length() + 1), Character.toChars(cp));
                    }
                    lines.set(li, b.toString());
                    done.add("chars " + li);
                }
                case 8 -> { // random bytes, spliced in after UTF-8 encoding (often not UTF-8)
                    rawSplices.add(new int[] {r.nextInt(Integer.MAX_VALUE), 1 + r.nextInt(6)});
                    done.add("bytes");
                }
                default -> { // a token deleted
                    tokens.remove(r.nextInt(tokens.size()));
                    lines.set(li, String.join(" ", tokens));
                    done.add("delete " + li);
                }
            }
        }
        byte[] utf8 = String.join(r.nextInt(8) == 0 ? "\r\n" : "\n", lines).getBytes(StandardCharsets.UTF_8);
        for (int[] splice : rawSplices) {
            int at = splice[0] % (utf8.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(utf8, 0, at);
            for (int b = 0; b < splice[1]; b++) {
                out.write(r.nextInt(256));
            }
            out.write(utf8, at, utf8.length - at);
            utf8 = out.toByteArray();
        }
        return utf8;
    }
}
