package net.rrispeaker.source.vici;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link ViciPacket}s as length-prefixed segments. A packet whose segment would exceed the
 * daemon's 512 KiB bound is refused here (the daemon would silently drop it and never answer).
 */
final class ViciEncoder extends MessageToByteEncoder<ViciPacket> {

    ViciEncoder() {
        super(ViciPacket.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ViciPacket packet, ByteBuf out) {
        encode(packet, out);
    }

    static void encode(ViciPacket packet, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(packet.type().wire());
        if (packet.type().named()) {
            ViciMessageWriter.writeName(packet.name(), out);
        }
        ViciMessageWriter.write(packet.message(), out);
        int length = out.writerIndex() - start - 4;
        if (length > ViciDecoder.MAX_FRAME) {
            out.writerIndex(start);
            throw ViciCodecException.of(packet.type() + " " + packet.name() + " frame length", length, "<= " + ViciDecoder.MAX_FRAME);
        }
        out.setInt(start, length);
    }
}
