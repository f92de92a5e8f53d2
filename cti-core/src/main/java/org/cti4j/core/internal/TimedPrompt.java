package org.cti4j.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.core.spi.PlaySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A duo callback's timed prompt ({@code prompt_file}): a file played once to both parties a set time after they
 * were connected. Its timer starts at the connect and is cancelled when the duo callback ends, which may be before it
 * fires. A playback replaces what the bridge feeds a session while it plays, so for the prompt's length both parties
 * hear it instead of each other, then each other again. A prompt that cannot play is logged and changes nothing
 * else: the conversation goes on. Strand-confined: used only on its duo callback's strand.
 */
final class TimedPrompt {

    private static final Logger log = LoggerFactory.getLogger(TimedPrompt.class);

    private final AbstractResource owner;
    private final String path;
    private final StrandTimer timer;
    private final List<MediaOperation> playing = new ArrayList<>();
    private boolean ended;

    /**
     * @param owner the duo callback
     * @param path the file to play, resolved by the engine's {@link org.cti4j.api.MediaFiles}
     */
    TimedPrompt(AbstractResource owner, String path) {
        this.owner = owner;
        this.path = path;
        this.timer = owner.newTimer("prompt");
    }

    /** The parties were connected: the prompt plays to both {@code sessions} after {@code delay}. */
    void start(Duration delay, MediaSession... sessions) {
        owner.checkOnStrand("prompt start");
        timer.start(delay, () -> play(sessions));
    }

    private void play(MediaSession... sessions) {
        if (ended) {
            return;
        }
        log.debug("{}: the timed prompt {} plays to both parties", owner, path);
        for (MediaSession session : sessions) {
            try {
                playing.add(session.play(new PlaySource.File(path, false), error -> {
                    if (error != null) {
                        log.warn("{}: the timed prompt {} did not play: {}", owner, path, error);
                    }
                }));
            } catch (MediaException e) {
                log.warn("{}: the timed prompt {} cannot play: {}", owner, path, e.getMessage());
            }
        }
    }

    /** The duo callback ends: the prompt does not play, or stops playing. */
    void end() {
        ended = true;
        timer.cancel();
        playing.forEach(MediaOperation::stop);
        playing.clear();
    }
}
