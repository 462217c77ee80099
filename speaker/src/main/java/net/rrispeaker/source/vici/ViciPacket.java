package net.rrispeaker.source.vici;

import java.util.Objects;

/**
 * One VICI segment: a packet type, a name for the named types (commands and events) and a
 * message for the types that carry one ({@link ViciMessage#EMPTY} otherwise).
 */
record ViciPacket(ViciPacketType type, String name, ViciMessage message) {

    ViciPacket {
        Objects.requireNonNull(type, "type");
        if (type.named()) {
            Objects.requireNonNull(name, "name");
            ViciMessage.checkName(name);
            if (name.isEmpty()) {
                throw ViciCodecException.of(type + " name length", 0, "1.." + ViciMessage.MAX_NAME);
            }
        } else if (name != null) {
            throw new IllegalArgumentException(type + " carries no name, got '" + name + "'");
        }
        message = message == null ? ViciMessage.EMPTY : message;
        if (!type.hasMessage() && !message.isEmpty()) {
            throw new IllegalArgumentException(type + " carries no message");
        }
    }

    static ViciPacket request(String command, ViciMessage arguments) {
        return new ViciPacket(ViciPacketType.CMD_REQUEST, command, arguments);
    }

    static ViciPacket register(String event) {
        return new ViciPacket(ViciPacketType.EVENT_REGISTER, event, null);
    }

    static ViciPacket unregister(String event) {
        return new ViciPacket(ViciPacketType.EVENT_UNREGISTER, event, null);
    }

    static ViciPacket event(String event, ViciMessage message) {
        return new ViciPacket(ViciPacketType.EVENT, event, message);
    }

    static ViciPacket response(ViciMessage message) {
        return new ViciPacket(ViciPacketType.CMD_RESPONSE, null, message);
    }

    static ViciPacket of(ViciPacketType type) {
        return new ViciPacket(type, null, null);
    }

    @Override
    public String toString() {
        return type + (name == null ? "" : " " + name) + (message.isEmpty() ? "" : " {" + message.entries().size() + " entries}");
    }
}
