package org.cti4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.api.SipUri;
import org.cti4j.core.CoreEngine;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.SipAccount;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipRegistration;
import org.cti4j.sip.SipSignalingProvider;

/**
 * A real SIP phone inside a test: it listens on a free UDP/TCP port of 127.0.0.1, speaks real SIP and real RTP
 * (it is built on cti4j's own SIP and media modules), and is scripted by the test — what it does with the calls it
 * receives, the calls it places, the tones and keys it sends — while every {@link TestCall} records what it hears, so
 * that the test asserts on what a caller would really have heard.
 *
 * <pre>{@code
 * try (TestPhone alice = TestPhone.builder().name("alice").target(engineAddress).build()) {
 *     alice.answerAfter(Duration.ofMillis(200));          // the next calls ring 200 ms, then are answered
 *     Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(alice.uri())
 *             .maxAnswerSeconds(30).build(), listener);
 *     TestCall received = alice.awaitCall(Duration.ofSeconds(5));
 *     received.awaitAnswered(Duration.ofSeconds(5));
 *     call.playStart("welcome.wav");
 *     received.awaitTone(440, Duration.ofMillis(500), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>What it does with a call it receives ({@link #answerAfter}, {@link #ringWithoutAnswer}, {@link #reject},
 * {@link #busy}, {@link #redirectTo}) holds for every call from then on; by default it answers at once. Closing the
 * phone hangs up its calls, stops it, and deletes what it recorded. Thread-safe.
 *
 * <p>A phone can also register with a registrar ({@link Builder#register}), so that a PBX's calls to its AoR reach
 * it.
 *
 * <p>A phone that never responds at all is a {@link SilentPhone}. A call is put on hold with {@link TestCall#hold}.
 */
public final class TestPhone implements AutoCloseable {

    private static final AtomicInteger PHONES = new AtomicInteger();
    private static final CallListener IGNORED = new CallListener() { };

    private final String name;
    private final SipUri target;
    private final SipAccount account;
    private final SipSignalingProvider sip;
    private final CoreEngine engine;
    private final Path directory;
    private final ScheduledExecutorService timer;
    private final LinkedBlockingQueue<TestCall> received = new LinkedBlockingQueue<>();
    private final List<TestCall> calls = new CopyOnWriteArrayList<>();
    private final Map<String, TestCall> inbound = new ConcurrentHashMap<>();
    private final Map<String, Path> tones = new ConcurrentHashMap<>();
    private final AtomicInteger callCount = new AtomicInteger();
    private volatile Policy policy = Policy.answer(Duration.ZERO);

    private enum Action { ANSWER, RING, REJECT, REDIRECT }

    /** What the phone does with a call it receives. */
    private record Policy(Action action, Duration delay, int status, SipUri redirect) {
        static Policy answer(Duration delay) {
            return new Policy(Action.ANSWER, delay, 0, null);
        }
    }

