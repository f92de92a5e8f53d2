package org.cti4j.core.testing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaConnection;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaMixer;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.PlaySource;

/**
 * A {@link MediaProvider} that moves no audio: it records the sessions, playbacks, recordings, connections and
 * mixers the engine asks for, and lets the test end playbacks and recordings ({@link Operation#finish()},
 * {@link Operation#fail(String)}) and send media events ({@link Session#dtmf(char)}). Thread-safe.
 */
public final class ScriptedMedia implements MediaProvider {

    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Mixer> mixers = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextPort = new AtomicInteger(20000);
    private final Set<RecordFormat> unavailableFormats = ConcurrentHashMap.newKeySet();
    private volatile int failSessionsWith;
    private volatile EngineStatistics.Media statistics = EngineStatistics.Media.NONE;
    private volatile boolean closed;

    @Override
    public MediaSession createSession(MediaListener listener) {
        return createSession(listener, null);
    }

    /** Creates a session as {@link #createSession(MediaListener)} does, noting {@code near} ({@link Session#near}). */
    @Override
    public MediaSession createSession(MediaListener listener, MediaSession near) {
        int status = failSessionsWith;
        if (status != 0) {
            throw new MediaException(status, "scripted media failure");
        }
        Session session = new Session(nextPort.getAndAdd(2), listener, near);
        sessions.add(session);
        return session;
    }

    @Override
    public MediaConnection connect(MediaSession source, MediaSession sink) {
        Connection connection = new Connection((Session) source, (Session) sink);
        connections.add(connection);
        return connection;
    }

    @Override
    public MediaMixer createMixer() {
        Mixer mixer = new Mixer();
        mixers.add(mixer);
        return mixer;
    }

    /** Returns false for the formats {@link #formatsUnavailable} named, as a provider missing an encoder would. */
    @Override
    public boolean canRecord(RecordFormat format) {
        return !unavailableFormats.contains(Objects.requireNonNull(format, "format"));
    }

    /** From now on, {@link #canRecord} says no to {@code formats} (none: every format is available again). */
    public void formatsUnavailable(RecordFormat... formats) {
        unavailableFormats.clear();
        unavailableFormats.addAll(List.of(formats));
    }

    /** From now on, {@link #statistics()} returns {@code figures} (a test of what reads them). */
    public void statistics(EngineStatistics.Media figures) {
        this.statistics = Objects.requireNonNull(figures, "figures");
    }

    /** Returns what {@link #statistics(EngineStatistics.Media)} set; all zero before. */
    @Override
    public EngineStatistics.Media statistics() {
        return statistics;
    }

    /** From now on, {@link #createSession} fails with {@code status} (503: no port); 0 to succeed again. */
    public void failSessionsWith(int status) {
        this.failSessionsWith = status;
    }

    /** Returns every session created so far. */
    public List<Session> sessions() {
        return List.copyOf(sessions);
    }

    /** Returns the sessions not closed yet. */
    public List<Session> openSessions() {
        return sessions.stream().filter(s -> !s.isClosed()).toList();
    }

    /** Returns every connection made so far. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Returns the connections not closed yet. */
    public List<Connection> openConnections() {
        return connections.stream().filter(c -> !c.isClosed()).toList();
    }

    /** Returns every mixer created so far. */
    public List<Mixer> mixers() {
        return List.copyOf(mixers);
    }

    /** Returns whether the engine closed the provider. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        sessions.forEach(Session::close);
        mixers.forEach(Mixer::close);
    }

    /** {@code record <path> <format>}, followed by {@code new} when an existing file must not be replaced. */
    private static String describeRecord(String file, RecordFormat format, boolean replace) {
        return "record " + file + " " + format + (replace ? "" : " new");
    }

    /** A playback or recording the engine started. */
    public static final class Operation implements MediaOperation {
        private final String what;
        private final Listener listener;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean stoppedByEngine;

        Operation(String what, Listener listener) {
            this.what = what;
            this.listener = Objects.requireNonNull(listener, "listener");
        }

