package org.cti4j.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.Resource;
import org.cti4j.api.SipUri;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link CtiTest}: an engine and its phones per test, closed after it, with a check
 * that nothing leaked. Register it with {@code @CtiTest} (or {@code @ExtendWith(CtiTestExtension.class)}, which runs
 * in real time).
 */
public final class CtiTestExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CtiTestExtension.class);
    /** How long the engine may take to release its resources after the phones hung up. */
    private static final Duration RELEASE = Duration.ofSeconds(5);
    /** How long the threads of a closed engine and its phones may take to end (the SIP stack's end in about 1 s). */
    private static final Duration THREADS_END = Duration.ofSeconds(10);

    /**
     * Threads that a test's engine and phones do not own, and that may outlive them: the JVM's common pool (which
     * {@code CompletableFuture}'s async methods use), JUnit's own, and the JDK {@code HttpClient}'s selector (a
     * {@code RemoteCtiEngine}'s: before JDK 21 an {@code HttpClient} cannot be closed, and that thread ends only once
     * the client is garbage).
     */
    private static final List<String> FOREIGN_THREADS = List.of("ForkJoinPool.commonPool-worker",
            "junit-jupiter-timeout-watcher", "process reaper", "Attach Listener", "Common-Cleaner", "HttpClient-");

    /** One test's engine and phones. */
    private static final class Kit {
        final Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        final ManualScheduler clock;
        final SipSignalingProvider sip;
        final RtpMediaProvider media;
        final CoreEngine engine;
        final List<TestPhone> phones = new ArrayList<>();

        Kit(boolean manualClock) {
            clock = manualClock ? new ManualScheduler() : null;
            sip = new SipSignalingProvider(SipConfig.builder().host("127.0.0.1").port(0).build());
            media = new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(20000, 29999).workers(2).build());
            CoreEngine.Builder builder = CoreEngine.builder().nodeId("0.0.1").signaling(sip).media(media);
            if (clock != null) {
                builder.scheduler(clock).clock(clock);
            }
            engine = builder.build();
        }

        SipUri address() {
            return new SipUri(null, "127.0.0.1", sip.port());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        boolean manual = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), CtiTest.class)
                .map(CtiTest::manualClock).orElse(false);
        context.getStore(NAMESPACE).put(Kit.class, new Kit(manual));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == CtiEngine.class || type == CoreEngine.class || type == TestPhone.class
                || type == ManualScheduler.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Kit kit = context.getStore(NAMESPACE).get(Kit.class, Kit.class);
        if (kit == null) {
            throw new ParameterResolutionException("TestPhone and CtiEngine parameters are for test methods only");
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == TestPhone.class) {
            String name = parameter.getParameter().isNamePresent() ? parameter.getParameter().getName()
                    : "phone" + (kit.phones.size() + 1);
            TestPhone phone = TestPhone.builder().name(name).target(kit.address()).build();
            kit.phones.add(phone);
            return phone;
        }
        if (type == ManualScheduler.class) {
            if (kit.clock == null) {
                throw new ParameterResolutionException("a ManualScheduler needs @CtiTest(manualClock = true)");
            }
            return kit.clock;
        }
        return kit.engine;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Kit kit = context.getStore(NAMESPACE).remove(Kit.class, Kit.class);
        if (kit == null) {
            return;
        }
        List<String> leaks = new ArrayList<>();
        for (TestPhone phone : kit.phones) {
            phone.hangUpAll();
        }
        awaitQuietly(() -> kit.engine.resources().isEmpty());
        List<Resource> live = kit.engine.resources();
        if (!live.isEmpty()) {
            leaks.add(live.size() + " live resource(s) " + RELEASE.toSeconds() + " s after the phones hung up: "
                    + live.stream().map(Resource::resId).collect(Collectors.joining(", "))
                    + " (release what the test made, e.g. drop its calls)");
        } else {
            // every call released: every media session closed, every RTP port back in the pool
            awaitQuietly(() -> kit.media.sessionCount() == 0 && kit.media.freePorts() == kit.media.portCapacity());
            if (kit.media.sessionCount() > 0 || kit.media.freePorts() != kit.media.portCapacity()) {
                leaks.add(kit.media.sessionCount() + " media session(s) open and "
                        + (kit.media.portCapacity() - kit.media.freePorts()) + " RTP port(s) taken with no call live"
                        + " (a session the engine did not close)");
            }
        }
        int port = kit.sip.port();
        List<AutoCloseable> all = new ArrayList<>(kit.phones);
        all.add(kit.engine);
        TestPhone.closeAll(all.toArray(AutoCloseable[]::new));
        if (!free(port)) {
            leaks.add("the engine's SIP port " + port + " is still taken after it closed");
        }
        if (!parallel(context)) {
            awaitQuietly(() -> threadsStartedSince(kit.threadsBefore).isEmpty(), THREADS_END);
            List<String> threads = threadsStartedSince(kit.threadsBefore);
            if (!threads.isEmpty()) {
                leaks.add(threads.size() + " thread(s) started during the test still alive " + THREADS_END.toSeconds()
                        + " s after the engine and the phones closed: " + String.join(", ", threads)
                        + " (close what the test started: engines, executors, clients)");
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("the test leaked: " + String.join("; ", leaks));
        }
    }

    /**
     * Returns whether JUnit runs tests in parallel here: then threads of other tests start and end during this one,
     * and the thread check is left out.
     */
    private static boolean parallel(ExtensionContext context) {
        return context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
                .map(Boolean::parseBoolean).orElse(false);
    }

    /** The live threads not alive in {@code before} nor {@link #FOREIGN_THREADS}, by name. */
    private static List<String> threadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !before.contains(thread))
                .map(Thread::getName)
                .filter(name -> FOREIGN_THREADS.stream().noneMatch(name::startsWith))
                .sorted()
                .toList();
    }

    /** Waits up to {@link #RELEASE} for {@code condition}; returns either way (the caller reports what it sees). */
    private static void awaitQuietly(java.util.function.BooleanSupplier condition) {
        awaitQuietly(condition, RELEASE);
    }

    /** Waits up to {@code wait} for {@code condition}; returns either way. */
    private static void awaitQuietly(java.util.function.BooleanSupplier condition, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            TestCall.pause();
        }
    }

    /** Returns whether UDP and TCP {@code port} of 127.0.0.1 can be bound, waiting a little for a closing socket. */
    private static boolean free(int port) {
        long deadline = System.nanoTime() + RELEASE.toNanos();
        while (true) {
            try (DatagramSocket udp = new DatagramSocket(null); ServerSocket tcp = new ServerSocket()) {
                udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return true;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                TestCall.pause();
            }
        }
    }

}
