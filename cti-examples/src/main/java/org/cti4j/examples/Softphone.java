package org.cti4j.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.PlayEndReason;
import org.cti4j.core.CoreEngine;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;

/**
 * A tiny auto-answering softphone made of cti4j itself: an engine of its own (SIP on a free port, RTP on its own
 * port range) whose inbound-call listener rings for a moment, answers, and says a sound file over and over until the
 * caller hangs up. The demo uses two of them as the parties of a duo callback.
 */
public final class Softphone implements AutoCloseable {

    private final String name;
    private final Path says;
    private final SipSignalingProvider sip;
    private final CoreEngine engine;

    /**
     * Starts a softphone.
     *
     * @param name its user name (its address is {@code sip:<name>@127.0.0.1:<port>})
     * @param says the WAV file it plays to whoever calls
     * @param ringFor how long it rings before it answers
     * @param rtpPorts its RTP port range, such as {@code 21000-21099}
     */
    public Softphone(String name, Path says, Duration ringFor, String rtpPorts) {
        this.name = name;
        this.says = says;
        this.sip = new SipSignalingProvider(SipConfig.builder().port(0).userAgent("cti4j-softphone").build());
        int dash = rtpPorts.indexOf('-');
        RtpMediaProvider media = new RtpMediaProvider(RtpMediaConfig.builder()
                .rtpPorts(Integer.parseInt(rtpPorts.substring(0, dash)), Integer.parseInt(rtpPorts.substring(dash + 1)))
                .workers(1).build());
        this.engine = CoreEngine.builder().nodeId("9.9.9").signaling(sip).media(media)
                .incomingCallListener(new CallListener() {
                    @Override
                    public void onIncoming(Call call, CallEvent.Incoming event) {
                        CompletableFuture.delayedExecutor(ringFor.toMillis(), TimeUnit.MILLISECONDS)
                                .execute(() -> answer(call));
                    }

                    @Override
                    public void onPlayCompleted(Call call, CallEvent.PlayCompleted event) {
                        // Say it again while the call lasts.
                        if (event.reason() == PlayEndReason.FINISHED && !call.isReleased()) {
                            call.playStart(says.toString());
                        }
                    }
                }).build();
    }

    private void answer(Call call) {
        if (!call.isReleased()) {
            call.answer();
            call.playStart(says.toString());
        }
    }

    /** Returns its address, to call it. */
    public String uri() {
        return "sip:" + name + "@127.0.0.1:" + sip.port();
    }

    @Override
    public void close() {
        engine.close();
    }
}
