package net.rrispeaker.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a {@link SpeakerProcess} runs: a lab dir for its log, the path of its control socket, and a
 * process tracker that stops it with everything else when the lab closes. {@link Lab} (real
 * charon) and {@link SimLab} (the VICI simulator) are both hosts.
 */
public interface SpeakerHost {
    /** The lab dir ({@code speaker.log} goes here). */
    Path dir();

    /** The speaker's control API socket ({@code rri control-api unix:PATH}). */
    Path controlSocket();

    /** Starts a process the lab tracks and stops with everything else. */
    Daemon startProcess(String name, Path log, List<String> command);
}
