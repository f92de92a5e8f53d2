package org.cti4j.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** One test's engine and phones. */
    private static final class Kit {
        final ManualScheduler clock;
        final SipSignalingProvider sip;
        final CoreEngine engine;
        final List<TestPhone> phones = new ArrayList<>();

        Kit(boolean manualClock) {
            clock = manualClock ? new ManualScheduler() : null;
            sip = new SipSignalingProvider(SipConfig.builder().host("127.0.0.1").port(0).build());
            CoreEngine.Builder builder = CoreEngine.builder().nodeId("0.0.1").signaling(sip)
                    .media(new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(20000, 29999).workers(2).build()));
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
        long deadline = System.nanoTime() + RELEASE.toNanos();
        while (!kit.engine.resources().isEmpty() && System.nanoTime() - deadline < 0) {
            TestCall.pause();
        }
        List<Resource> live = kit.engine.resources();
        if (!live.isEmpty()) {
            leaks.add(live.size() + " live resource(s) " + RELEASE.toSeconds() + " s after the phones hung up: "
                    + live.stream().map(Resource::resId).collect(Collectors.joining(", "))
                    + " (release what the test made, e.g. drop its calls)");
        }
        int port = kit.sip.port();
        List<AutoCloseable> all = new ArrayList<>(kit.phones);
        all.add(kit.engine);
        TestPhone.closeAll(all.toArray(AutoCloseable[]::new));
        if (!free(port)) {
            leaks.add("the engine's SIP port " + port + " is still taken after it closed");
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("the test leaked: " + String.join("; ", leaks));
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
