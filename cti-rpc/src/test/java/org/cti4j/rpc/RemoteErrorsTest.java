package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.cti4j.rpc.ClientFixture.WAIT;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.cti4j.api.Call;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.ResourceNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Error responses come back as the API's exceptions, with the server's message: the embedded engine's. */
class RemoteErrorsTest {

    private final ClientRecorder heard = new ClientRecorder();
    private ClientFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
        assertThat(heard.violations()).isEmpty();
    }

    @Test
    void aBadParameterIsAnInvalidArgumentExceptionNamingIt() {
        f = new ClientFixture();
        RemoteCtiEngine remote = f.connect(f.client());
        Call call = f.connectedCall(remote, heard).call();

        InvalidArgumentException remoteError = catchThrowableOfType(InvalidArgumentException.class,
                () -> call.drop(100));
        InvalidArgumentException embeddedError = catchThrowableOfType(InvalidArgumentException.class,
                () -> f.core.call(call.resId()).drop(100));

        assertThat(remoteError.parameter()).isEqualTo("cause");
        assertThat(remoteError).hasMessage(embeddedError.getMessage()).hasMessageContaining("cause 100");
    }

    @Test
    void anUnknownResourceIsAResourceNotFoundExceptionNamingIt() {
        f = new ClientFixture();
        RemoteCtiEngine remote = f.connect(f.client());
        Call call = f.connectedCall(remote, heard).call();
        String noSuch = "1.2.3-sys.conf-999";

        ResourceNotFoundException remoteError = catchThrowableOfType(ResourceNotFoundException.class,
                () -> call.confEnter(noSuch));
        ResourceNotFoundException embeddedError = catchThrowableOfType(ResourceNotFoundException.class,
                () -> f.core.call(call.resId()).confEnter(noSuch));

        assertThat(remoteError.resId()).isEqualTo(noSuch);
        assertThat(remoteError).hasMessage(embeddedError.getMessage());
        assertThat(call.isReleased()).as("a 404 about another resource").isFalse();
        assertThat(remote.find(noSuch)).isEmpty();
    }

    @Test
    void anOperationTheStateForbidsIsAnInvalidStateExceptionWithTheStateAndOperation() {
        f = new ClientFixture();
        RemoteCtiEngine remote = f.connect(f.client());
        Call call = remote.dial(ClientFixture.dialOptions(), heard);
        f.sip.nextDialled(WAIT);

        InvalidStateException remoteError = catchThrowableOfType(InvalidStateException.class,
                () -> call.playStart(f.dirs.sound("a.wav")));
        InvalidStateException embeddedError = catchThrowableOfType(InvalidStateException.class,
                () -> f.core.call(call.resId()).playStart("a.wav"));

        assertThat(remoteError.resId()).isEqualTo(call.resId());
        assertThat(remoteError.state()).isEqualTo("INITIATED");
        assertThat(remoteError.operation()).isEqualTo("playStart");
        assertThat(remoteError.why()).isEqualTo("it is not answered");
        assertThat(remoteError).hasMessage(embeddedError.getMessage());
    }

    @Test
    void anEngineFailureIsAnEngineFailureExceptionWithTheServersMessage() {
        f = new ClientFixture();
        RemoteCtiEngine remote = f.connect(f.client());
        f.core.shutdown().toCompletableFuture().join();

        assertThatThrownBy(() -> remote.dial(ClientFixture.dialOptions(), heard))
                .isInstanceOf(EngineFailureException.class)
                .hasMessage("engine 1.2.3 is shut down: sys.call refused");
        assertThatThrownBy(() -> remote.context().request("sys.call.nope", ClientCodec.params()))
                .isInstanceOf(EngineFailureException.class)
                .hasMessage("method not found: sys.call.nope");
    }

    @Test
    void aRefusedTokenFailsTheBuildAndSaysSo() {
        f = new ClientFixture(server -> server.token("s3cret"));

        assertThatThrownBy(() -> f.client().build())
                .isInstanceOf(EngineFailureException.class)
                .hasMessageContaining("refused the token");
        assertThatThrownBy(() -> f.client().token("wrong").build())
                .isInstanceOf(EngineFailureException.class)
                .hasMessageContaining("refused the token");
        RemoteCtiEngine remote = f.connect(f.client().token("s3cret"));
        assertThat(remote.nodeId()).isEqualTo("1.2.3");
    }

    @Test
    void aServerThatIsNotThereFailsTheBuild() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThatThrownBy(() -> RemoteCtiEngine.builder(URI.create("ws://127.0.0.1:" + port + "/rpc")).build())
                .isInstanceOf(EngineFailureException.class)
                .hasMessageContaining("cannot connect to ws://127.0.0.1:" + port + "/rpc");
    }

    @Test
    void theBuilderChecksItsArguments() {
        assertThatThrownBy(() -> RemoteCtiEngine.builder(URI.create("http://127.0.0.1:8088/rpc")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("ws://");
        RemoteCtiEngine.Builder builder = RemoteCtiEngine.builder(URI.create("ws://127.0.0.1:8088/rpc"));
        assertThatThrownBy(() -> builder.requestTimeout(java.time.Duration.ZERO))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> builder.reconnectDelay(java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(1))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> builder.token(" ")).isInstanceOf(InvalidArgumentException.class);
    }
}
