package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.core.spi.SdesCrypto;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.cti4j.media.SrtpMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Offer/answer of SRTP between sessions of providers in each mode, on loopback. */
class SrtpSessionTest {

    @TempDir
    Path dir;

    private final List<RtpMediaProvider> providers = new ArrayList<>();

    @AfterEach
    void stop() {
        providers.forEach(RtpMediaProvider::close);
    }

    private RtpMediaProvider provider(SrtpMode mode) {
        int first = 21700 + providers.size() * 50;
        RtpMediaProvider provider = new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(first, first + 49)
                .workers(1).srtp(mode).build());
        providers.add(provider);
        return provider;
    }

    private static RtpSession session(RtpMediaProvider provider) {
        return provider.createSession(new MediaListener() { });
    }

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(SrtpMode.OFF, SrtpMode.OFF, "plain"),
                Arguments.of(SrtpMode.OFF, SrtpMode.OPTIONAL, "plain"),
                Arguments.of(SrtpMode.OFF, SrtpMode.MANDATORY, "488"),
                Arguments.of(SrtpMode.OPTIONAL, SrtpMode.OFF, "plain"),
                Arguments.of(SrtpMode.OPTIONAL, SrtpMode.OPTIONAL, "srtp"),
                Arguments.of(SrtpMode.OPTIONAL, SrtpMode.MANDATORY, "srtp"),
                Arguments.of(SrtpMode.MANDATORY, SrtpMode.OFF, "488"),
                Arguments.of(SrtpMode.MANDATORY, SrtpMode.OPTIONAL, "srtp"),
                Arguments.of(SrtpMode.MANDATORY, SrtpMode.MANDATORY, "srtp"));
    }

    @ParameterizedTest(name = "{0} offers, {1} answers: {2}")
    @MethodSource("modes")
    void eachModeOffersAndAnswersAsDocumented(SrtpMode offererMode, SrtpMode answererMode, String outcome) {
        RtpSession offerer = session(provider(offererMode));
        RtpSession answerer = session(provider(answererMode));
        MediaDescription offer = offerer.localOffer();
        assertThat(offer.secureProfile()).isEqualTo(offererMode == SrtpMode.MANDATORY);
        assertThat(offer.crypto()).extracting(SdesCrypto::suite).containsExactlyElementsOf(
                offererMode == SrtpMode.OFF ? List.of()
                        : List.of("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"));
        if (outcome.equals("488")) {
            assertThatThrownBy(() -> answerer.answer(offer)).isInstanceOf(MediaException.class)
                    .satisfies(e -> assertThat(((MediaException) e).sipStatus()).isEqualTo(488));
            return;
        }
        MediaDescription answer = answerer.answer(offer);
        offerer.setRemote(answer);
        if (outcome.equals("srtp")) {
            assertThat(answer.crypto()).singleElement().satisfies(line -> {
                assertThat(line.tag()).isEqualTo(1);
                assertThat(line.suite()).isEqualTo("AES_CM_128_HMAC_SHA1_80");
                assertThat(line.keyParams()).startsWith("inline:").isNotEqualTo(offer.crypto().get(0).keyParams());
            });
            assertThat(answer.secureProfile()).isEqualTo(offer.secureProfile());
        } else {
            assertThat(answer.crypto()).isEmpty();
            assertThat(answer.secureProfile()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableLines")
    void aLineWithSomethingUnsupportedIsSkipped(String why, SdesCrypto line) {
        RtpSession plainOfferer = session(provider(SrtpMode.OFF));
        RtpSession optional = session(provider(SrtpMode.OPTIONAL));
        RtpSession mandatory = session(provider(SrtpMode.MANDATORY));
        MediaDescription offer = plainOfferer.localOffer().withCrypto(List.of(line), false);
        assertThat(optional.answer(offer).crypto()).as("answered plain").isEmpty();
        assertThatThrownBy(() -> mandatory.answer(offer)).isInstanceOf(MediaException.class)
                .hasMessageContaining("no usable SRTP crypto line");
        SdesCrypto good = new SdesCrypto(7, "AES_CM_128_HMAC_SHA1_32", SdesKeys.inline(SdesKeys.random30()), "");
        assertThat(mandatory.answer(offer.withCrypto(List.of(line, good), false)).crypto())
                .as("the next line is taken").singleElement()
                .satisfies(answer -> assertThat(answer.tag()).isEqualTo(7));
    }

    static Stream<Arguments> unusableLines() {
        String key = SdesKeys.inline(SdesKeys.random30());
        return Stream.of(
                Arguments.of("a session parameter", new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", key,
                        "UNENCRYPTED_SRTP")),
                Arguments.of("an MKI", new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", key + "|2^31|1:4", "")),
                Arguments.of("a short lifetime", new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", key + "|2^20", "")),
                Arguments.of("two keys", new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", key + ";" + key, "")),
                Arguments.of("another suite", new SdesCrypto(1, "AEAD_AES_256_GCM", key, "")),
                Arguments.of("a key too short", new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", "inline:AAAA", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void aToneCrossesEveryPairThatConnects(SrtpMode offererMode, SrtpMode answererMode, String outcome)
            throws IOException {
        if (outcome.equals("488")) {
            return;
        }
        RtpSession a = session(provider(offererMode));
        RtpSession b = session(provider(answererMode));
        Fixture.pair(a, b);
        Path tone = Audio.writePcmWav(dir.resolve("440.wav"), Audio.tone(440, 8000, 1.0, 12000), 8000, 1, 16);
        a.play(new PlaySource.File(tone.toString(), true), new Fixture.Completion());
        Fixture.awaitPackets(b, 10);
        short[] heard = record(dir, b, 50);
        assertThat(Audio.toneFraction(Arrays.copyOfRange(heard, 800, heard.length - 400), 440, 0.8))
                .isGreaterThan(0.8);
        assertThat(b.stats().srtpAuthFailures()).isZero();
        assertThat(b.stats().dropped()).isZero();
    }

    /** Records {@code session} while it receives {@code packets} packets; returns what it recorded. */
    static short[] record(Path dir, RtpSession session, int packets) throws IOException {
        Path file = dir.resolve("rec-" + System.nanoTime() + ".wav");
        Fixture.Completion done = new Fixture.Completion();
        MediaOperation recording = session.record(file.toString(), RecordFormat.PCM_16BIT, done);
        Fixture.awaitPackets(session, packets);
        recording.stop();
        done.await("the recording to end");
        assertThat(done.error()).isNull();
        return Audio.readPcm16(file);
    }
}
