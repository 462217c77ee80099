package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.DockerEngine;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.GobgpObserver;
import net.rrispeaker.lab.GobgpObserver.PathView;
import net.rrispeaker.lab.Lab;
import net.rrispeaker.lab.Template;
import net.rrispeaker.lab.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The container image end to end: docker/build-image.sh builds it (base images made locally, Maven
 * offline against this build's repository) in a private dockerd, and the containerised speaker,
 * with no network of its own, runs beside the lab's real hub charon and gobgpd, which it reaches
 * only through their Unix sockets in a bind-mounted directory, as the compose file and the
 * containerlab topology share them. It runs as the image's non-root user, its HEALTHCHECK
 * (rri-speaker health) turns healthy, a tunnel's routes reach gobgpd and the FRR core, and the
 * health check follows gobgpd going away and coming back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageIT {
    private static final String IMAGE = "rri-speaker:it";
    /** The image's user and group (docker/Dockerfile). */
    private static final int RRI_ID = 10001;
    private static final String IN_CONTAINER = "/run/rri-lab";
    private static final List<String> LANS = List.of(Topology.SPOKE_LAN4, Topology.SPOKE_LAN6);
    private static final Duration CONVERGE = Duration.ofSeconds(30);

    private Lab lab;
    private DockerEngine engine;
    private GobgpObserver gobgp;
    private String container;

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            report(context.getDisplayName());
        }
    };

    @BeforeAll
    void buildImageAndStartLab() {
        try {
            engine = DockerEngine.start();
            Path repo = Path.of(System.getProperty("rri.repo.dir", "..")).toAbsolutePath().normalize();
            List<String> build = new ArrayList<>(List.of(repo.resolve("docker/build-image.sh").toString(),
                    "-t", IMAGE, "--local-bases"));
            String mavenRepo = System.getProperty("rri.maven.repo", "");
            if (!mavenRepo.isEmpty()) {
                build.addAll(List.of("--maven-repo", mavenRepo));
            }
            long t0 = System.nanoTime();
            Exec.Result built = Exec.run(Duration.ofMinutes(25), engine.env(), build);
            assertEquals(0, built.exitCode(), "docker/build-image.sh:\n" + tail(built.stderr(), 60));
            System.out.printf("ContainerImageIT: image built in %d s%n", (System.nanoTime() - t0) / 1_000_000_000);
            lab = Lab.start();
            gobgp = new GobgpObserver(lab.gobgpSocket());
        } catch (RuntimeException | Error e) {
            report("start");
            throw e;
        }
    }

    @AfterAll
    void stopEverything() {
        if (engine != null) {
            engine.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * What charon.group (strongswan.conf) and gobgpd's umask in a setgid socket directory do in
     * the compose file: the sockets are rw for the speaker's group, the lab directory (where the
     * speaker makes its control socket) is writable by it. Charon and gobgpd of the lab run as root
     * with the test's umask.
     */
    private void grantSocketsToTheSpeakersGroup() {
        for (Path p : List.of(lab.dir(), lab.hub().vici(), lab.gobgpSocket())) {
            Exec.run("chgrp", Integer.toString(RRI_ID), p.toString()).check();
        }
        Exec.run("chmod", "0775", lab.dir().toString()).check(); // FRR (user frr) still traverses it
        Exec.run("chmod", "0770", lab.hub().vici().toString(), lab.gobgpSocket().toString()).check();
    }

    private String health() {
        return engine.docker("inspect", "-f", "{{.State.Health.Status}}", container).check().stdout().strip();
    }

    @Test
    @Order(1)
    void theContainerRunsAsTheNonRootUserAndTurnsHealthy() throws Exception {
        grantSocketsToTheSpeakersGroup();
        Path conf = Template.write("speaker.conf.tmpl", Map.of("LAB", IN_CONTAINER), lab.dir().resolve("speaker-container.conf"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        container = "rri-speaker-it-" + ProcessHandle.current().pid();
        engine.run(container, List.of(
                // /tmp must allow exec: Netty unpacks its epoll library there and maps it
                "--network", "none", "--read-only", "--tmpfs", "/tmp:exec", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges",
                "-v", lab.dir() + ":" + IN_CONTAINER,
                "-v", conf + ":/etc/rri/rri.conf:ro",
                // the image's HEALTHCHECK command, checked more often than in production
                "--health-interval", "2s", "--health-retries", "2", "--health-timeout", "10s",
                IMAGE));
        Await.until(Duration.ofSeconds(90), "container health healthy", () -> {
            if (!engine.docker("inspect", "-f", "{{.State.Running}}", container).check().stdout().contains("true")) {
                throw new IllegalStateException("container exited: " + engine.docker("logs", "--tail", "20", container).stderr());
            }
            String s = health();
            if (s.equals("unhealthy")) {
                throw new IllegalStateException("container unhealthy: " + healthLog());
            }
            return s.equals("healthy");
        });
        long pid = Long.parseLong(engine.docker("inspect", "-f", "{{.State.Pid}}", container).check().stdout().strip());
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        assertTrue(status.contains("\nUid:\t" + RRI_ID + "\t" + RRI_ID + "\t" + RRI_ID + "\t" + RRI_ID + "\n"),
                "the speaker's process runs as uid " + RRI_ID + ":\n" + status);
        assertTrue(status.contains("\nGid:\t" + RRI_ID + "\t" + RRI_ID + "\t" + RRI_ID + "\t" + RRI_ID + "\n"),
                "and gid " + RRI_ID + ":\n" + status);
        assertEquals("java", Files.readString(Path.of("/proc/" + pid + "/comm")).strip());
        assertTrue(status.contains("\nCapEff:\t0000000000000000\n"), "no capabilities:\n" + status);
        assertEquals("none\n", engine.docker("inspect", "-f", "{{.HostConfig.NetworkMode}}", container).check().stdout());
        Exec.Result id = engine.docker("exec", container, "id", "-un");
        assertEquals("rri\n", id.stdout(), id.stderr());
    }

    @Test
    @Order(2)
    void aTunnelsRoutesReachGobgpdAndTheCoreThroughTheContainerisedSpeaker() {
        lab.initiate();
        for (String lan : LANS) {
            PathView p = Await.until(CONVERGE, lan + " in gobgpd",
                    () -> gobgp.paths(lan).stream().filter(v -> v.communities().contains("65000:5")).findFirst());
            assertEquals(81, p.localPref(), lan + " LOCAL_PREF (distance 20)");
            Await.until(CONVERGE, lan + " at the core", () -> !lab.core().bgpRoute(lan).isMissingNode());
        }
        Exec.Result show = engine.docker("exec", container, "rri-speaker", "show", "crypto", "route",
                "--config", "/etc/rri/rri.conf");
        assertEquals(0, show.exitCode(), show.stderr());
        assertTrue(show.stdout().contains("10.81.2.0/255.255.255.248 [20/0] via " + Topology.SPOKE_WAN + " RRI tag 5"),
                show.stdout());
        lab.terminate();
        for (String lan : LANS) {
            Await.until(CONVERGE, lan + " withdrawn from gobgpd", () -> gobgp.paths(lan).isEmpty());
        }
    }

    @Test
    @Order(3)
    void theHealthCheckFollowsGobgpdGoingAwayAndComingBack() {
        lab.gobgpd().stop();
        Await.until(Duration.ofSeconds(60), "container health unhealthy", () -> health().equals("unhealthy"));
        assertTrue(healthLog().contains("gobgp  DOWN"), "the health log names gobgpd: " + healthLog());
        lab.gobgpd().start();
        grantSocketsToTheSpeakersGroup(); // the new socket, as gobgpd's umask would make it
        Await.until(Duration.ofSeconds(90), "container health healthy again", () -> health().equals("healthy"));
        assertFalse(engine.docker("inspect", "-f", "{{.State.Restarting}}", container).check().stdout().contains("true"));
    }

    private String healthLog() {
        return engine.docker("inspect", "-f", "{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}\n{{end}}", container).stdout();
    }

    private void report(String what) {
        StringBuilder sb = new StringBuilder("ContainerImageIT ").append(what).append(" failed\n");
        if (engine != null) {
            sb.append(engine.diagnostics()).append('\n');
            if (container != null) {
                Exec.Result logs = engine.docker("logs", "--tail", "40", container);
                sb.append("--- container log\n").append(logs.stdout()).append(logs.stderr()).append('\n');
                sb.append("--- health log\n").append(healthLog()).append('\n');
            }
        }
        if (lab != null) {
            sb.append(lab.diagnostics());
        }
        System.err.println(sb);
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
