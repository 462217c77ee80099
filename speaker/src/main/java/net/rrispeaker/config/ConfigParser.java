package net.rrispeaker.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.rrispeaker.policy.PolicyParser;
import net.rrispeaker.policy.PolicySet;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigProblem;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.ConfigText;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.model.VrfDefinition;

/**
 * Reads an IOS-style configuration into a {@link Config}.
 *
 * <p>Line oriented, as IOS: blank lines and lines starting with {@code !} are comments; leading
 * whitespace does not matter (Cisco's examples are printed with and without indentation);
 * keywords are case-insensitive. A line the open sub-mode does not know ends that sub-mode and is
 * read as a top-level command; {@code exit} and {@code end} end it too. A line no section knows is an
 * error naming it and the sub-mode it appeared in; that sub-mode stays open, so one typo gives one
 * error. Every problem of the file is collected; if any is an error, {@link ConfigException} carries
 * them all, each {@code file:line: message}. Warnings and ignored (IPsec-only) commands end up in
 * {@link Config#notes()}.
 */
public final class ConfigParser {
    private ConfigParser() {
    }

    /** Reads and parses a file (reading it is the only I/O). */
    public static Config parse(Path file) throws IOException, ConfigException {
        return parse(file.toString(), ConfigText.read(file));
    }

    /**
     * Parses configuration text; {@code fileName} is what messages call it. No I/O: a peer host
     * name ({@code set peer NAME}) stays a name in the {@link Config} (see {@link PeerAddresses}).
     */
    public static Config parse(String fileName, String text) throws ConfigException {
        Problems problems = new Problems();
        RriSection rri = new RriSection();
        GuardSection guard = new GuardSection();
        FrrSection frr = new FrrSection();
        RedundancySection redundancy = new RedundancySection();
        DampeningSection dampening = new DampeningSection();
        BfdSection bfd = new BfdSection();
        CryptoSection crypto = new CryptoSection();
        InterfaceSection interfaces = new InterfaceSection();
        VrfSection vrfs = new VrfSection();
        StaticRouteSection routes = new StaticRouteSection();
        BgpSection bgp = new BgpSection();
        IgpSection igp = new IgpSection();
        PolicyParser policy = new PolicyParser();
        List<ConfigSection> sections = List.of(new GlobalSection(), guard, frr, dampening, redundancy, bfd, rri, crypto,
                new CryptoIgnoredSection(),
                interfaces, vrfs, routes, bgp, igp, policy);

        readLines(fileName, text, sections, problems);

        PolicySet policies = policy.build(problems);
        Map<String, VrfDefinition> vrfMap = vrfs.build();
        CryptoConfig cryptoConfig = new CryptoCompiler(fileName, vrfMap, interfaces.interfaces,
                crypto.isakmpProfiles, policies, problems).compile(crypto, routes, igp);
        RedundancySettings redundancySettings = redundancy.build(fileName, interfaces.interfaces, problems);
        GuardSettings guardSettings = guard.build(fileName, crypto, policies, problems);
        BgpConfig bgpConfig = bgp.build(rri, fileName, problems);
        if (bgpConfig != null) {
            bgpConfig.checkRouteMaps(policies, problems);
        }
        bgp.familyLines.forEach((af, line) -> {
            if (!af.vrf().isEmpty() && !vrfMap.containsKey(af.vrf())) {
                problems.error(fileName, line, "address-family " + af + ": vrf '" + af.vrf() + "' is not defined");
            }
        });

        List<ConfigProblem> all = new ArrayList<>(problems.all());
        all.sort(Comparator.comparingInt(ConfigProblem::line)); // stable: same-line problems keep their order
        if (problems.hasErrors()) {
            throw new ConfigException(all.stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR).toList());
        }
        return new Config(fileName, rri.settings(), cryptoConfig, policies, bgpConfig, all, guardSettings, frr.settings(),
                dampening.settings(), redundancySettings, bfd.settings());
    }

    private static void readLines(String fileName, String text, List<ConfigSection> sections, Problems problems) {
        ConfigSection open = null;
        for (ConfigLine line : ConfigText.lines(fileName, text, problems)) { // bounded: see ConfigText
            String first = line.token(0).toLowerCase(Locale.ROOT);
            if ((first.equals("exit") || first.equals("end")) && line.size() == 1) {
                if (open != null && !(first.equals("exit") && open.subMode(line, problems))) {
                    open.closeSubMode();
                    open = null;
                }
                continue;
            }
            if (open != null && open.subMode(line, problems)) {
                continue;
            }
            ConfigSection claimed = null;
            for (ConfigSection s : sections) {
                if (s.topLevel(line, problems)) {
                    claimed = s;
                    break;
                }
            }
            if (claimed != null) {
                if (open != null && open != claimed) {
                    open.closeSubMode();
                }
                open = claimed;
                continue;
            }
            String context = open == null ? "" : open.context();
            problems.error(line, "unknown command '" + line.token(0) + "'" + (context.isEmpty() ? "" : " in " + context));
        }
    }
}
