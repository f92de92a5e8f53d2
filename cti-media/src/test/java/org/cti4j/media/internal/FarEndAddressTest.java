package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A far end whose SDP names an address the session's socket cannot send to (IPv6 for IPv4 sockets, found by the
 * mutation run of issue #11) is treated as no address: nothing is sent, and the session's clock goes on — its
 * recording grows, its counters stay sane. Before, every tick threw {@code UnsupportedAddressTypeException} out of the
 * send, so that the recording stopped and the worker logged an error 50 times a second.
 */
class FarEndAddressTest {

    @TempDir
    Path dir;

    @Test
    void aFarEndOfAnotherAddressFamilyIsNotSentToAndTheClockGoesOn() throws Exception {
        try (RtpMediaProvider media = Fixture.provider(21600, 21619)) {
            RtpSession session = media.createSession(new Fixture.Events());
            session.setRemote(new MediaDescription("::1", 40000, List.of(PayloadType.PCMU), MediaDirection.SENDRECV));
            Path file = dir.resolve("recorded.wav");
            Fixture.Completion done = new Fixture.Completion();
            MediaOperation recording = session.record(file.toString(), RecordFormat.PCM_16BIT, done);

            Await.until("half a second recorded", Fixture.DEADLINE, () -> size(file) > 44 + 8_000);
            recording.stop();
            done.await("the recording");
            assertThat(session.stats().packetsSent()).isZero();
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
