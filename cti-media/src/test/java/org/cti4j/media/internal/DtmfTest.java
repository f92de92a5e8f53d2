package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtmfTest {

    private static ByteBuffer event(int code, boolean end, int duration) {
        return ByteBuffer.wrap(new byte[] {(byte) code, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8),
            (byte) duration});
    }

    @Test
    void aKeyIsReportedOnceThroughItsUpdatesAndRedundantEndPackets() {
        DtmfDetector detector = new DtmfDetector();
        List<Character> keys = new ArrayList<>();
        long[] timestamps = {1000, 1000, 1000, 1000, 1000, 1000, 5000, 5000, 5000, 1000, 5000, 9000};
        int[] codes = {5, 5, 5, 5, 5, 5, 11, 11, 11, 5, 11, 10};
        for (int i = 0; i < timestamps.length; i++) {
            char key = detector.onPayload(event(codes[i], i == 3 || i == 4 || i == 5, 160 * (i + 1)), 0, 4,
                    timestamps[i]);
            if (key != 0) {
                keys.add(key);
            }
        }
        assertThat(keys).containsExactly('5', '#', '*');
    }

    @Test
    void shortOrNonDtmfEventsAreIgnored() {
        DtmfDetector detector = new DtmfDetector();
        assertThat(detector.onPayload(ByteBuffer.wrap(new byte[] {1, 2}), 0, 2, 10)).isEqualTo((char) 0);
        assertThat(detector.onPayload(event(70, false, 160), 0, 4, 20)).isEqualTo((char) 0);
        assertThat(detector.onPayload(event(15, false, 160), 0, 4, 30)).isEqualTo('D');
    }

    @Test
    void theSenderMarksTheFirstPacketKeepsTheTimestampAndEndsThreeTimes() {
        DtmfSender sender = new DtmfSender();
        sender.enqueue(Dtmf.event('7'), 100);
        byte[] payload = new byte[4];
        List<String> packets = new ArrayList<>();
        int timestamp = 4000;
        for (int tick = 0; tick < 12; tick++, timestamp += 160) {
            if (sender.next(timestamp, payload) == 4) {
                int duration = ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
                packets.add(payload[0] + (sender.firstPacket() ? "M" : "") + ((payload[1] & 0x80) != 0 ? "E" : "")
                        + duration + "@" + sender.eventTimestamp());
            }
        }
        assertThat(packets).containsExactly("7M160@4000", "7320@4000", "7480@4000", "7640@4000", "7800@4000",
                "7E800@4000", "7E800@4000", "7E800@4000");
        assertThat(Dtmf.event('x')).isEqualTo(-1);
        assertThat(Dtmf.key(11)).isEqualTo('#');
    }

    @Test
    void aSequenceSendsEachKeyWholeThenTheNextPausesAtACommaAndEndsOnce() {
        DtmfSender sender = new DtmfSender();
        List<String> ends = new ArrayList<>();
        DtmfSequence sequence = new DtmfSequence("1,2", sender, 100, error -> ends.add(String.valueOf(error)));
        byte[] payload = new byte[4];
        List<String> starts = new ArrayList<>();
        long now = 0;
        boolean over = false;
        for (int tick = 0; tick < 200 && !over; tick++, now += 20_000_000L) {
            over = sequence.tick(now);
            if (sender.next(tick * 160, payload) == 4 && sender.firstPacket()) {
                starts.add(Dtmf.key(payload[0]) + "@" + tick * 20);
            }
        }
        // '1' at once; it lasts 100 ms, its 3 end packets and 3 gap ticks follow, then the comma's 500 ms.
        assertThat(starts).hasSize(2);
        assertThat(starts.get(0)).isEqualTo("1@0");
        int second = Integer.parseInt(starts.get(1).substring(2));
        assertThat(starts.get(1)).startsWith("2@");
        assertThat(second).isBetween(100 + 500, 100 + 60 + 60 + 500 + 60);
        assertThat(ends).containsExactly("null");
        assertThat(sequence.tick(now)).isTrue();
        assertThat(ends).as("the end is told once").hasSize(1);
    }

    @Test
    void aStoppedSequenceEndsOnlyAfterTheEndPacketsOfTheKeyUnderWayAndSendsNoMore() {
        DtmfSender sender = new DtmfSender();
        List<String> ends = new ArrayList<>();
        DtmfSequence sequence = new DtmfSequence("123", sender, 100, error -> ends.add(String.valueOf(error)));
        byte[] payload = new byte[4];
        List<String> packets = new ArrayList<>();
        int endedAt = -1;
        long now = 0;
        for (int tick = 0; tick < 100 && endedAt < 0; tick++, now += 20_000_000L) {
            if (tick == 2) {
                sequence.stop();
                assertThat(ends).as("the stop waits for the key under way").isEmpty();
            }
            if (sequence.tick(now)) {
                endedAt = packets.size();
            }
            if (sender.next(tick * 160, payload) == 4) {
                packets.add(Dtmf.key(payload[0]) + ((payload[1] & 0x80) != 0 ? "E" : ""));
            }
        }
        // '1' lasts 100 ms (5 packets), then its 3 end packets; the listener hears the end only after the last one.
        assertThat(packets).containsExactly("1", "1", "1", "1", "1", "1E", "1E", "1E");
        assertThat(endedAt).isEqualTo(8);
        assertThat(ends).containsExactly("null");
        for (int tick = 0; tick < 50; tick++) {
            assertThat(sender.next(tick * 160, payload)).as("nothing after the stop").isZero();
        }
        sequence.stop();
        assertThat(sequence.tick(now)).isTrue();
        assertThat(ends).as("the end is told once").hasSize(1);
    }

    @Test
    void aSequenceStoppedDuringAPauseEndsAtTheNextTick() {
        DtmfSender sender = new DtmfSender();
        List<String> ends = new ArrayList<>();
        DtmfSequence sequence = new DtmfSequence(",5", sender, 100, error -> ends.add(String.valueOf(error)));
        assertThat(sequence.tick(0)).isFalse();
        sequence.stop();
        assertThat(sequence.tick(20_000_000L)).isTrue();
        assertThat(ends).containsExactly("null");
        assertThat(sender.busy()).isFalse();
    }
}
