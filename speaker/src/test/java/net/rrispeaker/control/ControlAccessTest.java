package net.rrispeaker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import net.rrispeaker.control.api.ReloadRequest;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.StatusRequest;
import net.rrispeaker.metrics.Meters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call what: the control server in-process, each connection carrying the kernel
 * credentials the test makes up (what {@link PeerCredentialsNegotiator} reads from a real Unix
 * socket; {@code UnixControlSocketTest} does it for real).
 */
class ControlAccessTest {
    private static final int OWNER = InProcessSpeaker.OWNER_UID;
    private static final int GROUP = InProcessSpeaker.GROUP_GID;

    @TempDir
    Path dir;
    private InProcessSpeaker speaker;

    @BeforeEach
    void start() throws Exception {
        speaker = new InProcessSpeaker(dir, InProcessSpeaker.CONFIG);
    }

    @AfterEach
    void stop() {
        speaker.close();
    }

    private RriControlGrpc.RriControlBlockingStub as(UnixPeer who) {
        speaker.caller(who);
        return RriControlGrpc.newBlockingStub(speaker.channel());
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private double denied(String access, String reason) {
        var c = speaker.registry().find(Meters.CONTROL_DENIED).tag("access", access).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void rootAndTheSpeakersOwnUserMayReadAndReload() throws Exception {
        for (UnixPeer who : new UnixPeer[] {InProcessSpeaker.peer(0, 0), InProcessSpeaker.peer(OWNER, 100)}) {
            RriControlGrpc.RriControlBlockingStub stub = as(who);
            assertEquals(Status.Code.OK, code(() -> stub.status(StatusRequest.getDefaultInstance())), who.toString());
            assertTrue(stub.reload(ReloadRequest.getDefaultInstance()).getApplied(), who.toString());
        }
    }

    @Test
    void anotherUserIsRefusedEverythingWithPermissionDeniedNamingItsUid() {
        RriControlGrpc.RriControlBlockingStub stub = as(InProcessSpeaker.peer(1000, 1000));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.status(StatusRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals("uid 1000 gid 1000 pid 4242 may not use this speaker's control API (allowed: root, the speaker's "
                + "user uid " + OWNER + ", and members of group rri to read)", e.getStatus().getDescription());
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> stub.reload(ReloadRequest.getDefaultInstance())));
        // health and reflection are behind the same door
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> HealthGrpc.newBlockingStub(speaker.channel())
                .check(HealthCheckRequest.getDefaultInstance())));
        assertEquals(1, denied("control", "not-allowed"));
        assertEquals(2, denied("read", "not-allowed"));
    }

    @Test
    void aReloadByAnotherUserChangesNothing() throws Exception {
        Files.writeString(speaker.file, "rri withdraw-delay 0\nip route 10.77.0.0 255.255.0.0 Null0\n");
        RriControlGrpc.RriControlBlockingStub stranger = as(InProcessSpeaker.peer(1000, 1000));
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> stranger.reload(ReloadRequest.getDefaultInstance())));
        speaker.settle();
        assertTrue(speaker.speaker().read(v -> v.routes().stream().noneMatch(r -> r.prefix().toString()
                .equals("10.77.0.0/16"))).get(), "the half-finished edit was not applied");
    }

    @Test
    void membersOfTheGroupMayReadButNotReload() {
        for (UnixPeer member : new UnixPeer[] {InProcessSpeaker.peer(1000, GROUP),
                new UnixPeer(4243, 1001, 1001, Set.of(27, GROUP))}) {
            RriControlGrpc.RriControlBlockingStub stub = as(member);
            assertEquals(Status.Code.OK, code(() -> stub.status(StatusRequest.getDefaultInstance())), member.toString());
            assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(speaker.channel())
                    .check(HealthCheckRequest.newBuilder().setService("rri.v1.RriControl").build()).getStatus());
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> stub.reload(ReloadRequest.getDefaultInstance()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().endsWith("(group rri) may read but not reload; reload needs root "
                    + "or the speaker's user (uid " + OWNER + ")"), e.getStatus().getDescription());
        }
        assertEquals(2, denied("control", "read-only"));
    }

    @Test
    void aConnectionWithoutCredentialsIsRefused() {
        RriControlGrpc.RriControlBlockingStub stub = as(null);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.status(StatusRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals("this connection carries no caller credentials", e.getStatus().getDescription());
        assertEquals(1, denied("read", "no-credentials"));
    }

    @Test
    void onlyReloadAndVrrpNotifyNeedMoreThanRead() {
        assertEquals(ControlAccess.Right.CONTROL, ControlAccess.needs("rri.v1.RriControl/Reload"));
        assertEquals(ControlAccess.Right.CONTROL, ControlAccess.needs("rri.v1.RriControl/VrrpNotify"),
                "a state change of keepalived changes what the speaker announces");
        for (String m : new String[] {"rri.v1.RriControl/ShowCryptoRoute", "rri.v1.RriControl/ShowSa",
                "rri.v1.RriControl/Status", "grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch",
                "grpc.reflection.v1.ServerReflection/ServerReflectionInfo"}) {
            assertEquals(ControlAccess.Right.READ, ControlAccess.needs(m), m);
        }
    }

    @Test
    void supplementaryGroupsComeFromTheProcessOnlyWhileItIsStillTheSameUser(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("77"));
        Files.writeString(proc.resolve("77/status"), "Name:\tshow\nUid:\t1000\t1000\t1000\t1000\n"
                + "Gid:\t1000\t1000\t1000\t1000\nGroups:\t4 27 991 \n");
        assertEquals(Set.of(4, 27, 991), UnixPeer.supplementaryGroups(proc, 77, 1000));
        assertEquals(Set.of(), UnixPeer.supplementaryGroups(proc, 77, 1001), "pid now another user's: no groups");
        assertEquals(Set.of(), UnixPeer.supplementaryGroups(proc, 78, 1000), "process gone: no groups");
        assertEquals(Set.of(), UnixPeer.supplementaryGroups(proc, 0, 1000), "pid not visible: no groups");
    }
}
