package org.cti4j.sip.internal;

import gov.nist.javax.sip.EventScanner;
import gov.nist.javax.sip.EventWrapper;
import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.cti4j.sip.SipConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP stack with its listening points (UDP and TCP on one port, TLS on another when configured), its
 * factories, and the workarounds its
 * lifecycle needs in 1.3.0-91: a port free for both transports, an event scanner that must be woken to see that it
 * was stopped, a {@code stop()} that can throw half-way, and the counts of what the stack still holds.
 */
final class StackHost {

    private static final Logger log = LoggerFactory.getLogger(StackHost.class);
    private static final AtomicInteger STACKS = new AtomicInteger();
    /** Marks the event that wakes the stack's event scanner so that it sees it was stopped. */
    static final String WAKE_UP = "cti4j-stop";

    private final SipStack stack;
    private final SipProvider provider;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final AuthenticationHelper authHelper;
    private final int port;
    private final int tlsPort;

    private StackHost(SipStack stack, SipProvider provider, SipFactory factory, AccountManager accounts, int port,
            int tlsPort) throws javax.sip.PeerUnavailableException {
        this.stack = stack;
        this.provider = provider;
        this.addresses = factory.createAddressFactory();
        this.headers = factory.createHeaderFactory();
        this.messages = factory.createMessageFactory();
        this.authHelper = ((SipStackExt) stack).getAuthenticationHelper(accounts, headers);
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /**
     * Creates and starts a stack listening on {@code config}'s host and port (a free one if 0) over UDP and TCP, and
     * on its TLS port over TLS if {@code tls} is given, handing every event to {@code listener}. A stack that fails
     * half-way is stopped before this throws.
     */
    static StackHost start(SipConfig config, SipListener listener, AccountManager accounts, TlsContext tls)
            throws Exception {
        int port = config.port() != 0 ? config.port() : freePort(config.host());
        int tlsPort = tls == null ? 0 : config.tls().port() != 0 ? config.tls().port() : freeTcpPort(config.host());
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        String name = "cti4j-sip-" + STACKS.incrementAndGet();
        SipStack stack;
        if (tls != null) {
            GuardedNetworkLayer.register(name, tls);
        }
        try {
            stack = factory.createSipStack(StackProperties.of(config, name, tls));
        } finally {
            GuardedNetworkLayer.unregister(name);
        }
        SipProvider provider = null;
        try {
            ListeningPoint udp = stack.createListeningPoint(config.host(), port, ListeningPoint.UDP);
            ListeningPoint tcp = stack.createListeningPoint(config.host(), port, ListeningPoint.TCP);
            ListeningPoint secure = tls == null ? null
                    : stack.createListeningPoint(config.host(), tlsPort, ListeningPoint.TLS);
            if (!config.advertisedAddress().equals(config.host())) {
                // The Via of the requests the stack builds itself (in-dialog BYE, re-INVITE) names this sent-by.
                udp.setSentBy(config.advertisedAddress() + ":" + port);
                tcp.setSentBy(config.advertisedAddress() + ":" + port);
                if (secure != null) {
                    secure.setSentBy(config.advertisedAddress() + ":" + tlsPort);
                }
            }
            provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            if (secure != null) {
                provider.addListeningPoint(secure);
            }
            provider.addSipListener(listener);
            StackHost host = new StackHost(stack, provider, factory, accounts, port, tlsPort);
            stack.start();
            return host;
        } catch (Exception | Error e) {
            stop(stack, provider, port);
            throw e;
        }
    }

    private static int freePort(String host) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, 0))) {
                candidate = udp.getLocalPort();
            }
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(address, candidate));
                return candidate;
            } catch (IOException taken) {
                // The TCP port is in use; try another.
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + host);
    }

    /** Returns a port free for TCP on {@code host} now (for TLS). */
    private static int freeTcpPort(String host) throws IOException {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return tcp.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** Returns the TLS port; 0 without TLS. */
    int tlsPort() {
        return tlsPort;
    }

    SipProvider provider() {
        return provider;
    }

    AddressFactory addresses() {
        return addresses;
    }

    HeaderFactory headers() {
        return headers;
    }

    MessageFactory messages() {
        return messages;
    }

    AuthenticationHelper authHelper() {
        return authHelper;
    }

    /** Stops the stack and every thread it started (see {@link StackTimer} for its timer). */
    void stop() {
        stop(stack, provider, port);
    }

    private static void stop(SipStack stack, SipProvider provider, int port) {
        if (provider != null) {
            try {
                stack.deleteSipProvider(provider);
            } catch (Exception e) {
                log.debug("deleting the SIP provider: {}", e.toString());
            }
        }
        // Taken before stop(), which forgets it.
        EventScanner scanner = stack instanceof SipStackImpl impl ? impl.getEventScanner() : null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                stack.stop();
                // stop() leaves the stack's EventScannerThread running (it is reference-counted and never reaches
                // zero): a non-daemon thread that would keep the application's JVM from exiting.
                if (scanner != null) {
                    // The scanner checks its flag only between events: hand it one it ignores, to wake it.
                    scanner.forceStop();
                    scanner.addEvent(new EventWrapper(new IOExceptionEvent(StackHost.class, WAKE_UP, 0, "none"),
                            null));
                }
                return;
            } catch (RuntimeException e) {
                // JAIN-SIP 1.3.0-91 can throw ConcurrentModificationException from UDPMessageProcessor.stop while
                // its channel threads finish; the processors not yet stopped are stopped by the next attempt.
                log.debug("stopping the SIP stack, attempt {}: {}", attempt, e.toString());
            }
        }
        log.warn("the SIP stack on port {} did not stop cleanly", port);
    }

    /** Returns how many transactions are unfinished (see {@link StackTransactions#unfinished}). */
    int unfinishedTransactions() {
        return StackTransactions.unfinished(stack);
    }

    /** Describes the unfinished transactions, for a log line. */
    List<String> describeUnfinished() {
        return StackTransactions.describeUnfinished(stack);
    }

    /** Returns how many client transactions still reach a dialog that has ended; for tests. */
    int holdingEndedDialogs() {
        return StackTransactions.holdingEndedDialogs(stack);
    }

    /** Returns how many client transactions of {@code method} the stack holds; for tests. */
    int clientTransactions(String method) {
        return StackTransactions.clientTransactions(stack, method);
    }

    /** Lets the stack's transactions that finished deliver their last events (see {@link StackTransactions}). */
    void settle() {
        StackTransactions.settle(stack);
    }

    /** Returns how many dialogs are not terminated and whose Call-ID {@code live} does not accept. */
    int endingDialogs(Predicate<String> live) {
        if (!(stack instanceof SipStackImpl impl)) {
            return 0;
        }
        int ending = 0;
        for (Dialog dialog : impl.getDialogs()) {
            if (!DialogState.TERMINATED.equals(dialog.getState()) && !live.test(dialog.getCallId().getCallId())) {
                ending++;
            }
        }
        return ending;
    }

    /**
     * Ends dialogs whose Call-ID is not in {@code live} once they have been seen twice, {@code periodMillis} apart
     * (JAIN-SIP's own audit). Transactions are left to their RFC 3261 timers.
     */
    void audit(Set<String> live, long periodMillis) {
        if (stack instanceof SipStackImpl impl) {
            impl.auditStack(live, periodMillis, Long.MAX_VALUE);
        }
    }

    /** Returns the server transaction the stack made before for {@code request}, if any. */
    ServerTransaction existing(Request request) {
        if (stack instanceof SipStackImpl impl && request instanceof SIPRequest sip) {
            return impl.findTransaction(sip, true) instanceof ServerTransaction found ? found : null;
        }
        return null;
    }

    /** Returns the stack's message valve of {@code type}, or {@code null} if it has none (not JAIN-SIP's). */
    <T> T valve(Class<T> type) {
        if (stack instanceof SIPTransactionStack transactions && transactions.sipMessageValves != null) {
            for (Object valve : transactions.sipMessageValves) {
                if (type.isInstance(valve)) {
                    return type.cast(valve);
                }
            }
        }
        return null;
    }

    /** Returns how many dialogs the stack holds. */
    int dialogs() {
        return stack instanceof SipStackImpl impl ? impl.getDialogs().size() : 0;
    }

    /** Returns how many dialogs and transactions the stack holds. */
    int objects() {
        if (!(stack instanceof SipStackImpl impl)) {
            return 0;
        }
        return impl.getDialogs().size() + impl.getClientTransactionTableSize() + impl.getServerTransactionTableSize();
    }

    /** Describes the stack's dialogs, client and server transactions, for test messages. */
    String detail() {
        if (!(stack instanceof SipStackImpl impl)) {
            return "no stack";
        }
        return "dialogs=" + impl.getDialogs().size() + " client-tx=" + impl.getClientTransactionTableSize()
                + " server-tx=" + impl.getServerTransactionTableSize();
    }
}
