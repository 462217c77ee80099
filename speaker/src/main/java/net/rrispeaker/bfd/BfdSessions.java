package net.rrispeaker.bfd;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * bfdd's session states, from {@code show bfd peers json} (FRR 8.4: an array of objects with
 * {@code peer}, optional {@code local} and {@code interface}, {@code vrf}, {@code multihop},
 * {@code status} up/down/init/shutdown/adm-down, {@code uptime} or {@code downtime} in seconds,
 * {@code diagnostic}, {@code remote-diagnostic} and the negotiated timers). A session object that
 * lacks a field the speaker needs is left out, not an error for the others.
 */
public final class BfdSessions {
    private BfdSessions() {
    }

    /**
     * One session.
     *
     * @param status           bfdd's word: up, down, init, shutdown, adm-down
     * @param seconds          how long it has been in that state (bfdd's uptime or downtime)
     * @param diagnostic       why it last went down, as bfdd says it (local side)
     * @param remoteDiagnostic the same, from the remote side
     */
    public record Session(String status, long seconds, String diagnostic, String remoteDiagnostic,
                          int transmitInterval, int receiveInterval, int detectMultiplier) {
        public boolean up() {
            return "up".equals(status);
        }
    }

    /** The sessions by peer; {@link IllegalArgumentException} if the text is not a JSON array. */
    public static Map<BfdKey, Session> parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("show bfd peers json: not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException("show bfd peers json: expected a JSON array");
        }
        Map<BfdKey, Session> out = new LinkedHashMap<>();
        for (JsonElement e : (JsonArray) root) {
            if (!e.isJsonObject()) {
                continue;
            }
            JsonObject o = e.getAsJsonObject();
            String peer = text(o, "peer");
            String status = text(o, "status");
            if (peer == null || status == null) {
                continue;
            }
            BfdKey key = new BfdKey(peer, bool(o, "multihop"), text(o, "local"), text(o, "interface"), text(o, "vrf"));
            long seconds = number(o, o.has("uptime") ? "uptime" : "downtime");
            out.put(key, new Session(status, seconds, orEmpty(text(o, "diagnostic")), orEmpty(text(o, "remote-diagnostic")),
                    (int) number(o, "transmit-interval"), (int) number(o, "receive-interval"),
                    (int) number(o, "detect-multiplier")));
        }
        return out;
    }

    private static String text(JsonObject o, String field) {
        JsonElement v = o.get(field);
        return v != null && v.isJsonPrimitive() ? v.getAsString() : null;
    }

    private static boolean bool(JsonObject o, String field) {
        JsonElement v = o.get(field);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && v.getAsBoolean();
    }

    private static long number(JsonObject o, String field) {
        JsonElement v = o.get(field);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? v.getAsLong() : 0;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
