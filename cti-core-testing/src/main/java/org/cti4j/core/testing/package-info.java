/**
 * Scripted test doubles of the engine's SPIs, to unit-test state machines — the engine's own and an application's —
 * without a network: {@link org.cti4j.core.testing.ScriptedSignaling} plays the far ends of calls,
 * {@link org.cti4j.core.testing.ScriptedMedia} records what the engine asked of media and completes playbacks and
 * recordings on demand, {@link org.cti4j.core.testing.ManualScheduler} moves time by hand.
 *
 * <pre>{@code
 * ScriptedSignaling sip = new ScriptedSignaling();
 * ScriptedMedia media = new ScriptedMedia();
 * try (CoreEngine engine = CoreEngine.builder().signaling(sip).media(media).build()) {
 *     Call call = engine.dial(options, listener);
 *     ScriptedSignaling.Outbound far = sip.nextDialled(Duration.ofSeconds(5));
 *     far.ring();
 *     far.answer();
 *     ...
 * }
 * }</pre>
 *
 * They move no audio and send no packet: real calls are {@code cti-sip} and {@code cti-media}.
 */
package org.cti4j.core.testing;
