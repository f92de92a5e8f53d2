package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaMixer;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Voices in a mixer: a customer (440 Hz), an agent (1000 Hz) and a supervisor (1700 Hz) talk through phones to three
 * mixed engine sessions; what each phone records (what it sent plus what it heard) and the mixer's recording show who
 * hears whom.
 */
class MixerVoiceTest {

    private static final double CUSTOMER = 440;
    private static final double AGENT = 1000;
    private static final double SUPERVISOR = 1700;

    @TempDir
    Path dir;

    private RtpMediaProvider phones;
    private RtpMediaProvider engine;
    private RtpSession[] phone;
    private RtpSession[] member;
    private MediaMixer mixer;

    @BeforeEach
    void start() throws IOException {
        phones = Fixture.provider(32000, 32099);
        engine = Fixture.provider(32100, 32199);
        phone = new RtpSession[] {session(phones), session(phones), session(phones)};
        member = new RtpSession[] {session(engine), session(engine), session(engine)};
        double[] tones = {CUSTOMER, AGENT, SUPERVISOR};
        mixer = engine.createMixer();
        for (int i = 0; i < 3; i++) {
            Fixture.pair(member[i], phone[i]);
            phone[i].play(new PlaySource.File(toneFile(tones[i]).toString(), true), new Fixture.Completion());
            mixer.add(member[i]);
        }
    }

    @AfterEach
    void stop() {
        mixer.close();
        phones.close();
        engine.close();
    }

    @Test
    void aListenOnlyMemberHearsEverybodyAndIsHeardByNobodyNorRecorded() throws IOException {
        mixer.setVoice(member[2], true, false);
        MixRecording mixRecording = recordMix();
        short[][] heard = settleAndRecord();
        assertThat(share(heard[0], AGENT)).as("the customer hears the agent").isGreaterThan(0.8);
        assertThat(share(heard[0], SUPERVISOR)).as("the customer does not hear the supervisor").isZero();
        assertThat(share(heard[1], CUSTOMER)).as("the agent hears the customer").isGreaterThan(0.8);
        assertThat(share(heard[1], SUPERVISOR)).as("the agent does not hear the supervisor").isZero();
        assertThat(share(heard[2], CUSTOMER)).as("the supervisor hears the customer").isGreaterThan(0.8);
        assertThat(share(heard[2], AGENT)).as("the supervisor hears the agent").isGreaterThan(0.8);
        short[] mix = mixRecording.stop();
        assertThat(share(mix, CUSTOMER)).isGreaterThan(0.8);
        assertThat(share(mix, AGENT)).isGreaterThan(0.8);
        assertThat(share(mix, SUPERVISOR)).as("a muted member is not recorded").isZero();

        mixer.setVoice(member[2], true, true);
        short[][] unmuted = settleAndRecord();
        assertThat(share(unmuted[0], SUPERVISOR)).as("unmuted, the customer hears the supervisor").isGreaterThan(0.8);
    }

    @Test
    void aCoachIsHeardByItsCoachedMemberOnlyAndIsNotRecorded() throws IOException {
        mixer.setCoach(member[2], member[1]);
        MixRecording mixRecording = recordMix();
        short[][] heard = settleAndRecord();
        assertThat(share(heard[0], AGENT)).as("the customer hears the agent").isGreaterThan(0.8);
        assertThat(share(heard[0], SUPERVISOR)).as("the customer does not hear the coach").isZero();
        assertThat(share(heard[1], CUSTOMER)).as("the agent hears the customer").isGreaterThan(0.8);
        assertThat(share(heard[1], SUPERVISOR)).as("the agent hears the coach").isGreaterThan(0.8);
        assertThat(share(heard[2], CUSTOMER)).as("the coach hears the customer").isGreaterThan(0.8);
        assertThat(share(heard[2], AGENT)).as("the coach hears the agent").isGreaterThan(0.8);
        short[] mix = mixRecording.stop();
        assertThat(share(mix, SUPERVISOR)).as("a coach is not recorded").isZero();
        assertThat(share(mix, AGENT)).isGreaterThan(0.8);

        mixer.remove(member[1]);
        short[][] afterLeaving = settleAndRecord();
        assertThat(share(afterLeaving[0], SUPERVISOR)).as("nobody hears a coach whose member left").isZero();
        assertThat(share(afterLeaving[2], CUSTOMER)).as("the coach still hears").isGreaterThan(0.8);
    }

