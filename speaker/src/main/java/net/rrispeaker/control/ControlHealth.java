package net.rrispeaker.control;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import java.util.function.Supplier;
import net.rrispeaker.control.api.RriControlGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}) fed from the same component
 * states {@code show status} prints.
 *
 * <ul>
 *   <li>{@code ""} (the whole server): {@code SERVING} while every component (VICI source, GoBGP
 *       sink) is connected, {@code NOT_SERVING} while any is not.</li>
 *   <li>{@code rri.v1.RriControl}: {@code SERVING} while the control API answers, whatever the
 *       components say ({@code show status} tells which one is down).</li>
 * </ul>
 *
 * The state is read again before every health call and every {@link #REFRESH_SECONDS} seconds
 * for clients that {@code Watch}; after {@link #shutdown()} everything is {@code NOT_SERVING}. While
 * the speaker is starting (the socket is claimed before the rest starts) both are {@code NOT_SERVING}.
 */
final class ControlHealth {
    private static final Logger log = LoggerFactory.getLogger(ControlHealth.class);
    /** How often watchers are told about a change that no health call triggered. */
    static final long REFRESH_SECONDS = 1;

    private final HealthStatusManager manager = new HealthStatusManager();
    private Supplier<List<ComponentHealth>> components = () -> List.of(STARTING);
    private ServingStatus last;

    ControlHealth() {
        manager.setStatus(RriControlGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
        refresh();
    }

    /** The control API answers from now on; the whole speaker's health follows {@code components}. */
    synchronized void serving(Supplier<List<ComponentHealth>> components) {
        this.components = components;
        manager.setStatus(RriControlGrpc.SERVICE_NAME, ServingStatus.SERVING);
        refresh();
    }

    private static final ComponentHealth STARTING = new ComponentHealth() {
        @Override
        public String name() {
            return "speaker";
        }

        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public String detail() {
            return "starting";
        }
    };

    /** Reads the components and publishes the overall status; returns it. */
    synchronized ServingStatus refresh() {
        ServingStatus now;
        try {
            now = components.get().stream().allMatch(ComponentHealth::connected)
                    ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        } catch (RuntimeException e) {
            log.warn("health: reading the components' state failed, reporting NOT_SERVING: {}", e.toString());
            now = ServingStatus.NOT_SERVING;
        }
        if (now != last) {
            manager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, now);
            last = now;
        }
        return now;
    }

    /** The health service; each call first refreshes the status so a {@code Check} is never stale. */
    ServerServiceDefinition service() {
        return ServerInterceptors.intercept(manager.getHealthService(), new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                refresh();
                return next.startCall(call, headers);
            }
        });
    }

    /** Everything {@code NOT_SERVING} from now on (the server is going away). */
    synchronized void shutdown() {
        manager.enterTerminalState();
    }
}
