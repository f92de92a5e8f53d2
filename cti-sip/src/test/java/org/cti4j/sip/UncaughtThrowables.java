package org.cti4j.sip;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every throwable that ends a thread, as the JVM's default handler, from creation until {@link #close()},
 * which puts the previous handler back. Each is kept as its thread's name and its stack trace.
 */
public final class UncaughtThrowables implements AutoCloseable {

    private final Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    /** Installs the recorder. */
    public UncaughtThrowables() {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            seen.add(thread.getName() + ": " + trace);
            System.err.println("uncaught on " + thread.getName() + ": " + error);
        });
    }

    /** Returns what ended threads so far: thread name and stack trace of each. */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }
}
