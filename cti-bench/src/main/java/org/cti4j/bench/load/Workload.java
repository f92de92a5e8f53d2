package org.cti4j.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.EngineUnavailableException;
import org.cti4j.api.Resource;

/**
 * Starts duo callbacks (or calls) on the engine at a rate, ends each after its hold, and notes in the
 * {@link Timelines} and {@link Counters} what the engine reports. The launcher runs on the caller's thread; the
 * engine's listener methods run on its event threads; holds end on one timer thread of the harness.
 *
 * <p>Each call's id is in its SIP URIs ({@code p1-ID}, {@code p2-ID}, {@code c-ID}), so that the relays and the probe
 * can tell whose INVITE, 200 OK or RTP they see, and in its user data, so that the listeners can.
 *
 * <p>A construct the engine refuses ({@link EngineUnavailableException}: at its admission limits, draining; from a
 * cluster, when every engine refused) is counted as refused: it frees its slot at once, is neither failed nor lost,
 * and puts nothing on the wire. Which engine took each of the others is noted from its {@code res_id}.
 */
final class Workload implements AutoCloseable {

    private static final String FROM = "sip:load@127.0.0.1";

    private final CtiEngine engine;
    private final LoadOptions options;
    private final Timelines timelines;
    private final Counters counters;
    private final InetSocketAddress party1;
    private final InetSocketAddress party2;
    private final InetSocketAddress probe;
    private final ToIntFunction<String> engineOf;
    private final ScheduledThreadPoolExecutor holds;
    private final Resource[] held;
    private final DuoCallbackListener duoListener = new DuoListener();
    private final CallListener callListener = new OutboundListener();
    /** The hold of the calls being launched, in nanoseconds; 0: held until {@link #releaseHeld} (steady phase). */
    private volatile long holdNanos;

    /**
     * Creates the workload; nothing starts until {@link #launch}.
     *
     * @param engineOf the index of the engine a {@code res_id} belongs to, -1 if none
     */
    Workload(CtiEngine engine, LoadOptions options, Timelines timelines, Counters counters, InetSocketAddress party1,
            InetSocketAddress party2, InetSocketAddress probe, ToIntFunction<String> engineOf, OwnThreads threads) {
        this.engine = engine;
        this.engineOf = engineOf;
        this.options = options;
        this.timelines = timelines;
        this.counters = counters;
        this.party1 = party1;
        this.party2 = party2;
        this.probe = probe;
        this.holds = new ScheduledThreadPoolExecutor(1, threads);
        this.holds.setRemoveOnCancelPolicy(true);
        this.held = new Resource[timelines.capacity()];
    }

