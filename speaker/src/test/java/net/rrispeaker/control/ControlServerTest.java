package net.rrispeaker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the control server offers besides the control API: gRPC health and server reflection. */
class ControlServerTest {
    @TempDir
    Path dir;
    private InProcessSpeaker speaker;
    private HealthGrpc.HealthBlockingStub health;

    @BeforeEach
    void start() throws Exception {
        speaker = new InProcessSpeaker(dir, InProcessSpeaker.CONFIG);
        health = HealthGrpc.newBlockingStub(speaker.channel());
    }

    @AfterEach
    void stop() {
        speaker.close();
    }

    private ServingStatus check(String service) {
        return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Test
    void theSpeakerIsServingWhileEveryComponentIsConnectedAndNotWhileOneIsDown() {
        assertEquals(ServingStatus.SERVING, check(""));
        speaker.component("gobgp", false, "DOWN (127.0.0.1:50051)");
        assertEquals(ServingStatus.NOT_SERVING, check(""), "gobgpd unreachable: routes are not getting out");
        speaker.component("gobgp", true, "connected");
        speaker.component("vici", false, "DOWN: connection refused");
        assertEquals(ServingStatus.NOT_SERVING, check(""), "charon unreachable: tunnels are not seen");
        speaker.component("vici", true, "connected");
        assertEquals(ServingStatus.SERVING, check(""));
    }

    @Test
    void theControlApiItselfIsServingEvenWhileAComponentIsDown() {
        speaker.component("vici", false, "DOWN: connection refused");
        assertEquals(ServingStatus.SERVING, check("rri.v1.RriControl"), "show status still answers and says why");
        assertEquals(ServingStatus.NOT_SERVING, check(""));
    }

    @Test
    void anUnknownServiceIsNotFound() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> check("rri.v1.Nope"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    /** One request on the (v1) reflection stream, as grpcurl sends it; its one answer. */
    private ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(speaker.channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        answer.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        return answer.get(5, TimeUnit.SECONDS);
    }

    @Test
    void reflectionListsTheControlApiHealthAndReflectionServices() throws Exception {
        List<String> services = reflect(ServerReflectionRequest.newBuilder().setListServices("").build())
                .getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).sorted().toList();
        assertEquals(List.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection", "rri.v1.RriControl"), services);
    }

    @Test
    void reflectionDescribesTheControlApiSoGrpcurlCanCallIt() throws Exception {
        ServerReflectionResponse r = reflect(
                ServerReflectionRequest.newBuilder().setFileContainingSymbol("rri.v1.RriControl").build());
        FileDescriptorProto file = FileDescriptorProto.parseFrom(r.getFileDescriptorResponse().getFileDescriptorProto(0));
        assertEquals("rri.v1", file.getPackage());
        assertTrue(file.getServiceList().stream().anyMatch(s -> s.getName().equals("RriControl")
                && s.getMethodList().stream().anyMatch(m -> m.getName().equals("ShowCryptoRoute"))), file.toString());
    }
}
