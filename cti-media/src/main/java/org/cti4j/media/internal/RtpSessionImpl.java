package org.cti4j.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.core.spi.SdesCrypto;
import org.cti4j.media.RtpSession;
import org.cti4j.media.RtpStats;
import org.cti4j.media.SrtpMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTP session, owned by one {@link MediaWorker}.
 *
 * <pre>
 *   socket ──▶ RtpReceiver: check, count, latch ─┬─▶ DTMF events ──▶ MediaListener.onDtmf
 *                                                ├─▶ raw payload ──▶ outgoing connections (relay), wake their sinks
 *                                                └─▶ decoded PCM ──▶ mixers, recording
 *   woken by a connection, and every tick (20 ms): the frame to send ──▶ FrameSender ──▶ the far end, recording
 * </pre>
 *
 * <p>The SPI methods may be called from any thread and never block: they hand the change to the worker. Fields below
 * "worker only" are touched on the worker thread only. A playback takes precedence over connections and mixers
 * feeding the session: while it plays, what they bring is dropped (the far end hears the playback alone), and they
 * are heard again when it ends.
 */
public final class RtpSessionImpl implements RtpSession, MediaWorker.Ticking {

    private static final Logger log = LoggerFactory.getLogger(RtpSessionImpl.class);

    private static final int DTMF_MILLIS = 100;

    private final MediaContext context;
    private final MediaWorker worker;
    private final DatagramChannel rtp;
    private final DatagramChannel rtcpChannel;
    private final RtcpEndpoint rtcp;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Playback> playback = new AtomicReference<>();
    private final AtomicReference<Recording> recording = new AtomicReference<>();
    /** The negotiation as last requested, for callers (sendDtmf). */
    private volatile Negotiation requested;
    /** This side's SRTP crypto lines: those of its last offer, or the one of its last answer. */
    private volatile List<SdesCrypto> localCrypto = List.of();

    // worker only
    private SelectionKey rtpKey;
    private SelectionKey rtcpKey;
    private final RemoteEndpoint remote = new RemoteEndpoint();
    private final SessionFeeds feeds = new SessionFeeds();
    private final DtmfSender dtmfSender = new DtmfSender();
    /** The keys being sent by {@link #sendDtmf(String, MediaOperation.Listener)}; worker only. */
    private DtmfSequence keying;
    private final FrameSender sender;
    private final RtpReceiver receiver;

    public RtpSessionImpl(MediaContext context, MediaWorker worker, MediaListener listener, int port,
            DatagramChannel rtp, DatagramChannel rtcpChannel) {
        this.context = context;
        this.worker = worker;
        this.port = port;
        this.rtp = rtp;
        this.rtcpChannel = rtcpChannel;
        int ssrc = ThreadLocalRandom.current().nextInt();
        this.rtcp = new RtcpEndpoint(rtcpChannel, worker, ssrc, context.cname(), remote);
        this.sender = new FrameSender(port, rtp, worker, remote, feeds, playback, recording, dtmfSender, rtcp, closed,
                ssrc);
        this.receiver = new RtpReceiver(port, rtp, worker, remote, feeds, sender, context, listener);
    }

    /** Registers the sockets and starts the clock; on the worker. */
    public void start() {
        worker.execute(() -> {
            if (closed.get()) {
                return;
            }
            try {
                rtpKey = worker.register(rtp, receiver);
                rtcpKey = worker.register(rtcpChannel, rtcp);
            } catch (IOException e) {
                log.error("cannot register the sockets of port {}", port, e);
            }
            worker.addTicking(this);
        });
    }

    public MediaWorker worker() {
        return worker;
    }

    /** Returns the provider-wide context the session belongs to. */
    public MediaContext context() {
        return context;
    }

    /** Returns whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public int localPort() {
        return port;
    }

    // ---- offer / answer ----

    /** Returns this side's offer; with SRTP on, fresh keys (RTP/SAVP when it is mandatory). */
    @Override
    public MediaDescription localOffer() {
        SrtpMode mode = context.srtpMode();
        List<SdesCrypto> crypto = SdesNegotiation.offerLines(mode);
        localCrypto = crypto;
        return new MediaDescription(context.advertisedAddress(), port, Negotiation.OFFERED, MediaDirection.SENDRECV,
                crypto, mode == SrtpMode.MANDATORY);
    }

