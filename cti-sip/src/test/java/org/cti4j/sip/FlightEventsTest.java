package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cti-sip's JDK Flight Recorder event {@code org.cti4j.sip.InviteAnswered}: one per answered outbound leg, naming the
 * leg's Call-ID and the RTP port of its offer, however often the far end sends its 200 OK.
 */
class FlightEventsTest {

    private static final String ANSWERED = "org.cti4j.sip.InviteAnswered";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern AUDIO_PORT = Pattern.compile("m=audio (\\d+) ");

    @TempDir
    Path dir;

    private final Events events = new Events();
    private SipSignalingProvider sip;
    private CoreEngine engine;
    private RawSipPeer peer;

    @BeforeEach
    void start() throws IOException {
        peer = new RawSipPeer();
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        peer.close();
    }

    @Test
    void anAnsweredInviteIsRecordedOnceWithItsCallIdAndMediaPort() throws IOException {
        List<RecordedEvent> recorded;
        String invite;
        try (Recording recording = new Recording()) {
            recording.enable(ANSWERED).withThreshold(Duration.ZERO);
            recording.start();
            String target = "sip:bob@127.0.0.1:" + peer.port();
            engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(target).maxAnswerSeconds(60)
                    .build(), events);
            invite = peer.receive(WAIT, m -> m.startsWith("INVITE "));
            assertThat(invite).isNotNull();
            String ok = RawPeerDialogTest.response(invite, 200, "OK", "bob-tag", target,
                    String.join("\r\n", "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
                            "m=audio 40000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000", ""));
            peer.send(ok, sip.port());
            events.next(CallEvent.Answered.class);
            assertThat(peer.receive(WAIT, m -> m.startsWith("ACK "))).isNotNull();
            // The 200 OK again, as a peer that missed the ACK sends it: acknowledged again, not recorded again.
            peer.send(ok, sip.port());
            assertThat(peer.receive(WAIT, m -> m.startsWith("ACK "))).as("the second ACK").isNotNull();
            recording.stop();
            Path file = dir.resolve("answered.jfr");
            recording.dump(file);
            recorded = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(ANSWERED)).toList();
        }
        Matcher port = AUDIO_PORT.matcher(RawSipPeer.body(invite));
        assertThat(port.find()).as("the INVITE's offer").isTrue();
        assertThat(recorded).hasSize(1);
        RecordedEvent answered = recorded.get(0);
        assertThat(answered.getString("callId")).isEqualTo(RawSipPeer.header(invite, "Call-ID", "i"));
        assertThat(answered.getInt("mediaPort")).isEqualTo(Integer.parseInt(port.group(1)));
        assertThat(answered.getLong("sinceReceived")).isBetween(0L, WAIT.toNanos());
    }
}
