package org.cti4j.media.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;

/** Helpers for tests that run real sessions over loopback UDP. */
public final class Fixture {

    /** Generous deadlines: the machines running the tests are small and shared. */
    public static final Duration DEADLINE = Duration.ofSeconds(20);

    private Fixture() {
    }

    /** Starts a provider on 127.0.0.1 with its own port range, two workers and the given inactivity timeout. */
    public static RtpMediaProvider provider(int firstPort, int lastPort, Duration inactivity) {
        return new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(firstPort, lastPort).workers(2)
                .inactivityTimeout(inactivity).build());
    }

    /** Starts a provider with a 30 s inactivity timeout. */
    public static RtpMediaProvider provider(int firstPort, int lastPort) {
        return provider(firstPort, lastPort, Duration.ofSeconds(30));
    }

    /** Lets two sessions talk: {@code offerer} offers, {@code answerer} answers, the offerer applies the answer. */
    public static void pair(RtpSession offerer, RtpSession answerer) {
        MediaDescription answer = answerer.answer(offerer.localOffer());
        offerer.setRemote(answer);
    }

    /** Pairs two sessions where the answerer's side offers A-law only (so that the pair speaks PCMA). */
    public static void pairAlaw(RtpSession offerer, RtpSession answerer) {
        MediaDescription offer = offerer.localOffer();
        MediaDescription alawOffer = new MediaDescription(offer.address(), offer.port(),
                List.of(PayloadType.PCMA, PayloadType.TELEPHONE_EVENT), offer.direction());
        offerer.setRemote(answerer.answer(alawOffer));
    }

    /** Waits until {@code session} has received at least {@code packets} more RTP packets than now. */
    public static void awaitPackets(RtpSession session, int packets) {
        long target = session.stats().packetsReceived() + packets;
        Await.until(session + " receiving " + packets + " packets", DEADLINE,
                () -> session.stats().packetsReceived() >= target);
    }

    /** A media listener that remembers what it heard. */
    public static final class Events implements MediaListener {
        final List<Character> digits = new CopyOnWriteArrayList<>();
        final AtomicInteger inactivity = new AtomicInteger();

        @Override
        public void onDtmf(char digit) {
            digits.add(digit);
        }

        @Override
        public void onInactivity() {
            inactivity.incrementAndGet();
        }
    }

    /** An operation listener that remembers how often it was called and with what. */
    public static final class Completion implements MediaOperation.Listener {
        private final AtomicInteger calls = new AtomicInteger();
        private volatile String error;

        @Override
        public void onCompleted(String failure) {
            error = failure;
            calls.incrementAndGet();
        }

        public boolean done() {
            return calls.get() > 0;
        }

        public int calls() {
            return calls.get();
        }

        public String error() {
            return error;
        }

        public void await(String what) {
            Await.until(what, DEADLINE, this::done);
        }
    }
}
