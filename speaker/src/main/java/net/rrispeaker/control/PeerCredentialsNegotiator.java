package net.rrispeaker.control;

import io.grpc.Attributes;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.util.AsciiString;

/**
 * Plaintext gRPC over a Unix socket, plus the caller's kernel credentials: when a connection
 * becomes active, its {@code SO_PEERCRED} (and the process's groups) are read once and put into the
 * transport attributes as {@link ControlAccess#PEER}, where {@link ControlAccess} finds them on
 * every call. gRPC keeps the channel itself out of reach of interceptors; a protocol negotiator is
 * the place where gRPC-Java puts what a transport knows about its peer (as its TLS negotiator puts
 * the SSL session), hence gRPC's {@code Internal*} hooks here.
 */
final class PeerCredentialsNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final AsciiString HTTP = AsciiString.of("http");

    static ServerCredentials credentials() {
        return InternalNettyServerCredentials.create(new PeerCredentialsNegotiator());
    }

    @Override
    public AsciiString scheme() {
        return HTTP;
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        ChannelHandler grpc = InternalProtocolNegotiators.grpcNegotiationHandler(grpcHandler);
        return InternalProtocolNegotiators.waitUntilActiveHandler(new AddPeer(grpc), grpcHandler.getNegotiationLogger());
    }

    @Override
    public void close() {
    }

    /** Adds the peer to the negotiation's attributes, then steps aside for gRPC's own handler. */
    private static final class AddPeer extends ChannelInboundHandlerAdapter {
        private final ChannelHandler next;

        AddPeer(ChannelHandler next) {
            this.next = next;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (!(evt instanceof ProtocolNegotiationEvent pne)) {
                super.userEventTriggered(ctx, evt);
                return;
            }
            Attributes.Builder attrs = InternalProtocolNegotiationEvent.getAttributes(pne).toBuilder();
            UnixPeer peer = UnixPeer.of(ctx.channel());
            if (peer != null) {
                attrs.set(ControlAccess.PEER, peer);
            }
            ctx.pipeline().replace(this, null, next);
            ctx.fireUserEventTriggered(InternalProtocolNegotiationEvent.withAttributes(pne, attrs.build()));
        }
    }
}