    private TestPhone(Builder builder) {
        this.name = builder.name;
        this.target = builder.target;
        this.account = builder.account;
        try {
            this.directory = Files.createTempDirectory("cti4j-testphone-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for phone " + name, e);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cti4j-testphone-" + name);
            thread.setDaemon(true);
            return thread;
        });
        SipConfig.Builder config = SipConfig.builder().host("127.0.0.1").port(0).userAgent("cti4j TestPhone");
        if (account != null) {
            config.account(account);
        }
        this.sip = new SipSignalingProvider(config.build());
        this.engine = CoreEngine.builder()
                .nodeId("0.0." + (9000 + PHONES.incrementAndGet() % 1000))
                .signaling(sip)
                .media(new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(builder.firstRtpPort,
                        builder.lastRtpPort).workers(1).build()))
                .inboundAnswerTimeout(Duration.ofMinutes(10))
                .incomingCallListener(new Inbound())
                .build();
    }

    /** Starts a phone called {@code name} (its SIP user), which places calls to full SIP URIs only. */
    public static TestPhone start(String name) {
        return builder().name(name).build();
    }

    /** Returns a builder of a phone. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the phone's own address, {@code sip:<name>@127.0.0.1:<port>}: dial it to reach the phone. */
    public SipUri uri() {
        return new SipUri(name, "127.0.0.1", sip.port());
    }

    /**
     * Waits until the phone's registration ({@link Builder#register}) is held by the registrar.
     *
     * @throws IllegalStateException if the phone registers with no registrar
     * @throws AssertionError naming the registration's state, status and reason if it is not held within
     *     {@code timeout}
     */
    public TestPhone awaitRegistered(Duration timeout) {
        if (account == null) {
            throw new IllegalStateException(this + " registers with no registrar: build it with register(account)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SipRegistration> registrations = sip.registrations();
            SipRegistration registration = registrations.isEmpty() ? null : registrations.get(0);
            if (registration != null && registration.registered()) {
                return this;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(this + " is not registered with " + account.registrar() + " as "
                        + account.aor() + " after " + timeout.toMillis() + " ms: " + (registration == null
                        ? "no registration yet" : registration.state() + ", status " + registration.status()
                        + (registration.reason() == null ? "" : ", " + registration.reason())));
            }
            TestCall.pause();
        }
    }

    /** Returns the phone's name, the user of its {@link #uri()}. */
    public String name() {
        return name;
    }

    /** From now on, answers the calls it receives at once (the default). */
    public TestPhone answer() {
        return answerAfter(Duration.ZERO);
    }

    /** From now on, lets the calls it receives ring for {@code delay} (180 Ringing), then answers them. */
    public TestPhone answerAfter(Duration delay) {
        policy = Policy.answer(Objects.requireNonNull(delay, "delay"));
        return this;
    }

    /** From now on, lets the calls it receives ring until the caller gives up (or 10 minutes). */
    public TestPhone ringWithoutAnswer() {
        policy = new Policy(Action.RING, Duration.ZERO, 0, null);
        return this;
    }

    /** From now on, rejects the calls it receives with a SIP status, 400 to 699 (e.g. 603 Decline). */
    public TestPhone reject(int status) {
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("a rejection is a SIP status of 400 to 699, not " + status);
        }
        policy = new Policy(Action.REJECT, Duration.ZERO, status, null);
        return this;
    }

    /** From now on, answers the calls it receives with 486 Busy Here. */
    public TestPhone busy() {
        return reject(486);
    }

    /** From now on, redirects the calls it receives to {@code uri} (302 Moved Temporarily). */
    public TestPhone redirectTo(String uri) {
        policy = new Policy(Action.REDIRECT, Duration.ZERO, 0, SipUri.parse("redirect_uri", uri));
        return this;
    }

    /**
     * Waits for the next call the phone receives (it has already been answered, rejected or left ringing as the phone
     * was told).
     *
     * @throws AssertionError if none comes within {@code timeout}
     */
    public TestCall awaitCall(Duration timeout) {
        try {
            TestCall call = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (call == null) {
                throw new AssertionError(this + " received no call within " + TestCall.seconds(timeout));
            }
            return call;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a call", e);
        }
    }

    /**
     * Places a call: to a SIP URI ({@code sip:ivr@127.0.0.1:5070}), or to a user of the phone's target
     * ({@code "ivr"}: the engine of a {@link CtiTest}). It rings for at most 60 seconds.
     *
     * @throws IllegalStateException if a bare user is given to a phone without a target
     */
    public TestCall call(String to) {
        SipUri uri;
        if (to.startsWith("sip:") || to.startsWith("sips:") || to.contains("@")) {
            uri = SipUri.parse("to_uri", to);
        } else if (target == null) {
            throw new IllegalStateException(this + " has no target to call user '" + to + "' at; give a SIP URI");
        } else {
            uri = new SipUri(to, target.host(), target.port());
        }
        TestCall call = newCall();
        // A registered phone calls from its AoR: the account's credentials and proxy then carry the call.
        SipUri from = account != null ? account.aor() : uri();
        call.bind(engine.dial(DialOptions.builder().fromUri(from).toUri(uri).maxAnswerSeconds(60)
                .maxRingSeconds(60).build(), call.listener));
        return call;
    }

    /** Returns the calls of this phone that are not released yet. */
    public List<TestCall> liveCalls() {
        return calls.stream().filter(c -> !c.isReleased()).toList();
    }

    private TestCall newCall() {
        TestCall call = new TestCall(this, directory.resolve("call-" + callCount.incrementAndGet() + ".wav"));
        calls.add(call);
        return call;
    }

    /** Returns a WAV file of a sine of {@code hertz} for {@code length} at a third of full scale (made once). */
    Path tone(double hertz, Duration length) {
        String key = hertz + "-" + length.toMillis();
        return tones.computeIfAbsent(key, k -> writeTone(directory.resolve("tone-" + tones.size() + ".wav"), hertz,
                length));
    }

    /** Writes a WAV file of a sine of {@code hertz} for {@code length} at a third of full scale. */
    static Path writeTone(Path file, double hertz, Duration length) {
        int samples = (int) (length.toMillis() * Hearing.RATE / 1000);
        ByteBuffer wav = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        wav.putInt(0x46464952).putInt(36 + 2 * samples).putInt(0x45564157);
        wav.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(Hearing.RATE)
                .putInt(2 * Hearing.RATE).putShort((short) 2).putShort((short) 16);
        wav.putInt(0x61746164).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) Math.round(Math.sin(2 * Math.PI * hertz * i / Hearing.RATE) * 32767 / 3));
        }
        try {
            return Files.write(file, wav.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a tone to " + file, e);
        }
    }

    /**
     * Hangs up every call of the phone, waits for their release (a few seconds at most), stops the phone and deletes
     * its files. Safe to call twice. Stopping takes about a second (the SIP stack's own pause): close several phones
     * with {@link #closeAll} to pay it once.
     */
    @Override
    public void close() {
        hangUpAll();
        shutDown();
    }

    /**
     * Closes phones (and anything else given, such as the engine under test) at once, each on its own thread, after
     * every phone has hung up its calls; returns when all are closed.
     *
     * @throws RuntimeException the first failure of a close, the others suppressed in it
     */
    public static void closeAll(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            if (closeable instanceof TestPhone phone) {
                phone.hangUpAll();
            }
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            Thread thread = new Thread(() -> {
                try {
                    if (closeable instanceof TestPhone phone) {
                        phone.shutDown();
                    } else {
                        closeable.close();
                    }
                } catch (Exception | Error e) {
                    failures.add(e);
                }
            }, "cti4j-testkit-close");
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while closing", e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0) instanceof RuntimeException r ? r
                    : new IllegalStateException("closing failed", failures.get(0));
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Hangs up every call of the phone and waits for their release (a few seconds at most). */
    void hangUpAll() {
        for (TestCall call : calls) {
            try {
                call.hangUp();
            } catch (RuntimeException e) {
                // released meanwhile
            }
        }
        for (TestCall call : calls) {
            if (!call.isReleased()) {
                try {
                    call.awaitReleased(Duration.ofSeconds(5));
                } catch (AssertionError e) {
                    // closing the engine ends it
                }
            }
        }
    }

    /** Stops the phone and deletes its files. */
    private void shutDown() {
        engine.close();
        timer.shutdownNow();
        for (TestCall call : calls) {
            call.discard(Duration.ofSeconds(5));
        }
        if (!Files.isDirectory(directory)) {
            return; // closed before
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the files of " + this, e);
        }
    }

    @Override
    public String toString() {
        return "phone " + name;
    }

    /** Applies the phone's policy to each call it receives, then hands the call's events to its {@link TestCall}. */
    private final class Inbound implements CallListener {

        @Override
        public void onIncoming(Call call, CallEvent.Incoming event) {
            TestCall test = newCall();
            test.bind(call);
            inbound.put(call.resId(), test);
            Policy now = policy;
            switch (now.action()) {
                case ANSWER -> {
                    if (now.delay().isZero()) {
                        test.answerNow();
                    } else {
                        var unused = timer.schedule(() -> answerLater(test), now.delay().toMillis(),
                                TimeUnit.MILLISECONDS); // answerLater reports nothing: it cannot fail
                    }
                }
                case REJECT -> call.reject(now.status());
                case REDIRECT -> call.redirect(now.redirect());
                case RING -> {
                    // rings until the caller gives up
                }
            }
            received.add(test);
        }

        private void answerLater(TestCall test) {
            try {
                test.answerNow();
            } catch (RuntimeException e) {
                // the caller gave up meanwhile
            }
        }

        @Override
        public void onAnswered(Call call, CallEvent.Answered event) {
            forward(call).onAnswered(call, event);
        }

        @Override
        public void onDtmf(Call call, CallEvent.Dtmf event) {
            forward(call).onDtmf(call, event);
        }

        @Override
        public void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
            forward(call).onRecordCompleted(call, event);
        }

        @Override
        public void onReleased(Call call, CallEvent.Released event) {
            forward(call).onReleased(call, event);
        }

        /** Returns the call's {@link TestCall}'s listener, or one that ignores the event of an unknown call. */
        private CallListener forward(Call call) {
            TestCall test = inbound.get(call.resId());
            return test != null ? test.listener : IGNORED;
        }
    }

    /** Builds a {@link TestPhone}. Not thread-safe. */
    public static final class Builder {
        private String name = "phone";
        private SipUri target;
        private SipAccount account;
        private int firstRtpPort = 30000;
        private int lastRtpPort = 39999;

        private Builder() {
        }

        /** Sets the phone's name, the user of its URI (default {@code phone}). */
        public Builder name(String name) {
            if (name == null || !name.matches("[A-Za-z0-9._~-]+")) {
                throw new IllegalArgumentException("a phone's name is a SIP user of letters, digits and ._~-: "
                        + name);
            }
            this.name = name;
            return this;
        }

        /** Sets where {@link TestPhone#call(String)} sends a bare user: a SIP URI's host and port (its user unused). */
        public Builder target(SipUri target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /**
         * Registers the phone with a registrar, as a desk phone registers with its PBX: from start to close it keeps
         * the registration of {@code account}'s AoR (its Contact is the phone's own address), so that calls to the
         * AoR through the registrar reach it; the calls it places are from the AoR, through the account's outbound
         * proxy, answering its challenges with the account's credentials. {@link TestPhone#awaitRegistered} waits
         * for the registrar to hold it.
         */
        public Builder register(SipAccount account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        /** Sets the RTP port range the phone takes its ports from (default 30000-39999, shared by every phone). */
        public Builder rtpPorts(int first, int last) {
            this.firstRtpPort = first;
            this.lastRtpPort = last;
            return this;
        }

        /** Starts the phone. */
        public TestPhone build() {
            return new TestPhone(this);
        }
    }
}
