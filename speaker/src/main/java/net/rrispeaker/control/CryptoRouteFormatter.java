package net.rrispeaker.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.model.Prefix;

/**
 * Renders {@code show crypto route} in the IOS layout (Cisco IOS 12.4(15)T, "show crypto route
 * Command Output Example"): one block per table, {@code prefix/mask [distance/metric] via next hop},
 * the interface on a continuation line when there is also a next hop, then the code.
 */
public final class CryptoRouteFormatter {
    private static final String INDENT = " ".repeat(32);

    private CryptoRouteFormatter() {
    }

    public static String format(List<CryptoRoute> routes) {
        StringBuilder sb = new StringBuilder();
        sb.append("VPN Routing Table: Shows RRI and VTI created routes\n");
        sb.append("Codes: RRI - Reverse-Route, VTI- Virtual Tunnel Interface\n");
        sb.append("        S - Static Map ACLs, M - Manual static (ip route)\n");
        Map<String, List<CryptoRoute>> byTable = new LinkedHashMap<>();
        byTable.put("", new ArrayList<>());
        for (CryptoRoute r : routes) {
            byTable.computeIfAbsent(r.getVrf(), k -> new ArrayList<>()).add(r);
        }
        for (var e : byTable.entrySet()) {
            if (e.getKey().isEmpty() && e.getValue().isEmpty() && byTable.size() > 1) {
                continue;
            }
            sb.append("Routes created in table ").append(e.getKey().isEmpty() ? "GLOBAL DEFAULT" : e.getKey()).append('\n');
            for (CryptoRoute r : e.getValue()) {
                sb.append(line(r));
            }
        }
        return sb.toString();
    }

    static String line(CryptoRoute r) {
        Prefix p = Prefix.parse(r.getPrefix());
        String dest = p.isIpv4() ? p.address() + "/" + p.maskText() : p.toString();
        StringBuilder sb = new StringBuilder(dest).append(" [").append(r.getDistance()).append("/0]");
        String suffix = " " + r.getKind() + (r.getTag() != 0 ? " tag " + r.getTag() : "")
                + (r.getWithdrawing() ? " (withdrawing)" : "") + (r.getDampened() ? " (dampened)" : "")
                + (r.getRedundancyGroup().isEmpty() ? "" : " redundancy " + r.getRedundancyGroup()) + "\n";
        if (!r.getNextHop().isEmpty()) {
            sb.append(" via ").append(r.getNextHop());
            if (!r.getInterface().isEmpty()) {
                sb.append('\n').append(INDENT).append("on ").append(r.getInterface());
            }
        } else {
            sb.append(" via ").append(r.getInterface());
        }
        return sb.append(suffix).toString();
    }
}
