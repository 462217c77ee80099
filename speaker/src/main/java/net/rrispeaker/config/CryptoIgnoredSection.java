package net.rrispeaker.config;

import java.util.List;
import java.util.Set;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;

/**
 * The crypto commands that concern IPsec only (IKE policies and keys, transform sets, PKI, Easy VPN
 * clients, IKEv2 blocks): accepted with their sub-mode lines and noted as ignored, so a router's
 * configuration can be pasted as it is.
 */
final class CryptoIgnoredSection implements ConfigSection {

    /** A top-level command prefix and the first words of its sub-mode lines (empty: no sub-mode). */
    private record Block(List<String> prefix, Set<String> subCommands) {
    }

    private static final Set<String> PKI = Set.of("enrollment", "subject-name", "revocation-check", "rsakeypair",
            "serial-number", "fqdn", "ip-address", "password", "crl", "auto-enroll", "certificate", "quit",
            "subject-alt-name", "usage", "ocsp", "storage", "auto-rollover", "eku", "hash", "vrf", "source");
    private static final Set<String> IKEV2 = Set.of("match", "identity", "authentication", "keyring", "encryption",
            "integrity", "group", "peer", "address", "pre-shared-key", "prf", "virtual-template", "dpd", "aaa",
            "lifetime", "nat", "proposal", "description", "hostname", "ivrf", "config-exchange", "pki");

    private static final List<Block> BLOCKS = List.of(
            new Block(List.of("crypto", "isakmp", "policy"),
                    Set.of("encr", "encryption", "hash", "authentication", "group", "lifetime")),
            new Block(List.of("crypto", "isakmp", "client"), Set.of("key", "pool", "dns", "domain", "acl",
                    "save-password", "netmask", "include-local-lan", "max-users", "backup-gateway", "split-dns",
                    "firewall", "banner", "wins", "pfs", "max-logins", "group-lock", "auto-update")),
            new Block(List.of("crypto", "isakmp"), Set.of()),
            new Block(List.of("crypto", "ipsec", "transform-set"), Set.of("mode")),
            new Block(List.of("crypto", "ipsec", "client", "ezvpn"), Set.of("connect", "group", "mode", "peer",
                    "username", "xauth", "virtual-interface", "acl", "local-address", "nem-lan-enable-local-lan",
                    "backup", "flow", "split-tunnel")),
            new Block(List.of("crypto", "ipsec"), Set.of()),
            new Block(List.of("crypto", "pki"), PKI),
            new Block(List.of("crypto", "ca"), PKI),
            new Block(List.of("crypto", "keyring"), Set.of("pre-shared-key", "local-address", "description",
                    "rsa-pubkey", "vrf")),
            new Block(List.of("crypto", "ikev2"), IKEV2),
            new Block(List.of("crypto", "key"), Set.of()),
            new Block(List.of("crypto", "logging"), Set.of()),
            new Block(List.of("crypto", "engine"), Set.of()),
            new Block(List.of("crypto", "call"), Set.of()));

    private Block open;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("crypto")) {
            return false;
        }
        for (Block b : BLOCKS) {
            if (line.startsWith(b.prefix().toArray(new String[0]))) {
                problems.ignored(line, String.join(" ", line.tokens().subList(0, Math.min(line.size(),
                        b.prefix().size() + 1))) + " (" + Ignored.IPSEC_ONLY + ")");
                open = b.subCommands().isEmpty() ? null : b;
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        if (open == null) {
            return false;
        }
        String cmd = line.token(0).toLowerCase();
        if (open.subCommands().contains(cmd) || cmd.equals("no")) {
            return true;
        }
        // a certificate chain's hex data lines
        return open.subCommands() == PKI && line.tokens().stream().allMatch(t -> t.matches("[0-9A-Fa-f]+"));
    }

    @Override
    public void closeSubMode() {
        open = null;
    }

    @Override
    public String context() {
        return open == null ? "" : String.join(" ", open.prefix());
    }
}
