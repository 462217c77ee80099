package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.rrispeaker.lab.CharonMessages.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A charon-like VICI server for integration tests and benchmarks: listens on a path-based unix
 * socket and speaks VICI as strongSwan 5.9.8 does (segments of a 4-byte big-endian length, packet
 * types, message elements; the messages of {@link CharonMessages}).
 *
 * <ul>
 *   <li>{@code EVENT_REGISTER}/{@code EVENT_UNREGISTER}: {@code EVENT_CONFIRM} for the events
 *       5.9.8 has ({@link #KNOWN_EVENTS}), {@code EVENT_UNKNOWN} otherwise; per connection.</li>
 *   <li>{@code version}: daemon, version, sysname, release, machine.</li>
 *   <li>{@code list-sas} (optional {@code ike} / {@code ike-id} filters): one {@code list-sa}
 *       EVENT per IKE_SA, sent only if that connection registered for {@code list-sa}, then the
 *       empty {@code CMD_RESPONSE}. It streams a copy of the table taken when the request came,
 *       encoding one record at a time (100,000 IKE_SAs are fine), and can be slowed down
 *       ({@link #listDelay}) or paused after N records ({@link #pauseListing}).</li>
 *   <li>any other command: {@code CMD_UNKNOWN}.</li>
 * </ul>
 *
 * <p>The IKE_SA table is the test's model of charon's state: {@link #add} and {@link #remove}
 * change it silently (what the next {@code list-sas} shows), {@link #ikeUp}, {@link #childDown}
 * and the other event methods change it and broadcast the events charon would, in charon's order,
 * to every connection registered for them. Hostile input: any key of a record replaced
 * ({@link SimIkeSa#withRaw}), selectors as free text, a hand-made event body ({@link #emit}),
 * raw bytes that break the framing ({@link #injectRaw}), connections dropped
 * ({@link #dropConnections}), the daemon stopped and restarted ({@link #stop}, {@link #start}).
 *
 * <p>Threads: one acceptor, one reader per connection (commands of one connection run one at a
 * time on it, as in charon, and a {@code list-sas} stream runs there too); writes to a connection
 * are serialised, so events pushed from the test thread interleave with a stream only between
 * whole records.
 */
public final class ViciServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ViciServer.class);

    /** The events a 5.9.8 daemon accepts registrations for. */
    public static final Set<String> KNOWN_EVENTS = Set.of("log", "control-log", "list-sa", "list-policy", "list-conn",
            "list-cert", "list-authority", "ike-updown", "ike-rekey", "ike-update", "child-updown", "child-rekey");

    private static final byte[] EMPTY = new byte[0];

    private final Path socket;
    private final Map<Long, SimIkeSa> table = new LinkedHashMap<>();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Object listing = new Object();
    private final AtomicInteger clientIds = new AtomicInteger();
    private final AtomicLong listSasRequests = new AtomicLong();
    private final AtomicLong listSasCompleted = new AtomicLong();
    private final AtomicLong listSaRecords = new AtomicLong();
    private final AtomicLong protocolErrors = new AtomicLong();
    private final Map<String, AtomicLong> commands = new ConcurrentHashMap<>();
    private int pauseAfter = -1;
    private int pausedStreams;
    private volatile long listDelayNanos;
    private volatile boolean running;
    private ServerSocketChannel server;
    private Thread acceptor;

    private ViciServer(Path socket) {
        this.socket = socket;
    }

    /** A server listening on {@code socket} (a stale file there is replaced). */
    public static ViciServer start(Path socket) {
        ViciServer s = new ViciServer(socket);
        s.start();
        return s;
    }

    public Path socket() {
        return socket;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts listening again after {@link #stop()}; the IKE_SA table is kept. */
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("vici server on " + socket + ": running (expected: stopped)");
        }
        try {
            Files.deleteIfExists(socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UncheckedIOException("vici server: cannot listen on " + socket, e);
        }
        running = true;
        acceptor = new Thread(this::acceptLoop, "vici-sim-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("vici-sim event=listening socket={} sas={}", socket, size());
    }

    /**
     * Stops like a killed daemon: closes the listening socket and every connection (no events
     * first), removes the socket file. Paused {@code list-sas} streams end. Idempotent.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        closeQuietly(server);
        dropConnections();
        synchronized (listing) {
            listing.notifyAll();
        }
        try {
            acceptor.join(5000);
            Files.deleteIfExists(socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("vici-sim event=stop socket={} error={}", socket, e.toString());
        }
        log.info("vici-sim event=stopped socket={}", socket);
    }

    /** {@link #stop()}, then {@link #start()}: clients see the connection close and must reconnect. */
    public void restart() {
        stop();
        start();
    }

    public boolean running() {
        return running;
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop() {
        ServerSocketChannel s = server;
        while (running) {
            SocketChannel ch;
            try {
                ch = s.accept();
            } catch (IOException e) {
                if (running) {
                    log.warn("vici-sim event=accept-failed error={}", e.toString());
                }
                return;
            }
            Client c = new Client(ch, clientIds.incrementAndGet());
            clients.add(c);
            if (!running) {
                c.close();
                return;
            }
            Thread t = new Thread(c::readLoop, "vici-sim-client-" + c.id);
            t.setDaemon(true);
            t.start();
            log.info("vici-sim event=connected client={}", c.id);
        }
    }

    // ------------------------------------------------------------------ the IKE_SA table (silent)

    /** Adds (or replaces, by unique id) an IKE_SA without any event: the next {@code list-sas} shows it. */
    public void add(SimIkeSa ike) {
        synchronized (table) {
            table.put(ike.uniqueId(), ike);
        }
    }

    /** Adds many IKE_SAs without events (for large snapshots). */
    public void addAll(Collection<SimIkeSa> sas) {
        synchronized (table) {
            for (SimIkeSa ike : sas) {
                table.put(ike.uniqueId(), ike);
            }
        }
    }

    /** Removes an IKE_SA without any event (as if charon lost it silently); the removed one, or null. */
    public SimIkeSa remove(long ikeUniqueId) {
        synchronized (table) {
            return table.remove(ikeUniqueId);
        }
    }

    /** Empties the table without events (a charon that restarted has no SAs). */
    public void clear() {
        synchronized (table) {
            table.clear();
        }
    }

    /** The IKE_SA of that unique id, or null. */
    public SimIkeSa get(long ikeUniqueId) {
        synchronized (table) {
            return table.get(ikeUniqueId);
        }
    }

    public int size() {
        synchronized (table) {
            return table.size();
        }
    }

    /** A copy of the table in insertion order (the order {@code list-sas} streams). */
    public List<SimIkeSa> sas() {
        synchronized (table) {
            return new ArrayList<>(table.values());
        }
    }

    private SimIkeSa require(long ikeUniqueId) {
        SimIkeSa ike = get(ikeUniqueId);
        if (ike == null) {
            throw new IllegalArgumentException("vici server: no IKE_SA with unique id " + ikeUniqueId);
        }
        return ike;
    }

    // ------------------------------------------------------------------ charon's event sequences

    /**
     * An IKE_SA and its CHILD_SAs come up: added to the table, then {@code ike-updown} up and one
     * {@code child-updown} up per CHILD_SA. Returns how many connections got the last event.
     */
    public int ikeUp(SimIkeSa ike) {
        add(ike);
        int n = emit("ike-updown", CharonMessages.ikeUpdown(true, ike,
                Tasks.passive("IKE_ESTABLISH", "IKE_AUTH_LIFETIME", "CHILD_CREATE")));
        for (SimChildSa c : ike.children()) {
            n = emit("child-updown", CharonMessages.childUpdown(true, ike, c, Tasks.passive("CHILD_CREATE")));
        }
        return n;
    }

    /**
     * An IKE_SA goes down: removed, then {@code ike-updown} down (state DELETING) and a
     * {@code child-updown} down for each CHILD_SA, as charon's bus raises them.
     */
    public int ikeDown(long ikeUniqueId) {
        SimIkeSa ike = require(ikeUniqueId);
        remove(ikeUniqueId);
        SimIkeSa deleting = ike.withState("DELETING");
        int n = emit("ike-updown", CharonMessages.ikeUpdown(false, deleting, Tasks.passive("IKE_DELETE")));
        for (SimChildSa c : ike.children()) {
            n = emit("child-updown", CharonMessages.childUpdown(false, deleting, c, Tasks.passive("IKE_DELETE")));
        }
        return n;
    }

    /** A CHILD_SA comes up in an existing IKE_SA: {@code child-updown} up. */
    public int childUp(long ikeUniqueId, SimChildSa child) {
        SimIkeSa ike;
        synchronized (table) {
            ike = require(ikeUniqueId).withChild(child);
            table.put(ikeUniqueId, ike);
        }
        return emit("child-updown", CharonMessages.childUpdown(true, ike, child, Tasks.passive("CHILD_CREATE")));
    }

    /** A CHILD_SA is deleted: removed, {@code child-updown} without {@code up}, CHILD state DELETED. */
    public int childDown(long ikeUniqueId, long childUniqueId) {
        SimIkeSa before;
        synchronized (table) {
            before = require(ikeUniqueId);
            table.put(ikeUniqueId, before.withoutChild(childUniqueId));
        }
        SimChildSa child = before.child(childUniqueId);
        if (child == null) {
            throw new IllegalArgumentException("vici server: IKE_SA " + ikeUniqueId + " has no CHILD_SA " + childUniqueId);
        }
        return emit("child-updown", CharonMessages.childUpdown(false, before, child.withState("DELETED"),
                Tasks.passive("CHILD_DELETE")));
    }

    /**
     * A CHILD_SA is rekeyed: the table holds the successor (new unique id and SPIs, same reqid and
     * selectors); {@code child-rekey} with old (REKEYED) and new (INSTALLED). No up/down events.
     */
    public int childRekey(long ikeUniqueId, long oldChildId, long newChildId) {
        SimIkeSa ike;
        SimChildSa old;
        SimChildSa replacement;
        synchronized (table) {
            SimIkeSa before = require(ikeUniqueId);
            old = before.child(oldChildId);
            if (old == null) {
                throw new IllegalArgumentException("vici server: IKE_SA " + ikeUniqueId + " has no CHILD_SA " + oldChildId);
            }
            replacement = old.withUniqueId(newChildId).withState("INSTALLED");
            ike = before.withoutChild(oldChildId).withChild(replacement);
            table.put(ikeUniqueId, ike);
        }
        return emit("child-rekey", CharonMessages.childRekey(ike, old.withState("REKEYED"), replacement,
                Tasks.active("CHILD_REKEY")));
    }

    /** An IKE_SA is rekeyed: its CHILD_SAs move to the new unique id; {@code ike-rekey} old (REKEYING) / new. */
    public int ikeRekey(long oldIkeId, long newIkeId) {
        SimIkeSa old;
        SimIkeSa replacement;
        synchronized (table) {
            old = require(oldIkeId);
            replacement = old.withUniqueId(newIkeId).withState("ESTABLISHED").withInitiator(true).withTimes(0, old.rekeyTime());
            table.remove(oldIkeId);
            table.put(newIkeId, replacement);
        }
        return emit("ike-rekey", CharonMessages.ikeRekey(old.withState("REKEYING"), replacement, Tasks.active("IKE_REKEY"), null));
    }

    /**
     * The peer moved (MOBIKE, NAT rebinding): {@code ike-update} with the new remote endpoint on
     * top and the old one in the IKE block; then the table holds the new endpoint.
     */
    public int ikeUpdate(long ikeUniqueId, String newRemoteHost, int newRemotePort) {
        SimIkeSa ike;
        synchronized (table) {
            ike = require(ikeUniqueId);
            table.put(ikeUniqueId, ike.withRemote(newRemoteHost, newRemotePort, ike.remoteId()));
        }
        return emit("ike-update", CharonMessages.ikeUpdate(ike, ike.localHost(), ike.localPort(), newRemoteHost,
                newRemotePort, null));
    }

    // ------------------------------------------------------------------ raw events and hostile input

    /**
     * Sends EVENT {@code event} with {@code body} as its message (any bytes: a hand-made,
     * possibly malformed, element stream in an intact segment) to every connection registered for
     * it; returns how many got it.
     */
    public int emit(String event, byte[] body) {
        byte[] frame = ViciWriter.frame(ViciWriter.EVENT, event, body);
        int n = 0;
        for (Client c : clients) {
            if (c.events.contains(event) && c.send(frame)) {
                n++;
            }
        }
        return n;
    }

    /** {@link #emit} with the message written in the transcript text form ({@link ViciText}). */
    public int emitText(String event, String text) {
        return emit(event, ViciText.encode(text));
    }

    /** Writes {@code bytes} as they are to every connection (e.g. a broken length prefix); returns how many. */
    public int injectRaw(byte[] bytes) {
        int n = 0;
        for (Client c : clients) {
            if (c.send(bytes)) {
                n++;
            }
        }
        return n;
    }

    /** Closes every client connection (the server keeps listening); returns how many were open. */
    public int dropConnections() {
        int n = 0;
        for (Client c : clients) {
            c.close();
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ list-sas pacing

    /** Waits {@code perSa} before each {@code list-sa} record of every stream (zero: full speed). */
    public void listDelay(Duration perSa) {
        listDelayNanos = perSa.toNanos();
    }

    /**
     * Every {@code list-sas} stream, running or future, stops once it has sent {@code afterRecords}
     * records of its own (0: before the first) and waits for {@link #resumeListing()}; the
     * connection stays open and events still flow.
     */
    public void pauseListing(int afterRecords) {
        if (afterRecords < 0) {
            throw new IllegalArgumentException("afterRecords: " + afterRecords + " (expected: >= 0)");
        }
        synchronized (listing) {
            pauseAfter = afterRecords;
        }
    }

    /** Lets paused streams go on. */
    public void resumeListing() {
        synchronized (listing) {
            pauseAfter = -1;
            listing.notifyAll();
        }
    }

    /** Streams waiting at the pause right now. */
    public int pausedStreams() {
        synchronized (listing) {
            return pausedStreams;
        }
    }

    // ------------------------------------------------------------------ observation

    /** Open client connections. */
    public int connectedClients() {
        return clients.size();
    }

    /** Open connections registered for {@code event}. */
    public int registered(String event) {
        int n = 0;
        for (Client c : clients) {
            if (c.events.contains(event)) {
                n++;
            }
        }
        return n;
    }

    /** Client connections accepted, ever (a reconnecting client counts again). */
    public long connectionsAccepted() {
        return clientIds.get();
    }

    /** {@code list-sas} requests received, ever. */
    public long listSasRequests() {
        return listSasRequests.get();
    }

    /** {@code list-sas} streams that reached their {@code CMD_RESPONSE}, ever. */
    public long listSasCompleted() {
        return listSasCompleted.get();
    }

    /** {@code list-sa} records sent, ever. */
    public long listSaRecordsSent() {
        return listSaRecords.get();
    }

    /** How often command {@code name} was received. */
    public long commands(String name) {
        AtomicLong n = commands.get(name);
        return n == null ? 0 : n.get();
    }

    /** Connections closed because the client broke the protocol. */
    public long protocolErrors() {
        return protocolErrors.get();
    }

    /** One line for failure reports. */
    public String stats() {
        return "vici-sim socket=" + socket + " running=" + running + " sas=" + size() + " clients=" + clients.size()
                + " list-sas=" + listSasRequests + "/" + listSasCompleted + " records=" + listSaRecords
                + " paused_streams=" + pausedStreams() + " protocol_errors=" + protocolErrors + " commands=" + commands;
    }

    // ------------------------------------------------------------------ one connection

    private final class Client {
        final SocketChannel ch;
        final int id;
        final Set<String> events = ConcurrentHashMap.newKeySet();
        final Object writeLock = new Object();
        volatile boolean open = true;

        Client(SocketChannel ch, int id) {
            this.ch = ch;
            this.id = id;
        }

        void readLoop() {
            String why = "closed by the client";
            try {
                ByteBuffer head = ByteBuffer.allocate(4);
                while (open) {
                    head.clear();
                    if (!readFully(head)) {
                        break;
                    }
                    int length = head.getInt(0);
                    if (length < 1 || length > ViciWriter.MAX_SEGMENT) {
                        why = protocolError("segment length " + Integer.toUnsignedString(length) + " (expected: 1.."
                                + ViciWriter.MAX_SEGMENT + ")");
                        break;
                    }
                    ByteBuffer payload = ByteBuffer.allocate(length);
                    if (!readFully(payload)) {
                        why = "closed inside a segment";
                        break;
                    }
                    String error = handle(payload.array());
                    if (error != null) {
                        why = protocolError(error);
                        break;
                    }
                }
            } catch (IOException e) {
                why = open ? e.toString() : "closed by the server";
            } finally {
                close();
                clients.remove(this);
                log.info("vici-sim event=disconnected client={} reason={}", id, why);
            }
        }

        private String protocolError(String what) {
            protocolErrors.incrementAndGet();
            log.warn("vici-sim event=protocol-error client={} error={}", id, what);
            return what;
        }

        private boolean readFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    return false;
                }
            }
            return true;
        }

        /** One segment from the client; a protocol error message, or null when handled. */
        private String handle(byte[] p) {
            int type = p[0] & 0xff;
            if (type != ViciWriter.CMD_REQUEST && type != ViciWriter.EVENT_REGISTER && type != ViciWriter.EVENT_UNREGISTER) {
                return "packet type " + type + " from a client (expected: CMD_REQUEST, EVENT_REGISTER or EVENT_UNREGISTER)";
            }
            if (p.length < 2 || (p[1] & 0xff) == 0 || 2 + (p[1] & 0xff) > p.length) {
                return "packet type " + type + ": bad name length";
            }
            int nameLen = p[1] & 0xff;
            String name = new String(p, 2, nameLen, StandardCharsets.UTF_8);
            int rest = 2 + nameLen;
            if (type == ViciWriter.CMD_REQUEST) {
                Map<String, String> args;
                try {
                    args = topLevelValues(p, rest);
                } catch (IllegalArgumentException e) {
                    return "request " + name + ": " + e.getMessage();
                }
                commands.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
                command(name, args);
                return null;
            }
            if (rest != p.length) {
                return "packet type " + type + " " + name + ": " + (p.length - rest) + " trailing bytes";
            }
            if (!KNOWN_EVENTS.contains(name)) {
                send(ViciWriter.frame(ViciWriter.EVENT_UNKNOWN, null, EMPTY));
                return null;
            }
            if (type == ViciWriter.EVENT_REGISTER) {
                events.add(name);
            } else {
                events.remove(name);
            }
            send(ViciWriter.frame(ViciWriter.EVENT_CONFIRM, null, EMPTY));
            return null;
        }

        private void command(String name, Map<String, String> args) {
            switch (name) {
                case "version" -> send(ViciWriter.frame(ViciWriter.CMD_RESPONSE, null, CharonMessages.version()));
                case "list-sas" -> listSas(args);
                default -> send(ViciWriter.frame(ViciWriter.CMD_UNKNOWN, null, EMPTY));
            }
        }

        private void listSas(Map<String, String> args) {
            long request = listSasRequests.incrementAndGet();
            String ikeName = args.get("ike");
            String ikeId = args.get("ike-id");
            List<SimIkeSa> snapshot = new ArrayList<>();
            for (SimIkeSa ike : sas()) {
                if ((ikeName == null || ikeName.equals(ike.name())) && (ikeId == null || ikeId.equals(Long.toString(ike.uniqueId())))) {
                    snapshot.add(ike);
                }
            }
            boolean wanted = events.contains("list-sa");
            log.info("vici-sim event=list-sas client={} request={} sas={} streamed={}", id, request, snapshot.size(), wanted);
            ViciWriter w = new ViciWriter();
            int sent = 0;
            for (SimIkeSa ike : snapshot) {
                if (!awaitListing(sent)) {
                    log.info("vici-sim event=list-sas-aborted client={} request={} after={}", id, request, sent);
                    return;
                }
                long delay = listDelayNanos;
                if (delay > 0) {
                    LockSupport.parkNanos(delay);
                }
                if (wanted) {
                    byte[] frame;
                    try {
                        w.reset();
                        CharonMessages.listSa(w, ike);
                        frame = w.frame(ViciWriter.EVENT, "list-sa");
                    } catch (IllegalArgumentException e) {
                        log.warn("vici-sim event=list-sa-skipped ike={} error={}", ike.uniqueId(), e.getMessage());
                        continue;
                    }
                    if (!send(frame)) {
                        return;
                    }
                    listSaRecords.incrementAndGet();
                }
                sent++;
            }
            if (send(ViciWriter.frame(ViciWriter.CMD_RESPONSE, null, EMPTY))) {
                listSasCompleted.incrementAndGet();
                log.info("vici-sim event=list-sas-done client={} request={} records={}", id, request, sent);
            }
        }

        /** Blocks while the pause applies to a stream that sent {@code sent} records; false if the connection closed. */
        private boolean awaitListing(int sent) {
            synchronized (listing) {
                boolean counted = false;
                try {
                    while (pauseAfter >= 0 && sent >= pauseAfter && open && running) {
                        if (!counted) {
                            pausedStreams++;
                            counted = true;
                        }
                        listing.wait(200);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } finally {
                    if (counted) {
                        pausedStreams--;
                    }
                }
            }
            return open;
        }

        /** Writes one whole segment (or raw bytes); false (and the connection closed) if that failed. */
        boolean send(byte[] bytes) {
            synchronized (writeLock) {
                if (!open) {
                    return false;
                }
                try {
                    ByteBuffer b = ByteBuffer.wrap(bytes);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    return true;
                } catch (IOException e) {
                    log.info("vici-sim event=write-failed client={} error={}", id, e.toString());
                    close();
                    return false;
                }
            }
        }

        void close() {
            open = false;
            closeQuietly(ch);
            clients.remove(this);
            synchronized (listing) {
                listing.notifyAll();
            }
        }
    }

    /**
     * The top-level key/values of a request message, after checking that its element stream is
     * well formed (sections balance, lists hold only items, lengths stay inside the segment).
     */
    static Map<String, String> topLevelValues(byte[] p, int from) {
        Map<String, String> out = new HashMap<>();
        int depth = 0;
        boolean inList = false;
        int i = from;
        while (i < p.length) {
            int element = p[i++] & 0xff;
            switch (element) {
                case ViciWriter.SECTION_START -> {
                    need(!inList, "SECTION_START inside a list", i);
                    i = skipName(p, i);
                    depth++;
                }
                case ViciWriter.SECTION_END -> {
                    need(!inList && depth > 0, "SECTION_END without an open section", i);
                    depth--;
                }
                case ViciWriter.KEY_VALUE -> {
                    need(!inList, "KEY_VALUE inside a list", i);
                    int nameAt = i;
                    i = skipName(p, i);
                    String key = new String(p, nameAt + 1, p[nameAt] & 0xff, StandardCharsets.UTF_8);
                    int valueAt = i;
                    i = skipValue(p, i);
                    if (depth == 0) {
                        out.put(key, new String(p, valueAt + 2, i - valueAt - 2, StandardCharsets.UTF_8));
                    }
                }
                case ViciWriter.LIST_START -> {
                    need(!inList, "LIST_START inside a list", i);
                    i = skipName(p, i);
                    inList = true;
                }
                case ViciWriter.LIST_ITEM -> {
                    need(inList, "LIST_ITEM outside a list", i);
                    i = skipValue(p, i);
                }
                case ViciWriter.LIST_END -> {
                    need(inList, "LIST_END outside a list", i);
                    inList = false;
                }
                default -> throw new IllegalArgumentException("element type " + element + " at offset " + (i - 1) + " (expected: 1..6)");
            }
        }
        need(depth == 0 && !inList, "message ends inside a section or list", i);
        return out;
    }

    private static void need(boolean ok, String what, int at) {
        if (!ok) {
            throw new IllegalArgumentException(what + " at offset " + at);
        }
    }

    private static int skipName(byte[] p, int i) {
        need(i < p.length, "name length missing", i);
        int end = i + 1 + (p[i] & 0xff);
        need(end <= p.length, "name runs past the segment", i);
        return end;
    }

    private static int skipValue(byte[] p, int i) {
        need(i + 2 <= p.length, "value length missing", i);
        int end = i + 2 + (((p[i] & 0xff) << 8) | (p[i + 1] & 0xff));
        need(end <= p.length, "value runs past the segment", i);
        return end;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
