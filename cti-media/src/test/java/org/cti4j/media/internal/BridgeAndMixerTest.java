package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaConnection;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaMixer;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phones (sessions that play and record) talk to engine sessions; the engine sessions are bridged or mixed. What a
 * phone records is what it sent plus what it heard, so each check looks for the other side's tone.
 */
class BridgeAndMixerTest {

    @TempDir
    Path dir;

    private RtpMediaProvider phones;
    private RtpMediaProvider engine;

    @BeforeEach
    void start() {
        phones = Fixture.provider(23000, 23499);
        engine = Fixture.provider(23500, 23999);
    }

    @AfterEach
    void stop() {
        phones.close();
        engine.close();
    }

    private Path toneFile(double frequency) throws IOException {
        return Audio.writePcmWav(dir.resolve(frequency + ".wav"), Audio.tone(frequency, 8000, 1.0, 9000), 8000, 1,
                16);
    }

    private static RtpSession session(RtpMediaProvider provider) {
        return provider.createSession(new MediaListener() { });
    }

    private MediaOperation playLooped(RtpSession phone, double frequency) throws IOException {
        return phone.play(new PlaySource.File(toneFile(frequency).toString(), true), new Fixture.Completion());
    }

    /** Records every phone for about 1.5 s of received packets; returns the recordings, skipping the first 0.3 s. */
    private short[][] record(RtpSession... sessions) throws IOException {
        return PhoneEars.record(dir, sessions);
    }

    private static double share(short[] samples, double frequency) {
        return Audio.toneFraction(samples, frequency, 0.25);
    }

    @Test
    void aBridgeCarriesEachSidesToneToTheOtherAndTranscodesBetweenCodecs() throws IOException {
        RtpSession phone1 = session(phones);
        RtpSession phone2 = session(phones);
        RtpSession leg1 = session(engine);
        RtpSession leg2 = session(engine);
        Fixture.pair(leg1, phone1);
        Fixture.pairAlaw(leg2, phone2);
        playLooped(phone1, 440);
        playLooped(phone2, 1000);
        MediaConnection oneToTwo = engine.connect(leg1, leg2);
        MediaConnection twoToOne = engine.connect(leg2, leg1);
        Fixture.awaitPackets(phone1, 25);
        short[][] heard = record(phone1, phone2);
        assertThat(share(heard[0], 1000)).as("phone 1 hears phone 2").isGreaterThan(0.8);
        assertThat(share(heard[1], 440)).as("phone 2 hears phone 1").isGreaterThan(0.8);

        oneToTwo.close();
        twoToOne.close();
        twoToOne.close();
        Fixture.awaitPackets(phone1, 25);
        short[][] after = record(phone1, phone2);
        assertThat(share(after[0], 1000)).as("the bridge is gone").isZero();
        assertThat(share(after[1], 440)).isZero();
    }

    @Test
    void sameCodecPayloadsAreRelayedUnchanged() throws IOException {
        RtpSession phone1 = session(phones);
        RtpSession phone2 = session(phones);
        RtpSession leg1 = session(engine);
        RtpSession leg2 = session(engine);
        Fixture.pair(leg1, phone1);
        Fixture.pair(leg2, phone2);
        playLooped(phone1, 440);
        try (MediaConnection connection = engine.connect(leg1, leg2)) {
            Fixture.awaitPackets(phone2, 25);
            short[][] heard = record(phone2);
            assertThat(share(heard[0], 440)).isGreaterThan(0.8);
            leg1.close();
            Await.until("closing a session ends its connections", Fixture.DEADLINE,
                    ((RtpConnection) connection)::isClosed);
        }
    }

    @Test
    void aPlaybackTakesPrecedenceOverTheBridgeWhileItPlays() throws IOException {
        RtpSession phone1 = session(phones);
        RtpSession phone2 = session(phones);
        RtpSession leg1 = session(engine);
        RtpSession leg2 = session(engine);
        Fixture.pair(leg1, phone1);
        Fixture.pair(leg2, phone2);
        playLooped(phone1, 440);
        engine.connect(leg1, leg2);
        MediaOperation announcement = leg2.play(new PlaySource.File(toneFile(1500).toString(), true),
                new Fixture.Completion());
        Fixture.awaitPackets(phone2, 25);
        short[][] during = record(phone2);
        assertThat(share(during[0], 1500)).isGreaterThan(0.8);
        assertThat(share(during[0], 440)).isZero();
        announcement.stop();
        Fixture.awaitPackets(phone2, 25);
        short[][] after = record(phone2);
        assertThat(share(after[0], 440)).isGreaterThan(0.8);
    }

