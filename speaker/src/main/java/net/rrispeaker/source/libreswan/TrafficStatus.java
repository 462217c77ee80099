package net.rrispeaker.source.libreswan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libreswan's established IPsec SAs, from two listings of pluto's: {@code ipsec trafficstatus}
 * (one line per established IPsec SA: serial, connection, for an instance the peer's address, and
 * the peer's ID; no subnets) and the connection lines of {@code ipsec status} (per connection: the
 * subnets on both sides, the peer's address, and which SA owns the kernel policy, {@code eroute
 * owner: #N}). An SA is announced when a connection line says {@code erouted} with an owner that
 * trafficstatus lists: the peer's subnet is the route, the peer's address the next hop.
 *
 * <p>Layouts (libreswan 4.x prefixes reply lines with {@code 006 }/{@code 000 }; 5.x does not):
 * <pre>
 * 006 #2: "spokes"[3] 192.0.2.2, type=ESP, add_time=1234567890, inBytes=0, outBytes=0, id='@spoke2'
 * 000 "spokes"[3] 192.0.2.2: 10.80.0.0/16===192.0.2.1[@hub]...192.0.2.2[@spoke2]===10.81.2.0/24; erouted; eroute owner: #2
 * </pre>
 * The peer chooses its ID, and IDs are printed inside these lines: so every field is read from the
 * end pluto itself writes (the ID last in a trafficstatus line; subnet, routing and owner last in
 * a connection line), a connection line that appears twice is refused as a whole, and a line that
 * does not fit is reported with its number and skipped.
 */
public final class TrafficStatus {
    private static final Pattern TRAFFIC = Pattern.compile(
            "^(?:006 )?#(\\d{1,18}): \"([^\"]{1,255})\"((?:\\[\\d{1,10}\\])*)(?: ([0-9A-Fa-f.:]{2,45}))?, "
                    + "(?:username=[-_.0-9a-zA-Z]{0,64}, )?type=([A-Z]+), add_time=\\d{1,20}, (.*)$");
    private static final Pattern ID = Pattern.compile(", id='(.*)'(?:, lease=[0-9A-Fa-f.:/, ]*)?$");
    private static final Pattern OWNER_LINE = Pattern.compile("eroute owner: #\\d+\\s*$");
    private static final Pattern CONNECTION = Pattern.compile(
            "^(?:000 )?\"([^\"]{1,255})\"((?:\\[\\d{1,10}\\])*)(?: [0-9A-Fa-f.:]{2,45})?: (.*); ([a-zA-Z ]{1,40}); eroute owner: #(\\d{1,18})\\s*$");
    private static final Pattern CLIENT = Pattern.compile("===([0-9A-Fa-f.:]{2,45}/\\d{1,3})$");
    private static final Pattern PEER = Pattern.compile("^(?:[0-9A-Fa-f.:]{2,45}---)?([0-9A-Fa-f.:]{2,45})(?=$|[\\[<:=])");

    /** A line that does not fit: where ({@code NAME:LINE}), what is wrong, and the line (printable, shortened). */
    public record Problem(String where, String what, String line) {
        @Override
        public String toString() {
            return where + ": " + what + ": " + line;
        }
    }

    /**
     * What the listings came to.
     *
     * @param sas      the established SAs, one per connection line, in the order of the status listing
     * @param problems lines that did not fit, in order
     * @param unowned  trafficstatus SAs no connection line owns (an SA being replaced, or a
     *                 connection line that was refused): not announced on their own
     */
    public record Result(List<LibreswanSa> sas, List<Problem> problems, int unowned) {
    }

    /** One trafficstatus line. */
    record Traffic(long serial, String connection, String peer, String id) {
    }

    private TrafficStatus() {
    }

    /**
     * Joins the two listings ({@code trafficName} and {@code statusName} name them in problems).
     * {@code hosts}: host-to-host SAs (no subnet; the peer's own address) count too.
     */
    public static Result read(String trafficName, List<String> traffic, String statusName, List<String> status,
                              boolean hosts) {
        List<Problem> problems = new ArrayList<>();
        Map<Long, Traffic> bySerial = new HashMap<>();
        for (int i = 0; i < traffic.size(); i++) {
            String line = traffic.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = trafficName + ":" + (i + 1);
            Traffic t = trafficLine(line);
            if (t == null) {
                problems.add(new Problem(where, "not a trafficstatus line", printable(line)));
            } else if (bySerial.putIfAbsent(t.serial(), t) != null) {
                problems.add(new Problem(where, "SA #" + t.serial() + " listed twice; both refused", printable(line)));
                bySerial.put(t.serial(), null);
            }
        }
        // connection lines by their whole name (with the instance): a name seen twice is refused
        Map<String, LibreswanSa> byName = new LinkedHashMap<>();
        Map<String, String> firstWhere = new HashMap<>();
        int owned = 0;
        for (int i = 0; i < status.size(); i++) {
            String line = status.get(i);
            if (!OWNER_LINE.matcher(line).find()) {
                continue; // other status lines: policies, states, algorithms
            }
            String where = statusName + ":" + (i + 1);
            Matcher m = CONNECTION.matcher(line);
            if (!m.matches()) {
                problems.add(new Problem(where, "not a connection line", printable(line)));
                continue;
            }
            String name = m.group(1) + m.group(2);
            if (firstWhere.putIfAbsent(name, where) != null) {
                problems.add(new Problem(where, "connection \"" + name + "\" listed twice (also at "
                        + firstWhere.get(name) + "); both refused", printable(line)));
                byName.put(name, null);
                continue;
            }
            long owner = Long.parseLong(m.group(5));
            String routing = m.group(4);
            if (owner == 0 || !routing.equals("erouted")) {
                continue; // no SA (auto=route, on demand, down)
            }
            Traffic t = bySerial.get(owner);
            if (t == null) {
                continue; // the owner is not established (or was refused above)
            }
            owned++;
            String body = m.group(3);
            int dots = body.indexOf("...");
            if (dots < 0) {
                problems.add(new Problem(where, "no '...' between the two sides", printable(line)));
                continue;
            }
            String right = body.substring(dots + 3);
            String peer = t.peer();
            if (peer == null) {
                Matcher p = PEER.matcher(right);
                if (!p.find()) {
                    problems.add(new Problem(where, "no peer address after '...'", printable(line)));
                    continue;
                }
                peer = p.group(1);
            }
            Matcher c = CLIENT.matcher(body);
            String client;
            if (c.find()) {
                client = c.group(1);
            } else if (hosts) {
                client = peer + (peer.indexOf(':') >= 0 ? "/128" : "/32");
            } else {
                continue; // host-to-host: not announced unless asked for
            }
            byName.put(name, new LibreswanSa(m.group(1), peer, client, t.id(), 0));
        }
        List<LibreswanSa> sas = new ArrayList<>();
        byName.values().forEach(sa -> {
            if (sa != null) {
                sas.add(sa);
            }
        });
        long established = bySerial.values().stream().filter(t -> t != null).count();
        return new Result(sas, problems, (int) Math.max(0, established - owned));
    }

    static Traffic trafficLine(String line) {
        Matcher m = TRAFFIC.matcher(line);
        if (!m.matches()) {
            return null;
        }
        Matcher id = ID.matcher(m.group(6));
        String rest = m.group(6);
        if (!rest.startsWith("inBytes=")) {
            return null;
        }
        return new Traffic(Long.parseLong(m.group(1)), m.group(2), m.group(4), id.find() ? id.group(1) : "");
    }

    /** The line as it may be logged: control characters as {@code \xNN}, at most 300 characters. */
    public static String printable(String line) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < line.length() && b.length() < 300; i++) {
            char ch = line.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                b.append(String.format("\\x%02x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return line.length() > 300 ? b + "..." : b.toString();
    }
}
