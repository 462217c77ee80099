package net.rrispeaker.ios;

/**
 * Parses one family of top-level commands and the lines of their sub-mode, IOS style: the parser
 * offers each line to the section whose sub-mode is open; if that section does not know the line,
 * the sub-mode ends and the line is offered as a top-level command to every section in turn.
 */
public interface ConfigSection {

    /**
     * Offered a top-level line. Returns true if the line is this section's (it is then consumed,
     * errors included, and this section's sub-mode, if the command has one, is open).
     */
    boolean topLevel(ConfigLine line, Problems problems);

    /**
     * Offered a line while this section's sub-mode is open. Returns false if the line is not a
     * command of that sub-mode; the parser then closes the sub-mode and treats the line as top-level.
     */
    boolean subMode(ConfigLine line, Problems problems);

    /** The sub-mode (if any) ends: {@code exit}, {@code end} or another top-level command ({@code !} is only a comment, as in IOS). */
    void closeSubMode();

    /**
     * Names the open sub-mode for messages, e.g. {@code crypto map mymap 10}: an unknown command
     * inside it is reported as {@code unknown command 'X' in crypto map mymap 10}. Empty if unknown.
     */
    default String context() {
        return "";
    }
}
