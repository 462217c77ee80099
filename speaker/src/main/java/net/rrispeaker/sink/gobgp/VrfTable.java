package net.rrispeaker.sink.gobgp;

import com.google.protobuf.Any;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.gobgp.api.Vrf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRFs gobgpd has, as last listed, and the ones this process created. A path can only go into
 * an existing VRF, so {@link #ensure} adds a missing one (the RD is mandatory in gobgpd). A VRF we
 * did not create is never deleted; one we created is deleted once it is no longer configured and
 * holds none of our paths. Owned by the sink's worker thread.
 */
final class VrfTable {
    private static final Logger log = LoggerFactory.getLogger(VrfTable.class);

    private final GobgpClient client;
    private final Map<String, String> present = new HashMap<>(); // name -> rd text
    private final Set<String> created = new HashSet<>();
    private final Set<String> warned = new HashSet<>();

    VrfTable(GobgpClient client) {
        this.client = client;
    }

    /** Re-reads gobgpd's VRFs (after a (re)connect). */
    void refresh() {
        present.clear();
        for (Vrf v : client.listVrf()) {
            present.put(v.getName(), ExtCommunities.rdText(v.getRd()));
        }
        created.retainAll(present.keySet());
    }

    /** The VRF whose RD is {@code rd}, or {@code null}. */
    String nameForRd(String rd) {
        return present.entrySet().stream().filter(e -> e.getValue().equals(rd)).map(Map.Entry::getKey)
                .sorted().findFirst().orElse(null);
    }

    Set<String> names() {
        return Set.copyOf(present.keySet());
    }

    /**
     * Makes sure VRF {@code def} exists. Throws {@link IllegalArgumentException} for a definition
     * gobgpd cannot take (bad RD/RT text) and {@link io.grpc.StatusRuntimeException} if AddVrf fails.
     */
    void ensure(VrfDefinition def) {
        String have = present.get(def.name());
        if (have != null) {
            String want = ExtCommunities.rdText(ExtCommunities.routeDistinguisher(def.rd()));
            if (!have.equals(want) && warned.add(def.name() + "|" + want)) {
                log.warn("sink=gobgp vrf={} rd={} configured_rd={} at={}:{}: gobgpd keeps its RD until the VRF is recreated",
                        def.name(), have, want, def.file(), def.line());
            }
            return;
        }
        Vrf.Builder v = Vrf.newBuilder().setName(def.name()).setRd(ExtCommunities.routeDistinguisher(def.rd()));
        List<Any> imports = def.importTargets().stream().map(ExtCommunities::routeTarget).toList();
        List<Any> exports = def.exportTargets().stream().map(ExtCommunities::routeTarget).toList();
        v.addAllImportRt(imports).addAllExportRt(exports);
        client.addVrf(v.build());
        present.put(def.name(), ExtCommunities.rdText(v.getRd()));
        created.add(def.name());
        log.info("sink=gobgp vrf={} rd={} op=add", def.name(), def.rd());
    }

    /** Deletes the VRFs we created that are no longer configured and hold none of our paths. */
    void prune(Set<String> configured, Set<String> inUse) {
        for (String name : Set.copyOf(created)) {
            if (!configured.contains(name) && !inUse.contains(name)) {
                client.deleteVrf(name);
                created.remove(name);
                present.remove(name);
                log.info("sink=gobgp vrf={} op=delete", name);
            }
        }
    }
}
