package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * strongSwan's charon in one lab namespace, with its own strongswan.conf (STRONGSWAN_CONF), its
 * own {@code /run} (the pid file path is compiled in: a private dir is bind-mounted over /run in
 * the {@code ip netns exec} mount namespace) and its VICI socket in the lab dir.
 *
 * <p>A plugin named in a {@code load} list that is not installed does not stop charon or swanctl:
 * they log it and run without it, and the lab would fail much later (an openssl-less charon
 * answers every CHILD_SA with NO_PROPOSAL_CHOSEN). So {@link #start()} compares each {@code load}
 * list of the rendered strongswan.conf with what actually loaded and refuses to go on, naming the
 * missing plugins and the Debian packages that ship them.
 */
public final class Charon {
    private static final String CHARON = "/usr/lib/ipsec/charon";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    /**
     * strongSwan plugin -> the Debian 12 package that ships it (strongSwan 5.9.8-5+deb12u6). Made
     * with {@code dpkg -L PACKAGE | grep 'plugins/libstrongswan-.*\.so$'} for each installed package
     * libstrongswan, libstrongswan-standard-plugins, libcharon-extra-plugins, strongswan-charon (ships
     * no plugin, only the daemon), strongswan-libcharon and strongswan-swanctl (vici); plugins of other
     * packages are not listed.
     */
    private static final Map<String, String> PLUGIN_PACKAGES = packages(Map.of(
            "libstrongswan", "aes attr constraints dnskey drbg fips-prf gmp hmac kdf kernel-netlink md5 mgf1"
                    + " nonce pem pgp pkcs1 pkcs12 pkcs7 pkcs8 pubkey random rc2 resolve revocation sha1 sha2"
                    + " sshkey x509 xcbc",
            "libstrongswan-standard-plugins", "aesni agent connmark gcm openssl",
            "libcharon-extra-plugins", "addrblock certexpire dhcp eap-aka eap-gtc eap-identity eap-md5"
                    + " eap-radius eap-tls eap-tnc eap-ttls error-notify farp forecast ha kernel-libipsec led"
                    + " lookip tnc-tnccs unity xauth-eap xauth-pam",
            "strongswan-libcharon", "bypass-lan counters socket-default updown",
            "strongswan-swanctl", "vici"));

    private final String role;
    private final Netns ns;
    private final Path dir;
    private final Processes processes;
    private Daemon daemon;
    private boolean swanctlPluginsChecked;

    Charon(String role, Netns ns, Path dir, boolean makeBeforeBreak, String swanctlTemplate, Processes processes) {
        this(role, ns, dir, makeBeforeBreak, swanctlTemplate, Map.of(), processes);
    }

    /** With the swanctl.conf template rendered with {@code vars} added (e.g. per-node addresses). */
    Charon(String role, Netns ns, Path dir, boolean makeBeforeBreak, String swanctlTemplate, Map<String, String> vars,
            Processes processes) {
        this.role = role;
        this.ns = ns;
        this.dir = dir;
        this.processes = processes;
        try {
            Files.createDirectories(dir.resolve("run"));
            for (String sub : List.of("x509", "x509ca", "x509ocsp", "x509aa", "x509ac", "x509crl", "pubkey",
                    "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12")) {
                Files.createDirectories(dir.resolve("swanctl").resolve(sub));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Template.write("strongswan.conf.tmpl", Map.of("ROLE", role, "DIR", dir.toString(),
                "MAKE_BEFORE_BREAK", makeBeforeBreak ? "yes" : "no"), strongswanConf());
        Template.write(swanctlTemplate, vars, dir.resolve("swanctl/swanctl.conf"));
    }

    public Path vici() {
        return dir.resolve("charon.vici");
    }

    public Path log() {
        return dir.resolve("charon.log");
    }

    public Netns netns() {
        return ns;
    }

    private Path strongswanConf() {
        return dir.resolve("strongswan.conf");
    }

    /**
     * Starts charon, waits until VICI answers, checks that every plugin of the {@code load} lists
     * (sections {@code charon} and {@code swanctl}) loaded, then loads connections and secrets.
     */
    public void start() {
        if (daemon != null && daemon.alive()) {
            throw new IllegalStateException(role + " charon: running (expected: stopped)");
        }
        if (!swanctlPluginsChecked) {
            // swanctl --help prints "loaded plugins: ..." of swanctl itself; stderr says why one failed
            List<String> cmd = ns.wrap(List.of("swanctl", "--help"));
            Exec.Result help = Exec.run(Duration.ofSeconds(30), Map.of("STRONGSWAN_CONF", strongswanConf().toString()), cmd);
            checkPlugins("swanctl", help.stdout(), help.stderr());
            swanctlPluginsChecked = true;
        }
        try {
            Files.deleteIfExists(dir.resolve("run/charon.pid"));
            Files.deleteIfExists(vici());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon = processes.start("charon-" + role, dir.resolve("charon.stdout"), Map.of(), ns.wrap(List.of(
                "sh", "-c", "mount --bind \"$1\" /run && exec env STRONGSWAN_CONF=\"$2\" \"$3\"",
                "charon", dir.resolve("run").toString(), strongswanConf().toString(), CHARON)));
        Await.until(START_TIMEOUT, role + " charon answering on " + vici(), () -> {
            if (!daemon.alive()) {
                throw new IllegalStateException(role + " charon exited: " + daemon.logTail(5));
            }
            return Files.exists(vici()) && swanctl("--stats").ok();
        });
        Exec.Result stats = swanctl("--stats").check();
        try {
            checkPlugins("charon", stats.stdout(), charonLog());
        } catch (IllegalStateException e) {
            stop();
            throw e;
        }
        swanctl("--load-all", "--file", dir.resolve("swanctl/swanctl.conf").toString()).check();
    }

    /**
     * Throws unless every plugin that section {@code section} of the rendered strongswan.conf
     * {@code load}s is on the {@code loaded plugins:} line of {@code output}. The message names
     * each missing plugin with its Debian package and quotes what strongSwan said about it
     * ({@code plugin 'NAME': failed to load - ...}) from {@code why}.
     */
    private void checkPlugins(String section, String output, String why) {
        String conf;
        try {
            conf = Files.readString(strongswanConf());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> wanted = loadList(conf, section);
        Set<String> loaded = loadedPlugins(output);
        if (loaded == null) {
            throw new IllegalStateException(role + " " + section + ": no 'loaded plugins:' line in its output"
                    + " (expected one, to check the load list of " + strongswanConf() + ")\n" + output.strip());
        }
        List<String> missing = wanted.stream().filter(p -> !loaded.contains(p)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missingPluginsMessage(role + " " + section, strongswanConf(), missing, why));
        }
    }

    /** The message for plugins of a load list that did not load: each with its package, then how to install. */
    private static String missingPluginsMessage(String who, Path conf, List<String> missing, String why) {
        StringBuilder m = new StringBuilder(who).append(": strongSwan plugin");
        m.append(missing.size() == 1 ? " " : "s ").append(String.join(", ", missing));
        m.append(missing.size() == 1 ? " is" : " are").append(" in the load list of ").append(conf)
                .append(" but did not load (expected: every plugin of the list loaded).");
        Set<String> packages = new TreeSet<>();
        for (String p : missing) {
            String pkg = PLUGIN_PACKAGES.get(p);
            m.append("\n  ").append(p).append(": ");
            if (pkg != null) {
                packages.add(pkg);
                m.append("Debian package ").append(pkg);
            } else {
                m.append("not shipped by the strongSwan packages the lab installs (a misspelt plugin name? if not,"
                        + " apt-file search libstrongswan-" + p + ".so names its package)");
            }
            String quoted = "plugin '" + p + "'";
            why.lines().filter(l -> l.contains(quoted)).findFirst()
                    .ifPresent(l -> m.append("; strongSwan says: ").append(l.substring(l.indexOf(quoted)).strip()));
        }
        if (!packages.isEmpty()) {
            m.append("\nInstall: apt-get install ").append(String.join(" ", packages))
                    .append(" (test.sh and demo.sh install them when missing)");
        }
        return m.toString();
    }

    /**
     * The plugin names of {@code load = ...} directly inside top-level section {@code section} of a
     * strongswan.conf (comments and nested sections skipped; a trailing {@code !}, which marks a
     * critical plugin, removed); empty when the section has no load list.
     */
    private static List<String> loadList(String conf, String section) {
        List<String> path = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (String raw : conf.split("\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.endsWith("{")) {
                path.add(line.substring(0, line.length() - 1).strip());
            } else if (line.equals("}")) {
                if (!path.isEmpty()) {
                    path.remove(path.size() - 1);
                }
            } else if (path.equals(List.of(section)) && line.matches("load\\s*=.*")) {
                for (String p : line.substring(line.indexOf('=') + 1).strip().split("\\s+")) {
                    if (!p.isEmpty()) {
                        out.add(p.endsWith("!") ? p.substring(0, p.length() - 1) : p);
                    }
                }
            }
        }
        return out;
    }

    /** The names on the {@code loaded plugins: ...} line, or {@code null} if there is none. */
    private static Set<String> loadedPlugins(String output) {
        return output.lines().map(String::strip).filter(l -> l.startsWith("loaded plugins:")).findFirst()
                .map(l -> Arrays.stream(l.substring("loaded plugins:".length()).strip().split("\\s+"))
                        .filter(p -> !p.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new)))
                .orElse(null);
    }

    private static Map<String, String> packages(Map<String, String> pluginsByPackage) {
        Map<String, String> out = new java.util.HashMap<>();
        pluginsByPackage.forEach((pkg, plugins) -> {
            for (String p : plugins.split(" ")) {
                out.put(p, pkg);
            }
        });
        return Map.copyOf(out);
    }

    /** charon's file log and its stdout/stderr, where it says why a plugin failed to load. */
    private String charonLog() {
        StringBuilder s = new StringBuilder();
        for (Path p : List.of(log(), dir.resolve("charon.stdout"))) {
            try {
                if (Files.exists(p)) {
                    s.append(Files.readString(p)).append('\n');
                }
            } catch (IOException e) {
                // best effort: the check itself does not need the reason
            }
        }
        return s.toString();
    }

    /**
     * Appends the rendered template {@code name} (more {@code connections} and {@code secrets};
     * strongSwan merges repeated sections) to this charon's swanctl.conf, so every later
     * {@link #start()} loads it too, and loads it now if charon is running.
     */
    public void addSwanctlConfig(String name, Map<String, String> vars) {
        Path conf = dir.resolve("swanctl/swanctl.conf");
        try {
            Files.writeString(conf, "\n" + Template.render(name, vars), java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (alive()) {
            swanctl("--load-all", "--file", conf.toString()).check();
        }
    }

    /** SIGTERM (charon says goodbye to its peers and subscribers), bounded wait, then SIGKILL. */
    public void stop() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(10));
        }
    }

    /** SIGKILL: a dead peer that sends nothing more, for DPD. */
    public void kill() {
        if (daemon != null) {
            daemon.kill();
        }
    }

    public void restart() {
        stop();
        start();
    }

    public boolean alive() {
        return daemon != null && daemon.alive();
    }

    /** The running daemon (for signals such as SIGSTOP), or null before the first start. */
    public Daemon daemon() {
        return daemon;
    }

    /** {@code swanctl ARGS... --uri unix://VICI} against this charon, 30 s deadline, unchecked. */
    public Exec.Result swanctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("swanctl"));
        cmd.addAll(Arrays.asList(args));
        cmd.add("--uri");
        cmd.add("unix://" + vici());
        return Exec.run(Duration.ofSeconds(30), Map.of("STRONGSWAN_CONF", strongswanConf().toString()), ns.wrap(cmd));
    }

    @Override
    public String toString() {
        return role + " charon " + daemon;
    }
}
