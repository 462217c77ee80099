package net.rrispeaker.policy;

/**
 * What a matched permit entry does next (FRR's exit policy, IOS {@code continue}).
 *
 * @param kind    {@link Kind#EXIT} (no {@code continue}: the entry decides), {@link Kind#NEXT}
 *                ({@code continue}: go on with the next entry), {@link Kind#GOTO} ({@code continue SEQ})
 * @param target  the sequence for {@code GOTO}, always higher than the entry's own; 0 otherwise
 */
public record ExitPolicy(Kind kind, int target) {

    public enum Kind { EXIT, NEXT, GOTO }

    public static final ExitPolicy EXIT = new ExitPolicy(Kind.EXIT, 0);
    public static final ExitPolicy NEXT = new ExitPolicy(Kind.NEXT, 0);

    public static ExitPolicy gotoSeq(int sequence) {
        return new ExitPolicy(Kind.GOTO, sequence);
    }

    public boolean continues() {
        return kind != Kind.EXIT;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EXIT -> "";
            case NEXT -> "continue";
            case GOTO -> "continue " + target;
        };
    }
}
