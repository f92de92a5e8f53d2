package org.cti4j.media.internal;

/**
 * The even RTP ports of the configured range that no session holds (RTCP uses {@code port + 1}). A port is taken
 * when a session is created and given back once its sockets are really closed.
 *
 * <p>Thread-safe; a short lock guards a circular queue, so a port given back goes to the end and is reused last.
 */
public final class PortPool {

    private final int[] queue;
    private int head;
    private int size;

    /** Creates a pool of the even ports from {@code first} (rounded up to even) to {@code last} (RTCP included). */
    public PortPool(int first, int last) {
        int start = first + (first & 1);
        int count = Math.max(0, (last - start + 1) / 2);
        queue = new int[count];
        for (int i = 0; i < count; i++) {
            queue[i] = start + 2 * i;
        }
        size = count;
    }

    /** Returns the number of ports of the range. */
    public int capacity() {
        return queue.length;
    }

    /** Returns the number of ports free now. */
    public synchronized int freeCount() {
        return size;
    }

    /** Takes the port free the longest, or returns {@code -1} if none is free. */
    public synchronized int take() {
        if (size == 0) {
            return -1;
        }
        int port = queue[head];
        head = (head + 1) % queue.length;
        size--;
        return port;
    }

    /** Gives a taken port back. */
    public synchronized void give(int port) {
        if (size == queue.length) {
            throw new IllegalStateException("port " + port + " was given back to a full pool");
        }
        queue[(head + size) % queue.length] = port;
        size++;
    }
}