        /**
         * Returns what it plays or records: {@code play <path>}, {@code loop <path>}, {@code ringback}, a playlist's
         * {@code play <path> <path> ...} with {@code repeat <n>} when it is repeated,
         * {@code record <path> <format>} ({@code record <path> <format> new} when no file may be replaced, then
         * {@code stereo} for two channels), ...
         */
        public String what() {
            return what;
        }

        /** Returns whether it still runs. */
        public boolean isRunning() {
            return !done.get();
        }

        /** Returns whether the engine stopped it. */
        public boolean isStoppedByEngine() {
            return stoppedByEngine;
        }

        @Override
        public void stop() {
            stoppedByEngine = true;
            complete(null);
        }

        /** Ends it well: the file played to its end. */
        public void finish() {
            complete(null);
        }

        /** Ends it with an error (a missing file, a full disk). */
        public void fail(String error) {
            complete(Objects.requireNonNull(error, "error"));
        }

        private void complete(String error) {
            if (done.compareAndSet(false, true)) {
                listener.onCompleted(error);
            }
        }

        @Override
        public String toString() {
            return what;
        }
    }

    /** A session the engine created. */
    public static final class Session implements MediaSession {
        private final int port;
        private final MediaListener listener;
        private final MediaSession near;
        private final List<Operation> operations = new CopyOnWriteArrayList<>();
        private final List<MediaDescription> remotes = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        Session(int port, MediaListener listener, MediaSession near) {
            this.port = port;
            this.listener = listener;
            this.near = near;
        }

        /** Returns the session the engine asked this one to be placed near (it will be connected to), or null. */
        public MediaSession near() {
            return near;
        }

        @Override
        public MediaDescription localOffer() {
            return new MediaDescription("127.0.0.1", port,
                    List.of(PayloadType.PCMU, PayloadType.PCMA, PayloadType.TELEPHONE_EVENT), MediaDirection.SENDRECV);
        }

        @Override
        public MediaDescription answer(MediaDescription remoteOffer) {
            setRemote(remoteOffer);
            return localOffer();
        }

        @Override
        public void setRemote(MediaDescription remote) {
            boolean common = remote.payloadTypes().stream()
                    .anyMatch(pt -> pt.encoding().equals("PCMU") || pt.encoding().equals("PCMA"));
            if (!common) {
                throw new MediaException(488, "no common codec in " + remote.payloadTypes());
            }
            remotes.add(remote);
        }

        @Override
        public MediaOperation play(PlaySource source, MediaOperation.Listener operationListener) {
            String what = source instanceof PlaySource.File f ? (f.loop() ? "loop " : "play ") + f.path()
                    : source instanceof PlaySource.Playlist list ? "play " + String.join(" ", list.paths())
                            + (list.repeat() > 0 ? " repeat " + list.repeat() : "")
                    : "ringback";
            Operation operation = new Operation(what, operationListener);
            operations.add(operation);
            return operation;
        }

        @Override
        public MediaOperation record(String file, RecordFormat format, boolean replace,
                MediaOperation.Listener operationListener) {
            return record(file, format, replace, false, operationListener);
        }

        /** Records {@code record <path> <format>}, followed by {@code new} and {@code stereo} as they apply. */
        @Override
        public MediaOperation record(String file, RecordFormat format, boolean replace, boolean stereo,
                MediaOperation.Listener operationListener) {
            Operation operation = new Operation(describeRecord(file, format, replace) + (stereo ? " stereo" : ""),
                    operationListener);
            operations.add(operation);
            return operation;
        }

        /**
         * Whether keys go out as telephone events: unless the last far-end description applied names no
         * telephone-event (then the engine sends SIP INFO).
         */
        @Override
        public boolean canSendDtmfEvents() {
            return remotes.isEmpty() || remotes.get(remotes.size() - 1).telephoneEvent().isPresent();
        }

