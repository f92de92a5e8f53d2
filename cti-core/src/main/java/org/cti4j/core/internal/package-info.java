/**
 * The engine's implementation. Not API: no other module may use it, and it may change in any release.
 *
 * <p>Each resource ({@code CallResource}, {@code DuoCallbackResource}, {@code ConferenceResource}, all
 * {@code AbstractResource}s) owns a {@code Strand}; its state lives in plain fields touched only by the strand's
 * tasks, and every method that may run only there checks so on entry ({@code checkOnStrand}, an
 * {@link java.lang.IllegalStateException} naming the method and the thread). State that other threads read is
 * published through one volatile field (a call's {@code CallStatus}, the stage of a duo callback or conference).
 * API operations go through {@code AbstractResource.call}: the command runs on the strand and its verdict is returned
 * to the caller; on the resource's own strand it runs inline; from another resource's strand it is refused.
 *
 * <p>State machines are enums whose constants own the states they may move to ({@code LegState},
 * {@code DuoCallbackStage}, {@code ConferenceStage}); every move is checked by {@code StateTable.moveTo}. Listener calls are
 * queued per resource by an {@code EventDispatcher}, a strand of its own on the event executor.
 */
package org.cti4j.core.internal;