    @Override
    public MediaDescription answer(MediaDescription remoteOffer) {
        Objects.requireNonNull(remoteOffer, "remoteOffer");
        Negotiation chosen = Negotiation.of(remoteOffer);
        SdesNegotiation.Outcome srtp = SdesNegotiation.answer(context.srtpMode(), remoteOffer);
        localCrypto = srtp.lines();
        setRemote(remoteOffer, chosen, srtp.keys());
        return new MediaDescription(context.advertisedAddress(), port, chosen.answerTypes(),
                remoteOffer.direction().reversed(), srtp.lines(), srtp.secureProfile());
    }

    @Override
    public void setRemote(MediaDescription remote) {
        Objects.requireNonNull(remote, "remote");
        Negotiation chosen = remote.port() == 0 ? null : Negotiation.of(remote);
        SdesNegotiation.Keys keys = remote.port() == 0 ? null
                : SdesNegotiation.accept(context.srtpMode(), localCrypto, remote);
        setRemote(remote, chosen, keys);
    }

    private void setRemote(MediaDescription remote, Negotiation chosen, SdesNegotiation.Keys keys) {
        requested = chosen;
        if (chosen == null || remote.port() == 0 || isUnspecified(remote.address())) {
            worker.execute(() -> applyRemote(chosen, null, keys));
            return;
        }
        context.resolve(remote.address(), remote.port(),
                address -> worker.execute(() -> applyRemote(chosen, address, keys)));
    }

    private static boolean isUnspecified(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.isEmpty();
    }

    private void applyRemote(Negotiation chosen, InetSocketAddress address, SdesNegotiation.Keys keys) {
        if (remote.apply(chosen, address)) {
            rtcp.resetRemote();
        }
        remote.srtp().apply(keys);
        receiver.expectFromNow();
        log.debug("session {}: far end {} {}{}", port, address, chosen, keys == null ? "" : " SRTP " + keys.suite());
    }

    // ---- the clock ----

    @Override
    public void tick(long now) {
        if (closed.get()) {
            return;
        }
        receiver.checkInactivity(now);
        if (keying != null && keying.tick(now)) {
            keying = null;
        }
        sender.tick(now);
    }

    /** Returns whether the session holds the buffers of a recording: only once it recorded. Worker thread only. */
    public boolean hasRecordingBuffers() {
        return sender.hasRecordingTap();
    }

    /** Called by a connection's source (any thread) when it queued a payload for this session to relay. */
    public void payloadQueued() {
        sender.payloadQueued();
    }

    // ---- playback, recording, DTMF ----

