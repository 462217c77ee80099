package net.rrispeaker.model;

import java.util.List;

/**
 * {@code vrf definition NAME} / {@code ip vrf NAME}: route distinguisher and route targets, as
 * canonical text ({@code ASN:NN} or {@code A.B.C.D:NN}, decimal ASN).
 */
public record VrfDefinition(String name, String rd, List<String> importTargets, List<String> exportTargets,
                            String file, int line) {
    public VrfDefinition {
        importTargets = List.copyOf(importTargets);
        exportTargets = List.copyOf(exportTargets);
    }
}
