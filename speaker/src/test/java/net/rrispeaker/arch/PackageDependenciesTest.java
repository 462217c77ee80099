package net.rrispeaker.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The speaker's packages form a directed acyclic graph that follows the data:
 *
 * <pre>
 *   model, metrics, retry        leaves: value types, meters, reconnect backoff
 *   dampening                    leaf: route-flap penalties of remote peers (pure, clock-driven)
 *   ios                          IOS-syntax helpers                       (model)
 *   policy                       ACLs, prefix-lists, route-maps          (model, ios)
 *   config                       the IOS configuration                    (policy, model, ios)
 *   source                       IPsec event sources -> SA events          (model, metrics, retry)
 *     source.vici                  strongSwan's VICI socket (Netty)
 *     source.libreswan             pluto's updown environment and status listings -> SAs (text only)
 *   engine                       SAs + config -> routes                   (config, policy, model, ios)
 *   redistribution               routes + router bgp + route-maps -> paths (config, policy, model, ios)
 *   guard                        which SA routes may be announced          (engine, config, policy, model)
 *   paths                        route table -> desired BGP paths          (engine, redistribution, policy, model)
 *   sink                         paths -> routing daemons                  (config, model, metrics, retry)
 *     sink.gobgp                   BGP paths -> gobgpd (gRPC)
 *     sink.frr                     routes -> FRR staticd (vtysh); no gRPC, no GoBGP types
 *   bfd                          gobgpd's neighbours -> FRR bfdd peers     (sink, config, model, metrics, retry)
 *   core                         the one-writer loop joining the stages
 *   control, cli                 the control API and the command line
 * </pre>
 *
 * Each package may use only the packages listed for it; a new edge is a design decision made
 * here, on purpose, not by an import that happened to compile.
 */
class PackageDependenciesTest {
    private static final String ROOT = "net.rrispeaker";
    /** Package (directly under {@link #ROOT}, with its sub-packages) to the packages it may use. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        allow("model");
        // the token helpers read addresses and prefixes into model's value types, checking their
        // shape first: one place where config and policy text becomes an InetAddress or a Prefix
        allow("ios", "model");
        allow("metrics");
        allow("policy", "model", "ios");
        allow("config", "policy", "model", "ios");
        allow("retry");
        allow("redundancy");       // keepalived's notifications (VRRP states), parsed; no routing knowledge
        // pure and clock-driven: penalties, suppression and reuse of flapping peers (RFC 2439)
        allow("dampening");
        // source.libreswan is under the same rule, and narrower still (libreswanSourceIsTextOnly)
        allow("source", "model", "metrics", "retry");
        allow("engine", "config", "policy", "model", "ios");
        allow("redistribution", "config", "policy", "model", "ios");
        // pure: SA routes judged against untrusted-selector rules and against other peers' claims;
        // it asks the engine what an SA justifies and reads the guard settings, pools and crypto ACLs
        allow("guard", "engine", "config", "policy", "model");
        // pure: the route table's best routes, redistributed; decisions and conflicts go to the caller
        allow("paths", "engine", "redistribution", "policy", "model");
        allow("gobgp", "model");   // generated GoBGP API stubs
        allow("sink", "gobgp", "config", "model", "metrics", "retry");
        // BFD for gobgpd's neighbours: lists them through sink.gobgp (no GoBGP API types here),
        // drives bfdd through sink.frr's vtysh
        allow("bfd", "sink", "config", "model", "metrics", "retry");
        allow("core", "source", "engine", "guard", "redistribution", "paths", "sink", "config", "policy", "model",
                "metrics", "dampening", "redundancy");
        allow("control", "core", "source", "engine", "guard", "bfd", "config", "model", "ios", "metrics", "dampening",
                "redundancy");
        allow("cli", "control", "core", "source", "engine", "redistribution", "sink", "bfd", "config", "policy",
                "model", "ios", "metrics", "redundancy");
    }

    private static JavaClasses classes;

    private static void allow(String pkg, String... uses) {
        ALLOWED.put(pkg, Set.of(uses));
    }

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void everyPackageHasItsRules() {
        Set<String> seen = new TreeSet<>();
        classes.forEach(c -> {
            String rest = c.getPackageName().startsWith(ROOT + ".") ? c.getPackageName().substring(ROOT.length() + 1) : "";
            if (!rest.isEmpty()) {
                seen.add(rest.split("\\.")[0]);
            }
        });
        seen.removeAll(ALLOWED.keySet());
        if (!seen.isEmpty()) {
            throw new AssertionError("packages without dependency rules in " + PackageDependenciesTest.class.getSimpleName()
                    + ": " + seen + " (add them to ALLOWED: what may they use?)");
        }
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    /** The FRR sink takes routes, not BGP paths: it needs neither the GoBGP sink nor gRPC. */
    @Test
    void frrSinkStandsBesideTheGobgpSink() {
        noClasses().that().resideInAPackage(ROOT + ".sink.frr..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".sink.gobgp..", ROOT + ".gobgp..", "io.grpc..")
                .because("sink.frr drives FRR through vtysh with model.Route; the two sinks are independent")
                .check(classes);
        noClasses().that().resideInAPackage(ROOT + ".sink.gobgp..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".sink.frr..")
                .because("the two sinks are independent")
                .check(classes);
    }

    /**
     * libreswan's hook environment and status listings become SAs by pure text work; the CLI runs
     * the commands and publishes. So the parser is testable line by line and cannot reach a socket.
     */
    @Test
    void libreswanSourceIsTextOnly() {
        noClasses().that().resideInAPackage(ROOT + ".source.libreswan..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "com.google.protobuf..", "io.netty..",
                        "java.io..", "java.nio.file..", "java.net..", ROOT + ".source.vici..", ROOT + ".model..",
                        ROOT + ".metrics..", ROOT + ".retry..")
                .because("source.libreswan turns pluto's text into records; cli runs pluto's commands and publishes")
                .check(classes);
    }

    static List<String> packages() {
        return List.copyOf(ALLOWED.keySet());
    }

    @ParameterizedTest(name = "{0} uses only what it may")
    @MethodSource("packages")
    void packageUsesOnlyWhatItMay(String pkg) {
        Set<String> allowed = ALLOWED.get(pkg);
        String[] forbidden = ALLOWED.keySet().stream()
                .filter(other -> !other.equals(pkg) && !allowed.contains(other))
                .map(other -> ROOT + "." + other + "..")
                .toArray(String[]::new);
        noClasses().that().resideInAPackage(ROOT + "." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because(pkg + " may use only " + (allowed.isEmpty() ? "the JDK and libraries" : allowed))
                .check(classes);
    }
}
