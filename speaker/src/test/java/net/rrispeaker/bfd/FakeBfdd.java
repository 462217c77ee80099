package net.rrispeaker.bfd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.sink.frr.Vtysh;

/**
 * A bfdd behind a fake vtysh: applies the {@code bfd} transactions the manager writes (peers,
 * their profile, profiles and their timers, {@code no peer}), prints its running configuration in
 * FRR 8.4's layout (default timers left out) and {@code show bfd peers json} with every session
 * in {@link #sessionStatus}. Can be absent, refuse transactions, or restart (peers gone).
 */
final class FakeBfdd implements Vtysh {
    /** Peer command (e.g. {@code peer 10.0.0.2 local-address 10.0.0.1}) to its profile, or null. */
    final Map<String, String> peers = new LinkedHashMap<>();
    final Map<String, int[]> profiles = new LinkedHashMap<>();
    final List<String> batches = new ArrayList<>();
    boolean up = true;
    boolean refuse;
    String sessionStatus = "up";
    private int generation;

    void restart() {
        generation++;
        peers.clear();
        profiles.clear();
    }

    @Override
    public String show(String command) throws IOException {
        if (!up) {
            throw new IOException("exit 1: Exiting: failed to connect to any daemons.");
        }
        if (command.equals("show running-config")) {
            StringBuilder b = new StringBuilder("Building configuration...\n!\nfrr version 8.4.4\n!\nbfd\n");
            profiles.forEach((name, t) -> {
                b.append(" profile ").append(name).append('\n');
                String[] keys = {"transmit-interval", "receive-interval", "detect-multiplier"};
                int[] defaults = {300, 300, 3};
                for (int i = 0; i < 3; i++) {
                    if (t[i] != defaults[i]) {
                        b.append("  ").append(keys[i]).append(' ').append(t[i]).append('\n');
                    }
                }
                b.append(" exit\n !\n");
            });
            peers.forEach((cmd, profile) -> b.append(' ').append(cmd).append('\n')
                    .append(profile == null ? "" : "  profile " + profile + "\n").append(" exit\n !\n"));
            return b.append("exit\n!\nend\n").toString();
        }
        if (command.equals("show bfd peers json")) {
            List<String> out = new ArrayList<>();
            for (String cmd : peers.keySet()) {
                String[] t = cmd.split(" ");
                String local = "";
                for (int i = 2; i + 1 < t.length; i++) {
                    if (t[i].equals("local-address")) {
                        local = ",\"local\":\"" + t[i + 1] + "\"";
                    }
                }
                out.add("{\"multihop\":false,\"peer\":\"" + t[1] + "\"" + local + ",\"vrf\":\"default\",\"status\":\""
                        + sessionStatus + "\",\"uptime\":7,\"diagnostic\":\"ok\",\"remote-diagnostic\":\"ok\","
                        + "\"receive-interval\":100,\"transmit-interval\":100,\"detect-multiplier\":3}");
            }
            return "[" + String.join(",", out) + "]";
        }
        throw new IOException("exit 2: % Unknown command: " + command);
    }

    @Override
    public Result apply(String text) throws IOException {
        if (!up) {
            throw new IOException("bfdd down");
        }
        batches.add(text);
        if (refuse) {
            return new Result(2, "line 2: % Unknown command: " + text.split("\n")[1]);
        }
        String peer = null;
        String profile = null;
        for (String line : text.split("\n")) {
            String l = line.strip();
            int indent = line.length() - line.stripLeading().length();
            if (indent == 1 && l.startsWith("no peer ")) {
                peers.remove(l.substring(3));
            } else if (indent == 1 && l.startsWith("peer ")) {
                peer = l;
                peers.putIfAbsent(peer, null);
            } else if (indent == 1 && l.startsWith("profile ")) {
                profile = l.substring("profile ".length());
                profiles.put(profile, new int[] {300, 300, 3});
            } else if (indent == 2 && peer != null && l.startsWith("profile ")) {
                peers.put(peer, l.substring("profile ".length()));
            } else if (indent == 2 && profile != null) {
                String[] t = l.split(" ");
                int i = List.of("transmit-interval", "receive-interval", "detect-multiplier").indexOf(t[0]);
                profiles.get(profile)[i] = Integer.parseInt(t[1]);
            } else if (l.equals("exit")) {
                peer = null;
                profile = null;
            }
        }
        return new Result(0, "");
    }

    @Override
    public Object daemonIdentity() {
        return up ? "bfdd#" + generation : null;
    }

    @Override
    public String describe() {
        return "fake bfdd";
    }
}