    /**
     * Launches ids {@code first, first + 1, ...} at {@code rate} per second, each held {@code hold} once bridged (0:
     * until {@link #releaseHeld}), at most {@code maxLive} alive at once, until {@code count} are launched or
     * {@code limit} has passed.
     *
     * @return how many were launched
     */
    int launch(int first, int count, double rate, int maxLive, Duration hold, Duration limit) {
        holdNanos = hold.toNanos();
        long interval = Math.max(1, Math.round(1e9 / rate));
        long start = System.nanoTime();
        long end = start + limit.toNanos();
        long due = start;
        int launched = 0;
        while (launched < count) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            if (now < due) {
                LockSupport.parkNanos(Math.min(due - now, 1_000_000));
                continue;
            }
            if (counters.live() >= maxLive) {
                LockSupport.parkNanos(200_000);
                continue;
            }
            if (now - due > interval) {
                counters.late.incrementAndGet();
            }
            start(first + launched);
            launched++;
            due += interval;
            if (now - due > 100_000_000L) {
                due = now; // no burst of more than 100 ms worth of launches to catch up
            }
        }
        return launched;
    }

    private void start(int id) {
        boolean probed = options.probeEvery() > 0 && id % options.probeEvery() == 0;
        timelines.probe[id] = probed;
        int maxSeconds = (int) Math.min(604_800, (holdNanos == 0 ? 3_600 : holdNanos / 1_000_000_000L) + 60);
        Resource resource;
        try {
            if (options.mode() == LoadOptions.Mode.DUO) {
                DuoCallbackOptions duo = DuoCallbackOptions.builder()
                        .from1Uri(FROM).to1Uri(uri("p1-" + id, party1))
                        .from2Uri(FROM).to2Uri(uri("p2-" + id, probed ? probe : party2))
                        .maxConnectSeconds(maxSeconds).maxRingSeconds(10)
                        .userData1(Integer.toString(id)).build();
                counters.launched.incrementAndGet();
                timelines.construct[id] = System.nanoTime();
                resource = engine.startDuoCallback(duo, duoListener);
            } else {
                DialOptions call = DialOptions.builder().fromUri(FROM).toUri(uri("c-" + id, probed ? probe : party1))
                        .maxAnswerSeconds(maxSeconds).maxRingSeconds(10).userData(Integer.toString(id)).build();
                counters.launched.incrementAndGet();
                timelines.construct[id] = System.nanoTime();
                resource = engine.dial(call, callListener);
            }
            held[id] = resource;
            // the local, not held[id]: a call released at once may have cleared its slot already
            int index = engineOf.applyAsInt(resource.resId());
            timelines.engine[id] = (byte) (index + 1);
        } catch (EngineUnavailableException e) {
            timelines.outcome[id] = Timelines.REFUSED;
            counters.refuse(e.getMessage());
            counters.released.incrementAndGet();
        } catch (RuntimeException e) {
            timelines.outcome[id] = Timelines.FAILED;
            counters.fail("could not start: " + e.getMessage());
            counters.released.incrementAndGet();
        }
    }

    private static String uri(String user, InetSocketAddress at) {
        return "sip:" + user + "@127.0.0.1:" + at.getPort();
    }

    /** Ends every held call (duo callback or call) with an id in {@code [first, end)}. */
    void releaseHeld(int first, int end) {
        for (int id = first; id < end; id++) {
            Resource resource = held[id];
            if (resource != null) {
                endQuietly(resource);
            }
        }
    }

    /** Waits until every launched call is released or {@code timeout} passes; returns whether all were. */
    boolean awaitReleased(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counters.live() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(20_000_000L);
        }
        return true;
    }

    /** Waits until {@code target} calls are bridged at once, or until none is still on its way; true if reached. */
    boolean awaitBridged(int target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counters.bridgedNow.get() < target) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(20_000_000L);
        }
        return true;
    }

    private static void endQuietly(Resource resource) {
        try {
            if (resource instanceof DuoCallback duo) {
                duo.release();
            } else if (resource instanceof Call call) {
                call.drop();
            }
        } catch (RuntimeException e) {
            // released already: a party hung up, or max_connect_seconds
        }
    }

    // A hold ends with shutdownNow() in close(), never through its future; endQuietly() catches its failures.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void connected(int id, long engineNanos, Resource resource) {
        // over JSON-RPC the events carry no time of their own finer than a second: only the embedded run has it
        timelines.connected[id] = options.via() == LoadOptions.Via.EMBEDDED ? engineNanos : 0;
        timelines.connectedHeard[id] = System.nanoTime();
        counters.connected.incrementAndGet();
        counters.bridgedNow.incrementAndGet();
        long hold = holdNanos;
        if (hold > 0) {
            holds.schedule(() -> endQuietly(resource), hold, TimeUnit.NANOSECONDS);
        }
    }

    private void released(int id, boolean bridged, String error) {
        timelines.released[id] = System.nanoTime();
        held[id] = null;
        if (bridged) {
            counters.bridgedNow.decrementAndGet();
        }
        if (error == null) {
            timelines.outcome[id] = Timelines.OK;
        } else {
            timelines.outcome[id] = Timelines.FAILED;
            counters.fail(error);
        }
        counters.released.incrementAndGet();
    }

    /** Hears the duo callbacks. */
    private final class DuoListener implements DuoCallbackListener {
        @Override
        public void onStateChanged(DuoCallback duo, DuoCallbackEvent.StateChanged event) {
            if (event.to() == DuoCallbackState.CONNECTED) {
                connected(Integer.parseInt(duo.options().userData1()), timelines.toNanos(event.time()), duo);
            }
        }

        @Override
        public void onReleased(DuoCallback duo, DuoCallbackEvent.Released event) {
            boolean bridged = event.connectTime() != null;
            String error = event.error() != null ? event.error()
                    : bridged ? null : "released without error but never bridged";
            released(Integer.parseInt(event.userData()), bridged, error);
        }
    }

    /** Hears the outbound calls. */
    private final class OutboundListener implements CallListener {
        @Override
        public void onAnswered(Call call, CallEvent.Answered event) {
            connected(Integer.parseInt(call.userData()), timelines.toNanos(event.answerTime()), call);
        }

        @Override
        public void onReleased(Call call, CallEvent.Released event) {
            boolean answered = event.answerTime() != null;
            String error = !answered ? "not answered: " + event.cause() + " (dropped by " + event.droppedBy() + ")"
                    : event.cause() != 200 ? "ended with cause " + event.cause() + " by " + event.droppedBy() : null;
            released(Integer.parseInt(event.userData()), answered, error);
        }
    }

    @Override
    public void close() {
        holds.shutdownNow();
    }
}
