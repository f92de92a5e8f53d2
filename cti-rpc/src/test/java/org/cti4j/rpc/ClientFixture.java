package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.MediaFiles;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;

/**
 * A real engine over scripted SIP and media and a manual clock, tapped ({@link ClientTapEngine}), served by an
 * {@link RpcServer} on a free port, and the remote clients a test connects to it.
 */
final class ClientFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration WAIT = ClientRecorder.WAIT;

    final ScriptedSignaling sip = new ScriptedSignaling();
    final ScriptedMedia media = new ScriptedMedia();
    /** The server's sounds and recordings directories. */
    final ServerMediaDirs dirs = new ServerMediaDirs();
    final ManualScheduler clock = new ManualScheduler(T0);
    final CoreEngine core;
    final ClientTapEngine tap;
    final RpcServer server;
    private final List<RemoteCtiEngine> clients = new CopyOnWriteArrayList<>();

    ClientFixture() {
        this(builder -> builder);
    }

    ClientFixture(UnaryOperator<RpcServer.Builder> settings) {
        core = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media).clock(clock).scheduler(clock)
                .inboundAnswerTimeout(Duration.ofSeconds(60)).build();
        tap = new ClientTapEngine(core);
        try {
            server = settings.apply(dirs.apply(RpcServer.builder(tap).port(0).sessionGrace(Duration.ofSeconds(30))))
                    .build();
        } catch (RuntimeException | Error e) {
            core.close();
            dirs.close();
            throw e;
        }
    }

    /** A client builder for this server, quick to time out and to reconnect. */
    RemoteCtiEngine.Builder client() {
        return RemoteCtiEngine.builder(server.uri()).requestTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).pingInterval(Duration.ofMillis(250));
    }

    /** Builds the client and closes it with the fixture. */
    RemoteCtiEngine connect(RemoteCtiEngine.Builder builder) {
        RemoteCtiEngine client = builder.build();
        clients.add(client);
        return client;
    }

    static DialOptions dialOptions() {
        return DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1:5062")
                .maxAnswerSeconds(600).maxRingSeconds(30).userData("ticket-7").build();
    }

    /** A remote call and its scripted far end. */
    record Dialled(Call call, ScriptedSignaling.Outbound far) {
    }

    /** Dials through {@code client} and lets the far end answer; takes the dial's two events. */
    Dialled connectedCall(RemoteCtiEngine client, ClientRecorder heard) {
        Call call = client.dial(dialOptions(), heard);
        ScriptedSignaling.Outbound far = sip.nextDialled(WAIT);
        far.answer();
        assertThat(heard.next(CallEvent.DialCompleted.class).resId()).isEqualTo(call.resId());
        assertThat(heard.next(CallEvent.Answered.class).resId()).isEqualTo(call.resId());
        awaitState(call, CallState.IDLE);
        return new Dialled(call, far);
    }

    /** The media session of the {@code index}-th call leg the engine created. */
    ScriptedMedia.Session session(int index) {
        return media.sessions().get(index);
    }

    static void awaitState(Call call, CallState state) {
        Await.until(call.resId() + " in state " + state, WAIT, () -> call.state() == state);
    }

    /** The real path the server opens for the sound {@code name}. */
    String soundPath(String name) {
        return realDirectory(dirs.sounds).resolve(name).toString();
    }

    /** The real path the server records {@code name} to. */
    String recordingPath(String name) {
        return realDirectory(dirs.recordings).resolve(name).toString();
    }

    private static Path realDirectory(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks the client heard exactly the events the embedded engine gave about {@code resId}, in order: the same,
     * but for the server's paths of files, which the client hears as the names it gave.
     */
    void assertSameEvents(ClientRecorder heard, String resId) {
        Await.until("the events of " + resId, WAIT, () -> {
            List<Object> embedded = tap.events(resId).stream().map(this::named).toList();
            return heard.all().stream().filter(embedded::contains).count() == embedded.size();
        });
        List<Object> remote = heard.all().stream().filter(e -> resIdOf(e).equals(resId)).toList();
        assertThat(remote).as("the events of %s the client heard", resId)
                .isEqualTo(tap.events(resId).stream().map(this::named).toList());
    }

    /** An event of the embedded engine as the client hears it: file paths in the server's directories as names. */
    private Object named(Object event) {
        if (event instanceof CallEvent.PlayCompleted e) {
            return new CallEvent.PlayCompleted(e.resId(), name(e.playFile(), true), e.reason(), e.finishKey(),
                    e.error());
        }
        if (event instanceof CallEvent.RecordCompleted e) {
            return new CallEvent.RecordCompleted(e.resId(), name(e.recordFile(), false), e.reason(), e.finishKey(),
                    hide(e.error()));
        }
        if (event instanceof DuoCallbackEvent.Released e && e.recordFile() != null) {
            return new DuoCallbackEvent.Released(e.resId(), e.error(), e.beginTime(), e.answerTime(),
                    e.connectTime(), e.endTime(), e.userData(), e.userData2(), name(e.recordFile(), false),
                    hide(e.recordError()));
        }
        return event;
    }

    /** A text of the engine's with the recordings directory's paths as the names the client gave. */
    private String hide(String text) {
        return text == null || !Files.isDirectory(dirs.recordings) ? text
                : text.replace(realDirectory(dirs.recordings) + "/", "");
    }

    private String name(String path, boolean played) {
        Path file = Path.of(path);
        Path sounds = realDirectory(dirs.sounds);
        if (played && file.startsWith(sounds)) {
            return sounds.relativize(file).toString();
        }
        if (Files.isDirectory(dirs.recordings) && file.startsWith(realDirectory(dirs.recordings))) {
            String name = realDirectory(dirs.recordings).relativize(file).toString();
            return played ? MediaFiles.RECORDINGS_PREFIX + name : name;
        }
        return path;
    }

    private static String resIdOf(Object event) {
        if (event instanceof CallEvent e) {
            return e.resId();
        }
        if (event instanceof org.cti4j.api.DuoCallbackEvent e) {
            return e.resId();
        }
        return ((org.cti4j.api.ConferenceEvent) event).resId();
    }

    @Override
    public void close() {
        try {
            clients.forEach(RemoteCtiEngine::close);
            server.close();
            core.close();
        } finally {
            dirs.close();
        }
    }
}
