package net.rrispeaker.source.vici;

/** Element types of a VICI message (the bytes between packet name and segment end). */
enum ViciElementType {
    SECTION_START(1),
    SECTION_END(2),
    KEY_VALUE(3),
    LIST_START(4),
    LIST_ITEM(5),
    LIST_END(6);

    private static final ViciElementType[] BY_WIRE = values();

    private final byte wire;

    ViciElementType(int wire) {
        this.wire = (byte) wire;
    }

    byte wire() {
        return wire;
    }

    static ViciElementType fromWire(int value, int offset) {
        if (value < 1 || value > 6) {
            throw ViciCodecException.of("element type at offset " + offset, value, "1..6");
        }
        return BY_WIRE[value - 1];
    }
}
