package net.rrispeaker.ios;

/**
 * A finding about the configuration, tied to a line: an error (the config is refused), a warning
 * (accepted, but probably not what was meant) or an ignored command (IPsec-only, not about routing).
 * Printed compiler style: {@code file:line: error: message}, {@code file:line: warning: message},
 * {@code file:line: ignored: message}.
 */
public record ConfigProblem(Severity severity, String file, int line, String message) {

    public enum Severity { ERROR, WARNING, IGNORED }

    @Override
    public String toString() {
        String kind = switch (severity) {
            case ERROR -> "error: ";
            case WARNING -> "warning: ";
            case IGNORED -> "ignored: ";
        };
        return file + ":" + line + ": " + kind + message;
    }
}
