package org.cti4j.media;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;

/** Helpers for tests that run real sessions over loopback UDP. */
final class Fixture {

    /** Generous deadlines: the machines running the tests are small and shared. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    private Fixture() {
    }

    /** Starts a provider on 127.0.0.1 with its own port range, two workers and the given inactivity timeout. */
    static RtpMediaProvider provider(int firstPort, int lastPort, Duration inactivity) {
        return new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(firstPort, lastPort).workers(2)
                .inactivityTimeout(inactivity).build());
    }

    /** Starts a provider with a 30 s inactivity timeout. */
    static RtpMediaProvider provider(int firstPort, int lastPort) {
        return provider(firstPort, lastPort, Duration.ofSeconds(30));
    }

    /** Lets two sessions talk: {@code offerer} offers, {@code answerer} answers, the offerer applies the answer. */
    static void pair(RtpSession offerer, RtpSession answerer) {
        MediaDescription answer = answerer.answer(offerer.localOffer());
        offerer.setRemote(answer);
    }

    /** Pairs two sessions where the answerer's side offers A-law only (so that the pair speaks PCMA). */
    static void pairAlaw(RtpSession offerer, RtpSession answerer) {
        MediaDescription offer = offerer.localOffer();
        MediaDescription alawOffer = new MediaDescription(offer.address(), offer.port(),
                List.of(PayloadType.PCMA, PayloadType.TELEPHONE_EVENT), offer.direction());
        offerer.setRemote(answerer.answer(alawOffer));
    }

    /** Waits until {@code session} has received at least {@code packets} more RTP packets than now. */
    static void awaitPackets(RtpSession session, int packets) {
        long target = session.stats().packetsReceived() + packets;
        Await.until(session + " receiving " + packets + " packets", DEADLINE,
                () -> session.stats().packetsReceived() >= target);
    }

    /** A media listener that remembers what it heard. */
    static final class Events implements MediaListener {
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
    static final class Completion implements MediaOperation.Listener {
        private final AtomicInteger calls = new AtomicInteger();
        private volatile String error;

        @Override
        public void onCompleted(String failure) {
            error = failure;
            calls.incrementAndGet();
        }

        boolean done() {
            return calls.get() > 0;
        }

        int calls() {
            return calls.get();
        }

        String error() {
            return error;
        }

        void await(String what) {
            Await.until(what, DEADLINE, this::done);
        }
    }
}
