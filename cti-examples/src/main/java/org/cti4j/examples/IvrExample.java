package org.cti4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.ReceiveDtmfEndReason;
import org.cti4j.api.ReceiveDtmfOptions;

/**
 * An IVR: answers every inbound call with a menu — its prompt, then one key: {@code 1} leaves a message, recorded
 * until the caller presses {@code #} (or hangs up), then thanked with the prompt and hung up; {@code 2} hears the menu
 * again. Without a key (the prompt is played three times) the call is thanked and hung up. Messages are written as
 * {@code message-<res_id>.wav}. The menu is one {@code receive_dtmf_start}: no digit handling by hand.
 *
 * <p>The IVR is written against {@link CtiEngine} alone, so it runs the same on an engine embedded in this process
 * and on a remote engine reached through {@code RemoteCtiEngine}. With a remote engine the files are names in the
 * server's directories: the prompt's name in its sounds directory, and an empty messages folder (messages go to the
 * top of its recordings directory).
 *
 * <pre>
 *   java ... org.cti4j.examples.IvrExample [sip-port | ws://host:8088/rpc] [prompt.wav] [messages-folder]
 * </pre>
 * Then call {@code sip:ivr@<this host>:<sip-port>} from any SIP phone (default port 5070) and press 1. Stop it with
 * Ctrl-C. With a {@code ws://} address it drives the engine of a running cti4j server instead (token in
 * {@code CTI4J_TOKEN}); the prompt is then a name in the server's sounds directory (default {@code prompt.wav}).
 */
public final class IvrExample implements AutoCloseable {

    private final CtiEngine engine;
    private final Path prompt;
    private final Path messages;

    /**
     * Starts the IVR.
     *
     * @param sipPort the SIP port to listen on (0 picks a free one)
     * @param prompt the WAV file played to callers
     * @param messages the folder messages are recorded to
     */
    public IvrExample(int sipPort, Path prompt, Path messages) {
        this(CtiEngine.builder()
                .nodeId("0.0.2")
                .property("sip.port", String.valueOf(sipPort))
                .property("media.rtp-ports", "23000-23999")
                .build(), prompt, messages);
    }

    /**
     * Runs the IVR on an engine: it becomes the engine's incoming call listener. Closing the IVR closes the engine.
     *
     * @param engine an embedded or a remote engine
     * @param prompt the WAV file played to callers: a path, or with a remote engine a name in the server's sounds
     *     directory
     * @param messages the folder messages are recorded to: a path, or with a remote engine a folder in the server's
     *     recordings directory ({@code Path.of("")} for its top)
     */
    public IvrExample(CtiEngine engine, Path prompt, Path messages) {
        this.engine = engine;
        this.prompt = prompt;
        this.messages = messages;
        engine.setIncomingCallListener(new CallListener() {
            @Override
            public void onIncoming(Call call, CallEvent.Incoming event) {
                log(call, "incoming from " + event.fromUri());
                call.answer("ivr");
                menu(call);
            }

            @Override
            public void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
                log(call, "message " + event.reason() + (event.finishKey() != null
                        ? " (key " + event.finishKey() + ")" : ""));
                goodbye(call);
            }

            @Override
            public void onReleased(Call call, CallEvent.Released event) {
                log(call, "released: dropped by " + event.droppedBy().wireName() + ", cause " + event.cause());
            }
        });
    }

    /** Plays the menu and waits for one key: 1 records a message, 2 repeats the menu, none says goodbye. */
    private void menu(Call call) {
        ReceiveDtmfOptions menu = ReceiveDtmfOptions.builder().playFile(prompt.toString()).playRepeat(2)
                .validKeys("12").maxKeys(1).finishKeys("").firstKeyTimeout(8).build();
        try {
            call.receiveDtmfStart(menu).thenAccept(choice -> {
                log(call, "menu: " + choice.reason() + (choice.keys().isEmpty() ? "" : " " + choice.keys()));
                switch (choice.keys()) {
                    case "1" -> record(call);
                    case "2" -> menu(call);
                    default -> {
                        if (choice.reason() != ReceiveDtmfEndReason.HANGUP) {
                            goodbye(call);
                        }
                    }
                }
            });
        } catch (InvalidStateException hungUp) {
            // The caller hung up between the key and the command.
            log(call, "gone before the menu");
        }
    }

    private void record(Call call) {
        Path file = messages.resolve("message-" + call.resId() + ".wav");
        try {
            call.recordStart(file.toString(), "#");
            log(call, "recording to " + file + "; # ends it");
        } catch (InvalidStateException hungUp) {
            log(call, "gone before the message");
        }
    }

    /** Thanks the caller with the prompt and hangs up when it ends. */
    private void goodbye(Call call) {
        if (call.isReleased()) {
            return;
        }
        try {
            call.playStart(prompt.toString()).thenRun(call::drop);
        } catch (InvalidStateException hungUp) {
            // The caller hung up between the check and the command: nothing to thank.
            log(call, "gone before the goodbye");
        }
    }

    private static void log(Call call, String what) {
        System.out.println(Instant.now() + "  " + call.resId() + "  " + what);
    }

    /** Returns the engine, for its resources. */
    public CtiEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        engine.close();
    }

    /**
     * Runs the IVR until Ctrl-C.
     *
     * @param args {@code [sip-port | ws://host:port/rpc] [prompt.wav] [messages-folder]}
     */
    @SuppressWarnings("try") // the IVR answers calls while the try holds it open; it is closed on Ctrl-C
    public static void main(String[] args) throws Exception {
        String where = args.length > 0 ? args[0] : "5070";
        boolean remote = where.startsWith("ws://") || where.startsWith("wss://");
        // Without a prompt given, remotely the server's prompt.wav; here a chime made for this run, deleted at the end.
        Path ownPrompt = args.length > 1 || remote ? null
                : Sounds.chime(Files.createTempFile("cti4j-prompt", ".wav"));
        Path prompt = ownPrompt != null ? ownPrompt : args.length > 1 ? Path.of(args[1]) : Path.of("prompt.wav");
        Path messages = args.length > 2 ? Path.of(args[2]) : remote ? Path.of("") : Path.of(".");
        CountDownLatch stop = new CountDownLatch(1);
        try (IvrExample ivr = remote ? new IvrExample(Remote.engine(where), prompt, messages)
                : new IvrExample(Integer.parseInt(where), prompt, messages)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println(remote ? "IVR answering the inbound calls of the engine at " + where
                    : "IVR listening: call sip:ivr@127.0.0.1:" + where + " (Ctrl-C to stop)");
            stop.await();
        } finally {
            if (ownPrompt != null) {
                Files.deleteIfExists(ownPrompt);
            }
        }
    }
}