    @Test
    void eachMixerMemberHearsTheOthersAndTheMixerRecordsEveryone() throws IOException {
        RtpSession[] phone = {session(phones), session(phones), session(phones)};
        RtpSession[] member = {session(engine), session(engine), session(engine)};
        for (int i = 0; i < 3; i++) {
            if (i == 1) {
                Fixture.pairAlaw(member[i], phone[i]);
            } else {
                Fixture.pair(member[i], phone[i]);
            }
        }
        playLooped(phone[0], 440);
        playLooped(phone[1], 1000);
        MediaMixer mixer = engine.createMixer();
        for (RtpSession session : member) {
            mixer.add(session);
            mixer.add(session);
        }
        Fixture.Completion mixDone = new Fixture.Completion();
        Path mixFile = dir.resolve("mix.wav");
        MediaOperation mixRecording = mixer.record(mixFile.toString(), RecordFormat.PCM_16BIT, mixDone);
        Fixture.awaitPackets(phone[2], 25);
        short[][] heard = record(phone[2], phone[0], phone[1]);
        assertThat(share(heard[0], 440)).as("the silent member hears the first").isGreaterThan(0.8);
        assertThat(share(heard[0], 1000)).as("the silent member hears the second").isGreaterThan(0.8);
        assertThat(share(heard[1], 1000)).as("the first hears the second").isGreaterThan(0.8);
        assertThat(share(heard[2], 440)).as("the second hears the first").isGreaterThan(0.8);
        mixRecording.stop();
        mixDone.await("the mix recording");
        short[] mix = Audio.readPcm16(mixFile);
        short[] mixTail = Arrays.copyOfRange(mix, 4000, mix.length);
        assertThat(share(mixTail, 440)).isGreaterThan(0.8);
        assertThat(share(mixTail, 1000)).isGreaterThan(0.8);

        mixer.remove(member[1]);
        mixer.remove(member[1]);
        Fixture.awaitPackets(phone[2], 25);
        short[][] afterLeaving = record(phone[2]);
        assertThat(share(afterLeaving[0], 440)).isGreaterThan(0.8);
        assertThat(share(afterLeaving[0], 1000)).as("the member that left is not heard").isZero();

        member[0].close();
        Fixture.awaitPackets(phone[2], 25);
        short[][] afterClosing = record(phone[2]);
        assertThat(share(afterClosing[0], 440)).as("a closed session leaves the mixer").isZero();
        Await.until("the closed member gone", Fixture.DEADLINE, () -> ((RtpMixer) mixer).size() == 1);
        mixer.close();
        mixer.close();
    }

    @Test
    void theMixHearsEveryoneButItselfAndSaturates() {
        MixerMember a = new MixerMember(null, null);
        MixerMember b = new MixerMember(null, null);
        MixerMember c = new MixerMember(null, null);
        Arrays.fill(a.frame, (short) 1000);
        Arrays.fill(b.frame, (short) 30000);
        Arrays.fill(c.frame, (short) 20000);
        int[] sum = new int[WorkerBuffers.FRAME];
        short[] out = new short[WorkerBuffers.FRAME];
        RtpMixer.sum(List.of(a, b, c), sum);
        assertThat(sum[0]).isEqualTo(51000);
        RtpMixer.minusOwn(sum, a.frame, out);
        assertThat(out[0]).isEqualTo(Short.MAX_VALUE);
        RtpMixer.minusOwn(sum, b.frame, out);
        assertThat(out[159]).isEqualTo((short) 21000);
        RtpMixer.minusOwn(sum, c.frame, out);
        assertThat(out[7]).isEqualTo((short) 31000);
        Arrays.fill(b.frame, (short) -30000);
        Arrays.fill(c.frame, (short) -20000);
        RtpMixer.sum(List.of(a, b, c), sum);
        RtpMixer.minusOwn(sum, a.frame, out);
        assertThat(out[0]).isEqualTo(Short.MIN_VALUE);
    }
}
