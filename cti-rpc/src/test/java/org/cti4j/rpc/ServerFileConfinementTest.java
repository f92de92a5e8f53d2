package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over the wire, a client names files only inside the server's sounds and recordings directories: every way out (an
 * absolute path, {@code ..}, a link, a linked directory, a NUL) is refused with -32602 naming the parameter, opens
 * nothing and writes nothing; a legitimate name is played or recorded, and events report it as the client gave it.
 */
class ServerFileConfinementTest {

    private static final String DIAL = "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\"sip:2000@127.0.0.1:5062\","
            + "\"max_answer_seconds\":600}";

    private ServerFixture f;
    private ServerRawClient client;
    private Path outside;
    private String call;
    private int id;

    @BeforeEach
    void serveACall() throws IOException {
        f = new ServerFixture();
        client = f.client();
        Path root = f.dirs.root;
        outside = Files.writeString(root.resolve("secret.txt"), "not for clients");
        f.dirs.sound("hello.wav");
        Files.createSymbolicLink(f.dirs.sounds.resolve("passwd.wav"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(f.dirs.sounds.resolve("secret.wav"), outside);
        Files.createSymbolicLink(f.dirs.sounds.resolve("nothing.wav"), root.resolve("no-such-file"));
        Files.createSymbolicLink(f.dirs.sounds.resolve("up"), root);
        Files.createDirectories(f.dirs.recordings);
        Files.writeString(f.dirs.recordings.resolve("old.wav"), "an earlier recording");
        Files.createSymbolicLink(f.dirs.recordings.resolve("out"), root);
        Files.createSymbolicLink(f.dirs.recordings.resolve("keys.wav"), outside);

        call = ok(client.call(++id, "sys.call.construct", DIAL)).path("res_id").asText();
        ScriptedSignaling.Outbound far = f.sip.nextDialled(ServerRawClient.WAIT);
        far.answer();
        client.event("sys.call.on_answered");
    }

    @AfterEach
    void close() {
        try {
            client.close();
        } finally {
            f.close();
        }
    }

    @Test
    void everyWayOutIsRefusedNamingTheParameterAndNothingOutsideChanges() throws IOException {
        Map<String, String> before = listing(f.dirs.root);
        List<String> played = List.of("/etc/passwd", outside.toString(), "../secret.txt", "a/../../secret.txt",
                "passwd.wav", "secret.wav", "up/secret.txt", "hello.wav\u0000.txt",
                "recordings/../secret.txt", "recordings/out/secret.txt", "en\\hello.wav", "./hello.wav");
        List<String> recorded = List.of("/tmp/x.wav", outside.toString(), "../x.wav", "a/../../x.wav",
                "out/x.wav", "out/secret.txt", "keys.wav", "x.wav\u0000", "sub\\x.wav", "new-dir/x.wav");

        for (String name : played) {
            refused("sys.call.play_start", "play_file", params("res_id", call, "play_file", name), name);
            ObjectNode list = params("res_id", call);
            list.putArray("play_file").add("hello.wav").add(name);
            refused("sys.call.play_start", "play_file", list, name);
            refused("ext.duo_callback.construct", "ring_play_file",
                    duo().put("ring_play_file", name), name);
            refused("ext.duo_callback.construct", "prompt_file", duo().put("prompt_file", name), name);
        }
        for (String name : recorded) {
            refused("sys.call.record_start", "record_file", params("res_id", call, "record_file", name), name);
            refused("sys.call.record_start", "record_file", params("res_id", call, "record_file", name)
                    .put("record_overwrite", true), name);
            refused("ext.duo_callback.construct", "record_file", duo().put("record_file", name), name);
            refused("sys.conf.construct", "record_file", params("max_seconds", 60, "record_file", name), name);
        }
        refused("sys.call.play_start", "play_file", params("res_id", call, "play_file", ""), "");
        refused("sys.call.record_start", "record_file", params("res_id", call, "record_file", ""), "");

        assertThat(f.media.sessions().get(0).operations()).as("nothing was played or recorded").isEmpty();
        assertThat(f.sip.legs()).as("no duo callback started").hasSize(1);
        assertThat(f.engine.resources()).as("no conference made").hasSize(1);
        assertThat(listing(f.dirs.root)).isEqualTo(before);
        assertThat(Files.readString(outside)).isEqualTo("not for clients");
    }

    @Test
    void aLinkToAFileOutsideIsAnsweredAsOneToNothingSoNothingCanBeProbed() {
        String toAFile = error("sys.call.play_start", params("res_id", call, "play_file", "secret.wav"));
        String toNothing = error("sys.call.play_start", params("res_id", call, "play_file", "nothing.wav"));
        String missing = error("sys.call.play_start", params("res_id", call, "play_file", "missing.wav"));

        assertThat(toAFile.replace("secret.wav", "X")).isEqualTo(toNothing.replace("nothing.wav", "X"))
                .isEqualTo(missing.replace("missing.wav", "X"));
        assertThat(error("sys.call.play_start", params("res_id", call, "play_file", "up/secret.txt"))
                .replace("up/secret.txt", "X"))
                .isEqualTo(error("sys.call.play_start", params("res_id", call, "play_file", "up/nothing.txt"))
                        .replace("up/nothing.txt", "X"));
    }

    @Test
    void aNameInsideIsPlayedAndReportedAsTheClientGaveIt() throws IOException {
        ok(client.call(++id, "sys.call.play_start", params("res_id", call, "play_file", "hello.wav").toString()));

        ScriptedMedia.Operation playback = f.media.sessions().get(0).last("play");
        assertThat(playback.what()).isEqualTo("play " + f.dirs.sounds.toRealPath().resolve("hello.wav"));
        playback.finish();
        JsonNode completed = client.event("sys.call.on_play_completed").path("params");
        assertThat(completed.path("play_file").asText()).isEqualTo("hello.wav");

        ok(client.call(++id, "sys.call.play_start",
                params("res_id", call, "play_file", "recordings/old.wav").toString()));
        assertThat(f.media.sessions().get(0).last("play").what())
                .isEqualTo("play " + f.dirs.recordings.toRealPath().resolve("old.wav"));
    }

    @Test
    void aPlaylistIsPlayedFromTheDirectoriesAndItsEventsNameTheFilesAsTheClientGaveThem() throws IOException {
        ObjectNode request = params("res_id", call, "play_repeat", 1, "finish_key", "#");
        request.putArray("play_file").add("hello.wav").add("recordings/old.wav");
        ok(client.call(++id, "sys.call.play_start", request.toString()));

        ScriptedMedia.Operation playback = f.media.sessions().get(0).last("play");
        Path old = f.dirs.recordings.toRealPath().resolve("old.wav");
        assertThat(playback.what()).isEqualTo("play " + f.dirs.sounds.toRealPath().resolve("hello.wav") + " " + old
                + " repeat 1");
        playback.fail("cannot play " + old + ": not a WAV file");
        JsonNode completed = client.event("sys.call.on_play_completed").path("params");
        assertThat(completed.path("play_file").asText()).isEqualTo("hello.wav");
        assertThat(completed.path("reason").asText()).isEqualTo("failed");
        assertThat(completed.path("error").asText()).isEqualTo("cannot play recordings/old.wav: not a WAV file");
    }

    @Test
    void aRecordingIsMadeNewInsideTheRecordingsDirectoryAndItsErrorsNameIt() throws IOException {
        ok(client.call(++id, "sys.call.record_start", params("res_id", call, "record_file", "msg.wav").toString()));

        ScriptedMedia.Operation recording = f.media.sessions().get(0).last("record");
        Path path = f.dirs.recordings.toRealPath().resolve("msg.wav");
        assertThat(recording.what()).isEqualTo("record " + path + " PCM_16BIT new");
        recording.fail("cannot record " + path + ": No space left on device");
        JsonNode completed = client.event("sys.call.on_record_completed").path("params");
        assertThat(completed.path("record_file").asText()).isEqualTo("msg.wav");
        assertThat(completed.path("error").asText()).isEqualTo("cannot record msg.wav: No space left on device");
    }

    @Test
    void anExistingRecordingIsReplacedOnlyWhenTheRequestSaysSo() throws IOException {
        String exists = error("sys.call.record_start", params("res_id", call, "record_file", "old.wav"));
        assertThat(exists).isEqualTo("record_file 'old.wav' exists already; set record_overwrite to replace it");
        JsonNode notBoolean = client.call(++id, "sys.call.record_start",
                params("res_id", call, "record_file", "old.wav").put("record_overwrite", "yes").toString());
        assertThat(notBoolean.path("error").path("data").path("parameter").asText()).isEqualTo("record_overwrite");
        assertThat(f.media.sessions().get(0).operations()).isEmpty();

        ok(client.call(++id, "sys.call.record_start", params("res_id", call, "record_file", "old.wav")
                .put("record_overwrite", true).toString()));
        assertThat(f.media.sessions().get(0).last("record").what())
                .isEqualTo("record " + f.dirs.recordings.toRealPath().resolve("old.wav") + " PCM_16BIT");
    }

    @Test
    void aConferenceRecordsInsideTheRecordingsDirectory() throws IOException {
        ok(client.call(++id, "sys.conf.construct", params("max_seconds", 60, "record_file", "board.wav")
                .toString()));

        Path path = f.dirs.recordings.toRealPath().resolve("board.wav");
        // The conference starts recording on its own strand, after the answer to construct.
        Await.until("the conference recording", Duration.ofSeconds(10),
                () -> !f.media.mixers().isEmpty() && !f.media.mixers().get(0).recordings().isEmpty());
        ScriptedMedia.Mixer mixer = f.media.mixers().get(0);
        assertThat(mixer.recordings()).extracting(ScriptedMedia.Operation::what)
                .containsExactly("record " + path + " PCM_16BIT new");
    }

    private ObjectNode duo() {
        return params("from1_uri", "400@127.0.0.1", "to1_uri", "1001@127.0.0.1", "from2_uri", "400@127.0.0.1",
                "to2_uri", "1002@127.0.0.1", "max_connect_seconds", 60);
    }

    private static ObjectNode params(Object... namesAndValues) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            Object value = namesAndValues[i + 1];
            if (value instanceof Integer number) {
                params.put(name, number);
            } else {
                params.put(name, (String) value);
            }
        }
        return params;
    }

