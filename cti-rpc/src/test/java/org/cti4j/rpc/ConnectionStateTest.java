package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The client connection's transition table, and the refusal of any move it does not list. */
class ConnectionStateTest {

    private static final String URI = "ws://127.0.0.1:8088/rpc";

    @Test
    void eachStateMovesOnlyWhereTheTableSays() {
        assertThat(allowed(ConnectionState.CONNECTING)).containsExactlyInAnyOrder(ConnectionState.READY,
                ConnectionState.ENDED, ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.READY)).containsExactlyInAnyOrder(ConnectionState.RECONNECTING,
                ConnectionState.ENDED, ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.RECONNECTING)).containsExactlyInAnyOrder(ConnectionState.READY,
                ConnectionState.ENDED, ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.ENDED)).containsExactly(ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.CLOSED)).isEmpty();
    }

    @Test
    void aMoveTheTableDoesNotListIsRefusedNamingIt() {
        assertThat(ConnectionState.READY.moveTo(ConnectionState.RECONNECTING, URI))
                .isEqualTo(ConnectionState.RECONNECTING);
        assertThatThrownBy(() -> ConnectionState.CLOSED.moveTo(ConnectionState.READY, URI))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the client connection to " + URI + " cannot move from CLOSED to READY");
    }

    @Test
    void onlyEndedAndClosedAreOver() {
        assertThat(EnumSet.allOf(ConnectionState.class).stream().filter(ConnectionState::isOver))
                .containsExactlyInAnyOrder(ConnectionState.ENDED, ConnectionState.CLOSED);
    }

    private static EnumSet<ConnectionState> allowed(ConnectionState from) {
        EnumSet<ConnectionState> to = EnumSet.noneOf(ConnectionState.class);
        for (ConnectionState target : ConnectionState.values()) {
            if (from.canMoveTo(target)) {
                to.add(target);
            }
        }
        return to;
    }
}
