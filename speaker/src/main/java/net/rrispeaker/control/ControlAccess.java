package net.rrispeaker.control;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import net.rrispeaker.config.ControlApiSettings;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call what on the control API; every call of every service (control, health, reflection)
 * passes here first. A caller gets one of three rights:
 *
 * <ul>
 *   <li>{@link Right#CONTROL} (everything, {@code reload} included): over the Unix socket root and
 *       the speaker's own user, the same users who could send it SIGHUP; over TCP every client,
 *       since TLS admitted only clients whose certificate the configured client CA signed.</li>
 *   <li>{@link Right#READ} (show, status, health, reflection): over the Unix socket the members of
 *       {@code rri control-api ... group NAME}.</li>
 *   <li>{@link Right#NONE}: everyone else, and any connection without credentials.</li>
 * </ul>
 *
 * {@code Publish} (SA events into the core) is apart from these: only a caller named by an
 * {@code rri control-api publisher uid N} line (Unix socket) or {@code publisher cn NAME} line
 * (the subject CN of its TLS client certificate) may call it, whatever else it may do; root and
 * the speaker's own user are not implied. The rules that admitted the caller go with the call
 * ({@link #PUBLISHER}), for the publisher-name restriction the hello is checked against.
 *
 * A call beyond the caller's right ends with {@code PERMISSION_DENIED}, is counted
 * ({@link Meters#CONTROL_DENIED}) and logged (at most one warning per {@link #LOG_EVERY_NANOS}, so a
 * local user cannot flood the log).
 */
final class ControlAccess implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(ControlAccess.class);
    /** The peer's kernel credentials, set on each Unix socket connection by {@link PeerCredentialsNegotiator}. */
    static final Attributes.Key<UnixPeer> PEER = Attributes.Key.create("rri.control.unix-peer");
    static final long LOG_EVERY_NANOS = 10_000_000_000L;

    enum Right { NONE, READ, CONTROL }

    /** Who a publishing caller is, and the names it may publish under (null entries: any). */
    record Publishing(String caller, List<ControlApiSettings.Publisher> rules) {
        boolean allows(String publisherName) {
            return rules.stream().anyMatch(r -> r.allowsName(publisherName));
        }
    }

    /** Set on a {@code Publish} call that passed: who called, under which rules. */
    static final Context.Key<Publishing> PUBLISHER = Context.key("rri.control.publisher");

    private final int ownerUid;
    private final int groupGid;
    private final String groupName;
    private final MeterRegistry registry;
    private final List<ControlApiSettings.Publisher> publishers;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    /**
     * @param ownerUid  the speaker's own user id (besides root, the only one that gets {@link Right#CONTROL})
     * @param groupGid  the group whose members get {@link Right#READ}; negative: none
     * @param groupName its name, for messages
     */
    ControlAccess(int ownerUid, int groupGid, String groupName, MeterRegistry registry) {
        this(ownerUid, groupGid, groupName, registry, List.of());
    }

    /** @param publishers the {@code rri control-api publisher} rules: who may call {@code Publish} */
    ControlAccess(int ownerUid, int groupGid, String groupName, MeterRegistry registry,
                  List<ControlApiSettings.Publisher> publishers) {
        this.ownerUid = ownerUid;
        this.groupGid = groupGid;
        this.groupName = groupName;
        this.registry = registry;
        this.publishers = List.copyOf(publishers);
    }

    MeterRegistry registry() {
        return registry;
    }

    static boolean isPublish(String fullMethodName) {
        return RriControlGrpc.getPublishMethod().getFullMethodName().equals(fullMethodName);
    }

    /** The publisher rules that admit the caller these transport attributes describe; empty: none. */
    Publishing publishingOf(Attributes transport) {
        SSLSession tls = transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (tls != null) {
            String cn = commonName(tls);
            if (cn == null) {
                return new Publishing("a TLS client without a certificate CN", List.of());
            }
            return new Publishing("TLS client CN " + cn,
                    publishers.stream().filter(p -> cn.equals(p.cn())).toList());
        }
        UnixPeer peer = transport.get(PEER);
        if (peer == null) {
            return new Publishing("a connection without credentials", List.of());
        }
        long uid = Integer.toUnsignedLong(peer.uid());
        return new Publishing(peer.toString(), publishers.stream().filter(p -> p.cn() == null && p.uid() == uid).toList());
    }

    /** The subject CN of the TLS peer's certificate, or null. */
    static String commonName(SSLSession tls) {
        try {
            Certificate[] chain = tls.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
                return null;
            }
            for (Rdn rdn : new LdapName(x.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return null;
        }
    }

    private <Q, R> ServerCall.Listener<Q> interceptPublish(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next, Attributes transport) {
        Publishing who = publishingOf(transport);
        if (!who.rules().isEmpty()) {
            return Contexts.interceptCall(Context.current().withValue(PUBLISHER, who), call, headers, next);
        }
        String why = who.caller() + " may not publish SA events to this speaker (allowed: "
                + (publishers.isEmpty() ? "nobody; add 'rri control-api publisher uid N' or 'publisher cn NAME'"
                : publishers.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", "))) + ")";
        return refuse(call, "publish", "not-publisher", why);
    }

    /** What a call of {@code fullMethodName} needs: {@code reload} changes the speaker, the rest only reads. */
    static Right needs(String fullMethodName) {
        return RriControlGrpc.getReloadMethod().getFullMethodName().equals(fullMethodName)
                || RriControlGrpc.getVrrpNotifyMethod().getFullMethodName().equals(fullMethodName)
                ? Right.CONTROL : Right.READ;
    }

    /** The right of whoever is at the other end of the connection these transport attributes describe. */
    Right rightOf(Attributes transport) {
        SSLSession tls = transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (tls != null) {
            try {
                return tls.getPeerCertificates().length > 0 ? Right.CONTROL : Right.NONE;
            } catch (SSLPeerUnverifiedException e) {
                return Right.NONE;
            }
        }
        UnixPeer peer = transport.get(PEER);
        if (peer == null) {
            return Right.NONE;
        }
        if (peer.uid() == 0 || peer.uid() == ownerUid) {
            return Right.CONTROL;
        }
        return groupGid >= 0 && peer.inGroup(groupGid) ? Right.READ : Right.NONE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Attributes transport = call.getAttributes() == null ? Attributes.EMPTY : call.getAttributes();
        if (isPublish(method)) {
            return interceptPublish(call, headers, next, transport);
        }
        Right needed = needs(method);
        Right has = rightOf(transport);
        if (has.compareTo(needed) >= 0) {
            return next.startCall(call, headers);
        }
        UnixPeer peer = transport.get(PEER);
        String reason;
        String why;
        if (peer == null) {
            reason = "no-credentials";
            why = "this connection carries no caller credentials";
        } else if (has == Right.READ) {
            reason = "read-only";
            why = peer + " (group " + groupName + ") may read but not reload; reload needs root or the speaker's user (uid "
                    + ownerUid + ")";
        } else {
            reason = "not-allowed";
            why = peer + " may not use this speaker's control API (allowed: root, the speaker's user uid " + ownerUid
                    + (groupGid >= 0 ? ", and members of group " + groupName + " to read" : "") + ")";
        }
        return refuse(call, needed.name().toLowerCase(), reason, why);
    }

    private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String access, String reason, String why) {
        Counter.builder(Meters.CONTROL_DENIED).tag("access", access).tag("reason", reason)
                .register(registry).increment();
        logRefusal(call.getMethodDescriptor().getFullMethodName(), why);
        call.close(Status.PERMISSION_DENIED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private void logRefusal(String method, String why) {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            long more = unlogged.getAndSet(0);
            log.warn("control API: refused {}: {}{}", method, why,
                    more > 0 ? " (and " + more + " more refusals since the last warning)" : "");
        } else {
            unlogged.incrementAndGet();
            log.debug("control API: refused {}: {}", method, why);
        }
    }
}