    @Override
    public MediaOperation play(PlaySource source, MediaOperation.Listener operationListener) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(operationListener, "listener");
        Playback next;
        if (source instanceof PlaySource.File file) {
            next = new FilePlayback(file.path(), file.loop(), context.io().opener(), operationListener);
        } else if (source instanceof PlaySource.Playlist list) {
            next = new FilePlayback(list.paths(), list.repeat() + 1, context.io().opener(), operationListener);
        } else {
            next = context.ringback(operationListener);
        }
        if (closed.get()) {
            next.complete("the media session is closed");
            return next;
        }
        Playback previous = playback.getAndSet(next);
        if (previous != null) {
            previous.complete(null);
        }
        if (next instanceof FilePlayback file && !context.io().start(file)) {
            next.complete("the media provider is closed");
        }
        if (closed.get()) {
            next.complete(null);
        }
        return next;
    }

    @Override
    public MediaOperation record(String file, RecordFormat format, boolean replace,
            MediaOperation.Listener operationListener) {
        return record(file, format, replace, false, operationListener);
    }

    /** Records mono, or stereo: left what the far end sends, right what the session sends it. */
    @Override
    public MediaOperation record(String file, RecordFormat format, boolean replace, boolean stereo,
            MediaOperation.Listener operationListener) {
        MediaOperation started = Recording.startIn(recording, closed, file, replace, format, stereo,
                operationListener, context);
        worker.execute(sender::startTap);
        return started;
    }

    @Override
    public void sendDtmf(char key) {
        int event = Dtmf.event(key);
        if (event < 0) {
            throw new IllegalArgumentException("'" + key + "' is not a DTMF key (0-9, *, #, A-D)");
        }
        Negotiation current = requested;
        if (closed.get()) {
            throw new IllegalStateException("session " + port + " is closed");
        }
        if (current == null || current.telephoneEvent() < 0) {
            throw new IllegalStateException("session " + port + ": the far end did not negotiate telephone-event");
        }
        worker.execute(() -> dtmfSender.enqueue(event, DTMF_MILLIS));
    }

    @Override
    public boolean canSendDtmfEvents() {
        Negotiation current = requested;
        return current != null && current.telephoneEvent() >= 0;
    }

    @Override
    public MediaOperation sendDtmf(String keys, MediaOperation.Listener operationListener) {
        for (int i = 0; i < keys.length(); i++) {
            if (keys.charAt(i) != ',' && Dtmf.event(keys.charAt(i)) < 0) {
                throw new MediaException(488, "'" + keys.charAt(i)
                        + "' is not a DTMF key (0-9, *, #, A-D) or a pause (,)");
            }
        }
        Negotiation current = requested;
        if (closed.get()) {
            throw new MediaException(503, "session " + port + " is closed");
        }
        if (current == null || current.telephoneEvent() < 0) {
            throw new MediaException(488, "the far end did not negotiate telephone-event (RFC 4733): it cannot be sent"
                    + " DTMF keys");
        }
        DtmfSequence sequence = new DtmfSequence(keys, dtmfSender, DTMF_MILLIS, operationListener);
        worker.execute(() -> {
            if (closed.get()) {
                sequence.end("the call's media ended");
                return;
            }
            if (keying != null) {
                keying.end("replaced by another sequence of keys");
            }
            keying = sequence;
        });
        return sequence;
    }

    @Override
    public RtpStats stats() {
        return receiver.stats(sender.packetsSent(), rtcp);
    }

    // ---- connections and mixers (worker only) ----

    public void addOutgoing(RtpConnection connection) {
        if (!connection.isClosed() && !closed.get()) {
            feeds.addOutgoing(connection);
        }
    }

    public void addIncoming(RtpConnection connection) {
        if (!connection.isClosed() && !closed.get()) {
            feeds.addIncoming(connection);
        }
    }

    public void removeConnection(RtpConnection connection) {
        feeds.remove(connection);
    }

    public void joinMixer(MixerMember member) {
        if (!member.hasLeft() && !closed.get()) {
            feeds.join(member);
        }
    }

    public void leaveMixer(MixerMember member) {
        feeds.leave(member);
    }

    // ---- closing ----

    /**
     * Closes the session: completes its playback, completes its recording file before returning (a short write),
     * then hands the rest to the worker, which leaves connections and mixers, closes the sockets and frees the port.
     * Safe to call twice, from any thread.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Playback current = playback.getAndSet(null);
        if (current != null) {
            current.complete(null);
        }
        Recording recorder = recording.getAndSet(null);
        if (recorder != null) {
            recorder.finishNow();
        }
        worker.execute(this::closeOnWorker);
    }

    private void closeOnWorker() {
        worker.removeTicking(this);
        if (keying != null) {
            keying.end("the call's media ended");
            keying = null;
        }
        feeds.detachAll(this);
        if (rtpKey != null) {
            rtpKey.cancel();
        }
        if (rtcpKey != null) {
            rtcpKey.cancel();
        }
        closeQuietly(rtp);
        closeQuietly(rtcpChannel);
        worker.afterNextSelect(() -> context.sessionClosed(this, port));
    }

    private void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("session {}: closing a socket failed", port, e);
        }
    }

    @Override
    public String toString() {
        return "RtpSession[" + port + "]";
    }
}
