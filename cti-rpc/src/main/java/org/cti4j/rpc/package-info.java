/**
 * The remote face of a cti4j engine: JSON-RPC 2.0 over WebSocket ({@code cti-rpc/PROTOCOL.md}).
 *
 * <h2>What is public</h2>
 *
 * <p>Two types and their builders: {@link org.cti4j.rpc.RpcServer} serves an engine, and
 * {@link org.cti4j.rpc.RemoteCtiEngine} is a {@link org.cti4j.api.CtiEngine} that drives one over the wire. Every
 * other type of this package is package-private: the proxies of remote resources reach applications only as the
 * {@code cti-api} interfaces ({@code Call}, {@code DuoCallback}, {@code Conference}), and errors only as the
 * {@code cti-api} exceptions.
 *
 * <h2>Threads of the server ({@link org.cti4j.rpc.RpcServer})</h2>
 *
 * <pre>
 *  thread                          what runs on it
 *  ─────────────────────────────── ──────────────────────────────────────────────────────────────────────────
 *  WebSocketSelector-N (one)       Java-WebSocket's selector: accepts and admits sockets (ServerAdmission's
 *                                  wrapChannel, createWebSocket), reads and writes bytes. Never runs a method.
 *  WebSocketWorker-N (max(2,cores)) Java-WebSocket's decoders. Each connection is pinned to one of them: its
 *                                  upgrade (ServerUpgrade, ServerSessions.open), every frame (ServerRequests →
 *                                  ServerMethods → the engine's API, which validates and hands the work to the
 *                                  resource's strand), its close. Confined to it: the connection's RateLimit.
 *  cti4j-rpc-timer (one)           handshake timeouts (ServerAdmission), the end of a session's grace period
 *                                  (ServerSessions), the check for writes Java-WebSocket forgot (ServerEndpoint).
 *  the engine's event executor     ServerListener → Route.emit → ServerSession.emit: encodes, numbers and queues
 *                                  the notification (Java-WebSocket's send only queues). Never blocks.
 *  the application's thread        RpcServer.Builder.build (start, waits for the port), RpcServer.close.
 * </pre>
 *
 * <p><b>Locking on the server: the owning object's monitor.</b> An object whose fields several of these threads
 * touch guards them with {@code synchronized} on itself: {@code Route} (its session, resource, pending events,
 * files, open and released flags), {@code ServerSession} (event buffer, {@code seq}, connection, end, grace timer;
 * sending happens under it, which keeps replayed and live events in order), {@code ServerAdmission} (connections
 * per address). Registries are concurrent maps ({@code ServerSessions}, {@code ServerSession.routes}), counters are
 * atomics, flags read by other threads are volatile. The one nesting is {@code Route} → {@code ServerSession}
 * (a route emits into its session); a session never calls into a route under its lock.
 *
 * <h2>Threads of the client ({@link org.cti4j.rpc.RemoteCtiEngine})</h2>
 *
 * <pre>
 *  thread                          what runs on it
 *  ─────────────────────────────── ──────────────────────────────────────────────────────────────────────────
 *  the application's threads       every API method. Operations send and wait for the response (ClientSender);
 *                                  they may block up to the request timeout.
 *  cti4j-rpc-client-N (JDK pool)   the JDK WebSocket client's I/O and its Listener (ClientLink), one message at
 *                                  a time: the "receiving thread". Reads frames (ClientReceiver), completes
 *                                  responses and runs their hooks (a construct registers its proxy here), reads
 *                                  events into the proxies and queues their listener calls. Never blocks.
 *  cti4j-rpc-events-1 (or the      the listener calls, one at a time in the order the server sent the events
 *    application's eventExecutor)  (ClientEventQueue), and the stages that complete after them. A listener may
 *                                  call any method here, blocking ones included: the answer is read on the
 *                                  receiving thread.
 *  cti4j-rpc-reconnect-1 (one)     the reconnect backoff, the heartbeat, the wait for rpc.on_session
 *                                  (ClientDialer). Never blocks.
 *  cti4j-rpc-shutdown              RemoteCtiEngine.shutdown: releases what the client holds, waits for their ends
 *                                  (at most 10 s), closes the connection (ClientShutdown).
 * </pre>
 *
 * <p><b>Blocking on the receiving thread fails fast.</b> A request made on the receiving thread (a listener run in
 * place by an event executor that runs tasks on the calling thread, which {@code eventExecutor} forbids) could only
 * end with its timeout, since its response would be read by that very thread: it throws
 * {@link java.lang.IllegalStateException} at once, naming the method and the thread. {@code close()} there starts
 * the shutdown and returns at once. Likewise a listener that waits ({@code join}, {@code get}) for a stage the client
 * gave ({@code whenReleased()}, ...) that is not complete yet gets an {@link java.lang.IllegalStateException}
 * ({@code ClientStage}): such a stage completes on the listener thread, after the listener returns.
 *
 * <p><b>Locking on the client: a private lock per class.</b> Each class whose fields several threads touch guards
 * them with a {@code private final Object lock} and says so beside each field ({@code // Guarded by lock}):
 * {@code ClientConnection} (its state, the current link, the ready future, the session id, resume token, last
 * {@code seq}, backoff), {@code ClientLink} (its send chain), {@code ClientEventQueue} (its queue),
 * {@code RemoteCall} (playbacks and recordings awaiting their end), {@code ClientContext} (the move to stopping).
 * {@code RemoteCtiEngine} has one more, {@code subscription}, which serialises subscribing and is held across its
 * request so that the server sees them in order. No other lock is held while a listener runs or while waiting for the
 * server. Registries are concurrent maps; flags read by other threads are volatile.
 *
 * <p>The connection's states ({@code ConnectionState}) are an enum whose constants own their allowed transitions:
 * {@code CONNECTING → READY ⇄ RECONNECTING}, any of them {@code → ENDED} (refused, taken over, never connected),
 * anything but {@code CLOSED → CLOSED}; any other move throws {@link java.lang.IllegalStateException} naming it.
 */
package org.cti4j.rpc;
