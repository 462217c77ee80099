package net.rrispeaker.control;

/** What a source or sink reports about its connection to its daemon, for {@code show status}. */
public interface ComponentHealth {
    String name();

    boolean connected();

    String detail();
}