    private void refused(String method, String parameter, ObjectNode params, String name) {
        JsonNode response = client.call(++id, method, params.toString());
        JsonNode error = response.path("error");
        assertThat(error.path("code").asInt()).as("%s %s=%s: %s", method, parameter, name, response)
                .isEqualTo(-32602);
        assertThat(error.path("data").path("parameter").asText()).as("%s %s", method, name).isEqualTo(parameter);
        assertThat(error.path("message").asText()).as("no server path in the message")
                .doesNotContain(f.dirs.sounds.toString()).doesNotContain(f.dirs.recordings.toString());
    }

    private String error(String method, ObjectNode params) {
        JsonNode response = client.call(++id, method, params.toString());
        assertThat(response.path("error").path("code").asInt()).as("%s", response).isEqualTo(-32602);
        return response.path("error").path("message").asText();
    }

    private static JsonNode ok(JsonNode response) {
        assertThat(response.has("error")).as("error in %s", response).isFalse();
        return response.path("result");
    }

    /** Every file and directory under {@code root} (links not followed), with its size and modification time. */
    private static Map<String, String> listing(Path root) {
        Map<String, String> listing = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.toList()) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                listing.put(root.relativize(path).toString(), attributes.size() + " "
                        + attributes.lastModifiedTime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return listing;
    }

    @Test
    void theDirectoriesAreSoundsAndRecordingsInTheWorkingDirectoryByDefaultAndBuildingMakesNeither() {
        Path workingDirectory = Path.of("").toAbsolutePath();
        boolean recordingsBefore = Files.exists(workingDirectory.resolve("recordings"));
        try (RpcServer defaults = RpcServer.builder(f.engine).port(0).build()) {
            assertThat(defaults.mediaFiles().soundsDirectory()).isEqualTo(workingDirectory.resolve("sounds"));
            assertThat(defaults.mediaFiles().recordingsDirectory()).isEqualTo(workingDirectory.resolve("recordings"));
        }
        assertThat(Files.exists(workingDirectory.resolve("recordings"))).isEqualTo(recordingsBefore);
    }
}
