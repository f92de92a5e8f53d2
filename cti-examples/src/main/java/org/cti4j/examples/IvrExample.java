package org.cti4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CtiEngine;

/**
 * An IVR: answers every inbound call, plays a prompt, records the caller's message until they press {@code #} (or
 * hang up), thanks them with the prompt again, and hangs up. Messages are written as {@code message-<res_id>.wav}.
 *
 * <pre>
 *   java ... org.cti4j.examples.IvrExample [sip-port] [prompt.wav] [messages-folder]
 * </pre>
 * Then call {@code sip:ivr@<this host>:<sip-port>} from any SIP phone (default port 5070). Stop it with Ctrl-C.
 */
public final class IvrExample implements AutoCloseable {

    private final CtiEngine engine;
    /** Calls whose message is recorded (the prompt that follows must not start another recording). */
    private final java.util.Set<String> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Starts the IVR.
     *
     * @param sipPort the SIP port to listen on (0 picks a free one)
     * @param prompt the WAV file played to callers
     * @param messages the folder messages are recorded to
     */
    public IvrExample(int sipPort, Path prompt, Path messages) {
        engine = CtiEngine.builder()
                .nodeId("0.0.2")
                .property("sip.port", String.valueOf(sipPort))
                .property("media.rtp-ports", "23000-23999")
                .incomingCallListener(new CallListener() {
                    @Override
                    public void onIncoming(Call call, CallEvent.Incoming event) {
                        log(call, "incoming from " + event.fromUri());
                        call.answer("ivr");
                        call.playStart(prompt.toString());
                    }

                    @Override
                    public void onPlayCompleted(Call call, CallEvent.PlayCompleted event) {
                        log(call, "prompt " + event.reason());
                        if (!call.isRecording() && !call.isReleased() && !messageTaken(call)) {
                            Path file = messages.resolve("message-" + call.resId() + ".wav");
                            call.recordStart(file.toString(), "#");
                            log(call, "recording to " + file + "; # ends it");
                        }
                    }

                    @Override
                    public void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
                        log(call, "message " + event.reason() + (event.finishKey() != null
                                ? " (key " + event.finishKey() + ")" : ""));
                        taken.add(call.resId());
                        if (!call.isReleased()) {
                            // Thank the caller and hang up when that ends.
                            call.playStart(prompt.toString()).thenRun(call::drop);
                        }
                    }

                    @Override
                    public void onReleased(Call call, CallEvent.Released event) {
                        taken.remove(call.resId());
                        log(call, "released: dropped by " + event.droppedBy().wireName() + ", cause "
                                + event.cause());
                    }
                })
                .build();
    }

    private boolean messageTaken(Call call) {
        return taken.contains(call.resId());
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
     * @param args {@code [sip-port] [prompt.wav] [messages-folder]}
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5070;
        Path prompt = args.length > 1 ? Path.of(args[1])
                : Sounds.chime(Files.createTempFile("cti4j-prompt", ".wav"));
        Path messages = args.length > 2 ? Path.of(args[2]) : Path.of(".");
        CountDownLatch stop = new CountDownLatch(1);
        try (IvrExample ivr = new IvrExample(port, prompt, messages)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println("IVR listening: call sip:ivr@127.0.0.1:" + port + " (Ctrl-C to stop)");
            stop.await();
        }
    }
}
