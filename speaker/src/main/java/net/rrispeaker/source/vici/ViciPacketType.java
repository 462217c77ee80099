package net.rrispeaker.source.vici;

/**
 * The packet layer of VICI: the first byte of every segment. Named types carry a 1-byte-length
 * name after the type byte; message-carrying types fill the rest of the segment with a message.
 */
enum ViciPacketType {
    CMD_REQUEST(0, true, true),
    CMD_RESPONSE(1, false, true),
    CMD_UNKNOWN(2, false, false),
    EVENT_REGISTER(3, true, false),
    EVENT_UNREGISTER(4, true, false),
    EVENT_CONFIRM(5, false, false),
    EVENT_UNKNOWN(6, false, false),
    EVENT(7, true, true);

    private static final ViciPacketType[] BY_WIRE = values();

    private final byte wire;
    private final boolean named;
    private final boolean hasMessage;

    ViciPacketType(int wire, boolean named, boolean hasMessage) {
        this.wire = (byte) wire;
        this.named = named;
        this.hasMessage = hasMessage;
    }

    byte wire() {
        return wire;
    }

    /** True if a name (1-byte length + bytes) follows the type byte. */
    boolean named() {
        return named;
    }

    /** True if a message (possibly empty) follows the name. */
    boolean hasMessage() {
        return hasMessage;
    }

    static ViciPacketType fromWire(int value) {
        if (value < 0 || value >= BY_WIRE.length) {
            throw ViciCodecException.of("packet type", value, "0.." + (BY_WIRE.length - 1));
        }
        return BY_WIRE[value];
    }
}
