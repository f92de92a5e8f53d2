package org.cti4j.rpc;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code prefix-N}: the client never keeps a JVM alive. */
final class ClientThreads implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    private ClientThreads(String prefix) {
        this.prefix = prefix;
    }

    static ThreadFactory daemon(String prefix) {
        return new ClientThreads(prefix);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
