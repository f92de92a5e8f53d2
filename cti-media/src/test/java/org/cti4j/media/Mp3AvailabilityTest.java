package org.cti4j.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.media.internal.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MP3 needs jump3r, an optional dependency: the provider says whether it can write MP3, so that the engine refuses
 * an MP3 recording it could never make, and a recording asked of the provider anyway fails at once, saying why.
 * The absence of jump3r is simulated by a class loader that cannot see it.
 */
class Mp3AvailabilityTest {

    /** Sees everything its parent sees, except jump3r. */
    private static final class WithoutJump3r extends ClassLoader {
        WithoutJump3r() {
            super(Mp3AvailabilityTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("de.sciss.jump3r.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    @TempDir
    Path dir;

    @Test
    void withJump3rEveryFormatCanBeRecorded() {
        try (RtpMediaProvider provider = Fixture.provider(21500, 21509)) {
            for (RecordFormat format : RecordFormat.values()) {
                assertThat(provider.canRecord(format)).as(format.name()).isTrue();
            }
        }
    }

    @Test
    void withoutJump3rMp3IsNotOfferedAndARecordingFailsAtOnceWithoutAFile() {
        RtpMediaConfig config = RtpMediaConfig.builder().rtpPorts(21510, 21519).workers(1).build();
        try (RtpMediaProvider provider = new RtpMediaProvider(config, new WithoutJump3r())) {
            assertThat(provider.canRecord(RecordFormat.MP3)).isFalse();
            assertThat(provider.canRecord(RecordFormat.GSM)).isTrue();
            assertThat(provider.canRecord(RecordFormat.PCM_16BIT)).isTrue();
            RtpSession session = provider.createSession(new MediaListener() { });
            Path file = dir.resolve("call.mp3");
            Fixture.Completion done = new Fixture.Completion();
            session.record(file.toString(), RecordFormat.MP3, done);
            assertThat(done.calls()).as("failed before record() returned").isEqualTo(1);
            assertThat(done.error()).isEqualTo("cannot record " + file
                    + ": MP3 encoder not available: add the jump3r dependency (de.sciss:jump3r)");
            assertThat(Files.exists(file)).isFalse();
        }
    }
}
