package net.rrispeaker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.rrispeaker.config.ConfigParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The containerlab topology (docker/containerlab/rri.clab.yml) is valid against the JSON Schema of
 * the containerlab subset it uses, and is the same lab as the network-namespace one the
 * integration tests build: its network namespaces (nodes, with the hub's sidecars joining the
 * hub's), links, addresses, forwarding and daemons are {@link Topology}'s, and its config files
 * are the lab's templates rendered for the containers' paths. Files only, no sockets.
 */
class ContainerlabTopologyTest {
    private static final Path DIR = Path.of(System.getProperty("rri.containerlab.dir", "../docker/containerlab"));
    private static final Pattern ADDR = Pattern.compile("ip addr add (\\S+) dev (\\S+)( nodad)?");
    private static final Pattern STUB = Pattern.compile("ip link add (\\S+) type veth peer name (\\S+)");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Schema schema;
    private static JsonNode clab;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Files.newInputStream(DIR.resolve("clab-topology.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        clab = YAML.readTree(DIR.resolve("rri.clab.yml").toFile());
    }

    private static List<String> errors(JsonNode doc) {
        return schema.validate(doc).stream().map(Error::toString).toList();
    }

    @Test
    void theTopologyFileIsValidAgainstTheSchemaOfTheContainerlabSubset() {
        assertEquals(List.of(), errors(clab));
    }

    @Test
    void theSchemaRefusesWhatItDoesNotKnow() {
        ObjectNode typo = clab.deepCopy();
        ((ObjectNode) typo.at("/topology/nodes/hub")).put("netwrok-mode", "host");
        assertFalse(errors(typo).isEmpty(), "an unknown node key");
        ObjectNode kind = clab.deepCopy();
        ((ObjectNode) kind.at("/topology/nodes/core")).put("kind", "ceos");
        assertFalse(errors(kind).isEmpty(), "a kind outside the subset");
        ObjectNode threeEnds = clab.deepCopy();
        ((ArrayNode) threeEnds.at("/topology/links/0/endpoints")).add("core:x0");
        assertFalse(errors(threeEnds).isEmpty(), "a link with three endpoints");
        ObjectNode noImage = clab.deepCopy();
        ((ObjectNode) noImage.at("/topology/nodes/spoke")).remove("image");
        assertFalse(errors(noImage).isEmpty(), "a node without an image");
        ObjectNode badBind = clab.deepCopy();
        ((ArrayNode) badBind.at("/topology/nodes/spoke/binds")).add("relative:also-relative");
        assertFalse(errors(badBind).isEmpty(), "a bind whose target is not an absolute path");
    }

    /** Node name to the network namespace it lives in: its own, or the one of {@code container:NAME}. */
    private static Map<String, String> namespaces() {
        Map<String, String> ns = new TreeMap<>();
        for (Map.Entry<String, JsonNode> node : clab.at("/topology/nodes").properties()) {
            String mode = node.getValue().path("network-mode").asText("");
            ns.put(node.getKey(), mode.startsWith("container:") ? mode.substring("container:".length()) : node.getKey());
        }
        return ns;
    }

    private static Iterable<Map.Entry<String, JsonNode>> nodes() {
        return new ArrayList<>(clab.at("/topology/nodes").properties());
    }

    @Test
    void theNetworkNamespacesAreTheLabsNodesAndTheHubsSidecarsShareTheHubs() {
        Map<String, String> ns = namespaces();
        assertEquals(new TreeSet<>(Topology.NODES), new TreeSet<>(ns.values()));
        for (Map.Entry<String, String> e : ns.entrySet()) {
            assertTrue(ns.get(e.getValue()).equals(e.getValue()),
                    e.getKey() + " joins " + e.getValue() + ", which must have a namespace of its own");
        }
        Map<String, Set<String>> daemons = new HashMap<>();
        for (Map.Entry<String, JsonNode> node : nodes()) {
            for (String d : node.getValue().at("/labels/rri.daemons").asText("").split("\\s+")) {
                if (!d.isEmpty()) {
                    daemons.computeIfAbsent(ns.get(node.getKey()), k -> new TreeSet<>()).add(d);
                }
            }
        }
        Map<String, Set<String>> expected = new HashMap<>();
        Topology.DAEMONS.forEach((node, list) -> expected.put(node, new TreeSet<>(list)));
        assertEquals(expected, daemons);
    }

    @Test
    void theLinksAreTheLabsVethPairs() {
        Set<Set<String>> links = new HashSet<>();
        for (JsonNode link : clab.at("/topology/links")) {
            links.add(Set.of(link.at("/endpoints/0").asText(), link.at("/endpoints/1").asText()));
        }
        Set<Set<String>> expected = new HashSet<>();
        for (Topology.Link l : Topology.LINKS) {
            expected.add(Set.of(l.a() + ":" + l.ifA(), l.b() + ":" + l.ifB()));
        }
        assertEquals(expected, links);
        assertEquals(Topology.LINKS.size(), clab.at("/topology/links").size(), "no link twice");
    }

    @Test
    void theAddressesStubLansAndForwardingAreTheLabs() {
        Map<String, String> ns = namespaces();
        Set<Topology.Address> addresses = new HashSet<>();
        Set<Topology.StubLan> stubs = new HashSet<>();
        Set<String> routers = new TreeSet<>();
        for (Map.Entry<String, JsonNode> node : nodes()) {
            String where = ns.get(node.getKey());
            for (JsonNode exec : node.getValue().path("exec")) {
                Matcher a = ADDR.matcher(exec.asText());
                if (a.matches()) {
                    Topology.Address addr = new Topology.Address(where, a.group(2), a.group(1));
                    assertEquals(addr.ipv6(), a.group(3) != null, "nodad on IPv6 addresses only (as the lab): " + exec);
                    assertTrue(addresses.add(addr), "twice: " + exec);
                }
                Matcher s = STUB.matcher(exec.asText());
                if (s.matches()) {
                    stubs.add(new Topology.StubLan(where, s.group(1), s.group(2)));
                }
            }
            JsonNode sysctls = node.getValue().path("sysctls");
            if (sysctls.path("net.ipv4.ip_forward").asInt() == 1 && sysctls.path("net.ipv6.conf.all.forwarding").asInt() == 1) {
                routers.add(where);
            }
        }
        assertEquals(new HashSet<>(Topology.ADDRESSES), addresses);
        assertEquals(new HashSet<>(Topology.STUB_LANS), stubs);
        assertEquals(new TreeSet<>(Topology.ROUTERS), routers);
    }

    @Test
    void theConfigFilesAreTheLabsTemplatesRenderedForTheContainersPaths() throws Exception {
        Map<String, String> rendered = new TreeMap<>();
        rendered.put("spoke/swanctl.conf", Template.render("spoke-swanctl.conf.tmpl", Map.of()));
        rendered.put("hub/swanctl.conf", Template.render("hub-swanctl.conf.tmpl", Map.of()));
        rendered.put("spoke/strongswan.lab.conf", Template.render("strongswan.conf.tmpl",
                Map.of("ROLE", "spoke", "DIR", "/run/rri/spoke", "MAKE_BEFORE_BREAK", "yes")));
        rendered.put("hub/strongswan.lab.conf", Template.render("strongswan.conf.tmpl",
                Map.of("ROLE", "hub", "DIR", "/run/rri/hub", "MAKE_BEFORE_BREAK", "no")));
        rendered.put("hub/gobgpd.toml", Template.render("gobgpd.toml.tmpl", Map.of()));
        rendered.put("hub/rri.conf", Template.render("speaker.conf.tmpl", Map.of("LAB", "/run/rri")));
        rendered.put("core/bgpd.conf", Template.render("bgpd.conf.tmpl", Map.of()));
        rendered.put("core/zebra.conf", Template.render("zebra.conf.tmpl", Map.of()));
        for (Map.Entry<String, String> e : rendered.entrySet()) {
            assertEquals(e.getValue(), Files.readString(DIR.resolve(e.getKey())), e.getKey());
        }
        // the speaker's file is one the speaker takes
        ConfigParser.parse("hub/rri.conf", Files.readString(DIR.resolve("hub/rri.conf")));
    }

    @Test
    void everyBoundFileIsInTheRepositoryAndEveryStrongswanConfIncludesTheLabsOne() throws Exception {
        for (Map.Entry<String, JsonNode> node : nodes()) {
            for (JsonNode bind : node.getValue().path("binds")) {
                String source = bind.asText().split(":")[0];
                if (source.equals("lab") || source.startsWith("lab/")) {
                    continue; // the socket directories prepare.sh makes
                }
                assertTrue(Files.isRegularFile(DIR.resolve(source)), node.getKey() + ": " + source + " (expected: a file beside rri.clab.yml)");
            }
        }
        for (String role : List.of("spoke", "hub")) {
            assertTrue(Files.readString(DIR.resolve(role + "/strongswan.conf")).contains("\ninclude /etc/rri/strongswan.lab.conf\n"),
                    role + "/strongswan.conf includes the lab's");
        }
    }
}