    @Test
    void aSpeakOnlyMemberIsHeardByAllAndHearsNobody() throws IOException {
        mixer.setVoice(member[0], false, true);
        short[][] heard = settleAndRecord();
        assertThat(share(heard[0], AGENT)).as("the speaker hears nobody").isZero();
        assertThat(share(heard[0], SUPERVISOR)).as("the speaker hears nobody").isZero();
        assertThat(share(heard[1], CUSTOMER)).as("the agent hears the speaker").isGreaterThan(0.8);
        assertThat(share(heard[2], CUSTOMER)).as("the supervisor hears the speaker").isGreaterThan(0.8);
    }

    @Test
    void theMixSumsOnlyMembersHeardByAllAndAddsACoachToItsMemberAlone() {
        MixerMember customer = new MixerMember(null, null);
        MixerMember agent = new MixerMember(null, null);
        MixerMember coach = new MixerMember(null, null);
        MixerMember muted = new MixerMember(null, null);
        Arrays.fill(customer.frame, (short) 100);
        Arrays.fill(agent.frame, (short) 20);
        Arrays.fill(coach.frame, (short) 3);
        Arrays.fill(muted.frame, (short) 5000);
        customer.ticking = true;
        agent.ticking = true;
        coach.ticking = true;
        muted.ticking = true;
        coach.tickVoice = new MixerMember.Voice(true, false, agent);
        muted.tickVoice = new MixerMember.Voice(true, false, null);
        List<MixerMember> all = List.of(customer, agent, coach, muted);
        int[] sum = new int[WorkerBuffers.FRAME];
        short[] out = new short[WorkerBuffers.FRAME];
        RtpMixer.sum(all, sum);
        assertThat(sum[0]).as("only members heard by all are summed").isEqualTo(120);
        all.forEach(RtpMixer::whisper);
        RtpMixer.hear(sum, customer, out);
        assertThat(out[0]).isEqualTo((short) 20);
        RtpMixer.hear(sum, agent, out);
        assertThat(out[159]).as("the agent hears the customer and the coach").isEqualTo((short) 103);
        RtpMixer.hear(sum, coach, out);
        assertThat(out[5]).isEqualTo((short) 120);
        RtpMixer.hear(sum, muted, out);
        assertThat(out[5]).isEqualTo((short) 120);
        RtpMixer.hear(sum, agent, out);
        assertThat(out[0]).as("a whisper is heard in its own tick only").isEqualTo((short) 100);

        agent.ticking = false;
        RtpMixer.whisper(coach);
        RtpMixer.hear(sum, agent, out);
        assertThat(out[0]).as("no whisper reaches a member that is not ticked").isEqualTo((short) 100);
    }

    private Path toneFile(double frequency) throws IOException {
        return Audio.writePcmWav(dir.resolve(frequency + ".wav"), Audio.tone(frequency, 8000, 1.0, 9000), 8000, 1,
                16);
    }

    private static RtpSession session(RtpMediaProvider provider) {
        return provider.createSession(new MediaListener() { });
    }

    /** Lets a change reach the phones, then records what each phone hears. */
    private short[][] settleAndRecord() throws IOException {
        Fixture.awaitPackets(phone[0], 25);
        return PhoneEars.record(dir, phone);
    }

    /** Starts recording the mixer; {@link MixRecording#stop()} returns what it recorded. */
    private MixRecording recordMix() {
        Fixture.Completion done = new Fixture.Completion();
        Path file = dir.resolve("mix.wav");
        return new MixRecording(mixer.record(file.toString(), RecordFormat.PCM_16BIT, done), done, file);
    }

    private record MixRecording(MediaOperation operation, Fixture.Completion done, Path file) {
        short[] stop() throws IOException {
            operation.stop();
            done.await("the mix recording");
            return PhoneEars.withoutStart(Audio.readPcm16(file));
        }
    }

    private static double share(short[] samples, double frequency) {
        return Audio.toneFraction(samples, frequency, 0.25);
    }
}
