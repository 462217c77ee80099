package net.rrispeaker.control;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who is at the other end of a Unix socket connection: the process id, user and group the kernel
 * recorded when it connected ({@code SO_PEERCRED}), and that process's supplementary groups.
 *
 * @param pid    the peer's process id, as this speaker's PID namespace sees it (0: not visible)
 * @param uid    its effective user id at connect time
 * @param gid    its effective group id at connect time
 * @param groups its supplementary groups, read from {@code /proc/PID/status} right after connect;
 *               empty when they cannot be read or the process there no longer has {@code uid}
 */
public record UnixPeer(int pid, int uid, int gid, Set<Integer> groups) {

    public UnixPeer {
        groups = Set.copyOf(groups);
    }

    /** True if the peer has group {@code g}, as its own group or a supplementary one. */
    public boolean inGroup(int g) {
        return gid == g || groups.contains(g);
    }

    /** The peer of an accepted Unix socket connection; null if the channel is not one or the kernel says nothing. */
    static UnixPeer of(Channel channel) {
        if (!(channel instanceof EpollDomainSocketChannel ch)) {
            return null;
        }
        PeerCredentials c;
        try {
            c = ch.peerCredentials();
        } catch (IOException e) {
            return null;
        }
        int gid = c.gids().length > 0 ? c.gids()[0] : -1;
        return new UnixPeer(c.pid(), c.uid(), gid, supplementaryGroups(Path.of("/proc"), c.pid(), c.uid()));
    }

    /**
     * The {@code Groups:} of {@code /proc/PID/status}, if the process there still has effective
     * user {@code uid} (a process that changed identity, or a PID reused by another user's process,
     * gets no groups rather than someone else's).
     */
    static Set<Integer> supplementaryGroups(Path proc, int pid, int uid) {
        if (pid <= 0) {
            return Set.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve(Integer.toString(pid)).resolve("status"));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
        boolean sameUser = false;
        Set<Integer> groups = new HashSet<>();
        for (String line : lines) {
            String[] t = line.trim().split("\\s+");
            if (t[0].equals("Uid:") && t.length >= 3) {
                sameUser = t[2].equals(Integer.toString(uid)); // real, effective, saved, fs
            } else if (t[0].equals("Groups:")) {
                for (int i = 1; i < t.length; i++) {
                    if (t[i].matches("\\d{1,10}")) {
                        groups.add((int) Long.parseLong(t[i]));
                    }
                }
            }
        }
        return sameUser ? groups : Set.of();
    }

    @Override
    public String toString() {
        return "uid " + uid + " gid " + gid + (pid > 0 ? " pid " + pid : "");
    }
}
