package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The server's small frames leave at once. A {@code sys.call.drop} is answered and then reported
 * ({@code sys.call.on_released}) in two frames written back to back; with Nagle's algorithm on the server's socket,
 * the second would wait for the client to acknowledge the first, and a client delays its ACKs (Linux: about 40 ms;
 * with Nagle on, this test measures a median round trip of 43 ms). The server sets {@code TCP_NODELAY}, so the
 * request's round trip takes about 1.5 ms at the median over loopback on an idle 2-core machine, and the event
 * follows its response at once. The bounds asserted, 10 ms and 5 ms, keep a loaded machine's scheduling out of the
 * verdict while staying far under a delayed ACK.
 */
class ServerLatencyTest {

    private static final String DIAL = "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\"sip:2000@127.0.0.1:5062\","
            + "\"max_answer_seconds\":600}";
    private static final int WARM_UP = 20;
    private static final int ROUNDS = 40;

    @Test
    void aResponseAndTheEventRightAfterItArriveWithoutWaitingForAnAck() {
        long[] roundTrips = new long[ROUNDS];
        long[] eventGaps = new long[ROUNDS];
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            for (int i = -WARM_UP; i < ROUNDS; i++) {
                String resId = client.call(3 * i + 100, "sys.call.construct", DIAL).path("result").path("res_id")
                        .asText();
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                client.event("sys.call.on_dial_completed");

                long sent = System.nanoTime();
                JsonNode response = client.call(3 * i + 101, "sys.call.drop", "{\"res_id\":\"" + resId + "\"}");
                JsonNode released = client.event("sys.call.on_released");

                assertThat(response.has("error")).as("drop answered with %s", response).isFalse();
                assertThat(released.path("params").path("res_id").asText()).isEqualTo(resId);
                if (i >= 0) {
                    roundTrips[i] = client.arrivedAt(response) - sent;
                    eventGaps[i] = client.arrivedAt(released) - client.arrivedAt(response);
                }
            }
        }
        Arrays.sort(roundTrips);
        Arrays.sort(eventGaps);
        assertThat(roundTrips[ROUNDS / 2]).as("median round trip of a drop, ns; all: %s", Arrays.toString(roundTrips))
                .isLessThan(10_000_000);
        assertThat(eventGaps[ROUNDS / 2]).as("median gap between the drop's response and its event, ns; all: %s",
                Arrays.toString(eventGaps)).isLessThan(5_000_000);
    }
}