        /** Keys to send: an operation {@code dtmf <keys>} the test finishes or fails. */
        @Override
        public MediaOperation sendDtmf(String keys, MediaOperation.Listener operationListener) {
            Operation operation = new Operation("dtmf " + keys, operationListener);
            operations.add(operation);
            return operation;
        }

        @Override
        public void close() {
            closed = true;
            operations.forEach(Operation::stop);
        }

        /** Returns the RTP port it was given. */
        public int port() {
            return port;
        }

        /** Returns whether the engine closed it. */
        public boolean isClosed() {
            return closed;
        }

        /** Returns every playback and recording started on it, in order. */
        public List<Operation> operations() {
            return List.copyOf(operations);
        }

        /** Returns the last operation whose {@link Operation#what()} starts with {@code prefix}, or null. */
        public Operation last(String prefix) {
            Operation found = null;
            for (Operation operation : operations) {
                if (operation.what().startsWith(prefix)) {
                    found = operation;
                }
            }
            return found;
        }

        /** Returns the far-end descriptions applied to it, in order. */
        public List<MediaDescription> remotes() {
            return List.copyOf(remotes);
        }

        /** The far end sends a DTMF key (RFC 4733). */
        public void dtmf(char digit) {
            listener.onDtmf(digit);
        }

        /** No RTP arrived for the inactivity time. */
        public void inactivity() {
            listener.onInactivity();
        }
    }

    /** A one-way connection between two sessions. */
    public static final class Connection implements MediaConnection {
        private final Session source;
        private final Session sink;
        private volatile boolean closed;

        Connection(Session source, Session sink) {
            this.source = source;
            this.sink = sink;
        }

        /** Returns the session whose received audio flows. */
        public Session source() {
            return source;
        }

        /** Returns the session it flows to. */
        public Session sink() {
            return sink;
        }

        /** Returns whether the engine closed it. */
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A conference mixer. */
    public static final class Mixer implements MediaMixer {
        private final Set<MediaSession> members = ConcurrentHashMap.newKeySet();
        private final List<Operation> recordings = new CopyOnWriteArrayList<>();
        private final Map<MediaSession, Voice> voices = new ConcurrentHashMap<>();
        private volatile boolean closed;

        @Override
        public void add(MediaSession session) {
            members.add(session);
        }

        @Override
        public void remove(MediaSession session) {
            members.remove(session);
            voices.remove(session);
        }

        @Override
        public void setVoice(MediaSession member, boolean hears, boolean heard) {
            if (members.contains(member)) {
                voices.put(member, new Voice(hears, heard, Optional.empty()));
            }
        }

        @Override
        public void setCoach(MediaSession coach, MediaSession coached) {
            if (members.contains(coach)) {
                voices.put(coach, new Voice(true, false, Optional.of(coached)));
            }
        }

        /** Returns how a member hears and is heard ({@link Voice#ALL} unless the engine changed it). */
        public Voice voice(MediaSession member) {
            return voices.getOrDefault(member, Voice.ALL);
        }

        @Override
        public MediaOperation record(String file, RecordFormat format, boolean replace,
                MediaOperation.Listener listener) {
            Operation operation = new Operation(describeRecord(file, format, replace), listener);
            recordings.add(operation);
            return operation;
        }

        /** Returns the sessions in it now. */
        public Set<MediaSession> members() {
            return Set.copyOf(members);
        }

        /** Returns its recordings. */
        public List<Operation> recordings() {
            return List.copyOf(recordings);
        }

        /** Returns whether the engine closed it. */
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
            members.clear();
            recordings.forEach(Operation::stop);
        }
    }

    /**
     * How a mixer member hears and is heard.
     *
     * @param hears whether it hears the others
     * @param heardByAll whether all the others hear it
     * @param coached the one member that hears it, for a coach
     */
    public record Voice(boolean hears, boolean heardByAll, Optional<MediaSession> coached) {
        /** Hears all, heard by all: a member's voice until the engine changes it. */
        public static final Voice ALL = new Voice(true, true, Optional.empty());
    }
}
