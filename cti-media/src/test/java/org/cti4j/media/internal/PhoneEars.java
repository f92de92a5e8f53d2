package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.media.RtpSession;

/** What test phones hear: each phone session records (what it sent plus what it heard) for a while. */
final class PhoneEars {

    private PhoneEars() {
    }

    /**
     * Records every phone for about 1.5 s of packets received by the first; returns the recordings (written in
     * {@code dir}), each without its first 0.3 s.
     */
    static short[][] record(Path dir, RtpSession... sessions) throws IOException {
        Fixture.Completion[] done = new Fixture.Completion[sessions.length];
        MediaOperation[] recordings = new MediaOperation[sessions.length];
        for (int i = 0; i < sessions.length; i++) {
            done[i] = new Fixture.Completion();
            recordings[i] = sessions[i].record(dir.resolve("phone" + i + ".wav").toString(), RecordFormat.PCM_16BIT,
                    done[i]);
        }
        Fixture.awaitPackets(sessions[0], 75);
        short[][] heard = new short[sessions.length][];
        for (int i = 0; i < sessions.length; i++) {
            recordings[i].stop();
            done[i].await("recording " + i);
            heard[i] = withoutStart(Audio.readPcm16(dir.resolve("phone" + i + ".wav")));
        }
        return heard;
    }

    /** Returns the samples without their first 0.3 s (at 8 kHz), while the jitter buffers fill. */
    static short[] withoutStart(short[] all) {
        return Arrays.copyOfRange(all, Math.min(all.length, 2400), all.length);
    }
}
