package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cti4j.examples.ToneCheck;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar with {@code --sounds-dir} and {@code --recordings-dir}, real SIP and RTP: a client plays a WAV of the
 * sounds directory and records into the recordings directory by name; every way out is refused with -32602; an
 * existing recording is replaced only with {@code record_overwrite}; the recording is owner-only; nothing is written
 * outside the directories.
 */
class ServerFileConfinementIT {

    @TempDir
    Path dir;

    private int id;

    @Test
    void clientsPlayAndRecordByNameInsideTheServersDirectoriesOnly() throws Exception {
        Path media = Files.createDirectory(dir.resolve("media"));
        Path sounds = Files.createDirectory(media.resolve("sounds"));
        Path recordings = media.resolve("recordings");
        Path outside = Files.writeString(media.resolve("outside.txt"), "not for clients");
        Tones.sine(sounds.resolve("tone.wav"), 1000, 1);
        Files.createSymbolicLink(sounds.resolve("passwd.wav"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(sounds.resolve("up"), media);
        Map<String, String> before = listing(media);

        try (AnsweringPeer peer = new AnsweringPeer();
                ServerProcess server = ServerProcess.start(dir, Map.of(), "--sounds-dir", sounds.toString(),
                        "--recordings-dir", recordings.toString());
                RpcTestClient rpc = server.connect()) {
            assertThat(server.listening()).contains("sounds from " + sounds, "recordings to " + recordings);
            String call = rpc.request(++id, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\",\"to_uri\":"
                    + "\"sip:peer@127.0.0.1:" + peer.port() + "\",\"max_answer_seconds\":60}").path("res_id").asText();
            rpc.event("sys.call.on_answered");
            String res = "\"res_id\":\"" + call + "\"";

            for (String name : new String[] {"/etc/passwd", outside.toString(), "../outside.txt", "a/../../x.wav",
                "passwd.wav", "up/outside.txt", "tone.wav\\u0000"}) {
                refused(rpc, "sys.call.play_start", "play_file", "{" + res + ",\"play_file\":\"" + name + "\"}");
            }
            for (String name : new String[] {"/tmp/x.wav", "../x.wav", "a/../../x.wav", "up/x.wav", "x\\u0000.wav"}) {
                refused(rpc, "sys.call.record_start", "record_file",
                        "{" + res + ",\"record_file\":\"" + name + "\",\"record_overwrite\":true}");
            }

            JsonNode recorded = recordWhilePlaying(rpc, res, "{" + res + ",\"record_file\":\"call.wav\"}");
            assertThat(recorded.path("record_file").asText()).isEqualTo("call.wav");
            assertThat(recorded.path("error").isNull()).as("%s", recorded).isTrue();
            Path file = recordings.resolve("call.wav");
            assertThat(Files.size(file)).isGreaterThan(44 + 8000);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(recordings)))
                    .isEqualTo("rwx------");
            assertThat(ToneCheck.of(file).presence(1000)).as("the tone, echoed, in the recording").isGreaterThan(0.3);

            // Two recordings of the same tone may be equal byte for byte: the old one is made recognisable first.
            byte[] first = "an older recording".getBytes(StandardCharsets.US_ASCII);
            Files.write(file, first);
            refused(rpc, "sys.call.record_start", "record_file", "{" + res + ",\"record_file\":\"call.wav\"}");
            assertThat(Files.readAllBytes(file)).as("not overwritten").isEqualTo(first);
            recorded = recordWhilePlaying(rpc, res,
                    "{" + res + ",\"record_file\":\"call.wav\",\"record_overwrite\":true}");
            assertThat(recorded.path("error").isNull()).as("%s", recorded).isTrue();
            assertThat(Files.size(file)).as("replaced when asked").isGreaterThan(44 + 8000);
            assertThat(ToneCheck.of(file).presence(1000)).as("the tone in the new recording").isGreaterThan(0.3);

            rpc.request(++id, "sys.call.play_start", "{" + res + ",\"play_file\":\"recordings/call.wav\"}");
            JsonNode replayed = rpc.event("sys.call.on_play_completed");
            assertThat(replayed.path("play_file").asText()).isEqualTo("recordings/call.wav");
            assertThat(replayed.path("reason").asText()).isEqualTo("finished");
            rpc.request(++id, "sys.call.drop", "{" + res + "}");
            rpc.event("sys.call.on_released");
        }

        Map<String, String> after = listing(media);
        // The recordings directory was made in media (which changed media's time) by the first recording.
        after.keySet().removeIf(name -> name.isEmpty() || name.startsWith("recordings"));
        before.remove("");
        assertThat(after).as("nothing written beside the directories").isEqualTo(before);
        assertThat(Files.readString(outside)).isEqualTo("not for clients");
        try (Stream<Path> made = Files.list(recordings)) {
            assertThat(made.map(p -> p.getFileName().toString())).containsExactly("call.wav");
        }
    }

    /** Records while the sounds directory's tone plays (the peer echoes it); returns the recording's event. */
    private JsonNode recordWhilePlaying(RpcTestClient rpc, String res, String recordParams) throws Exception {
        rpc.request(++id, "sys.call.record_start", recordParams);
        rpc.request(++id, "sys.call.play_start", "{" + res + ",\"play_file\":\"tone.wav\"}");
        JsonNode played = rpc.event("sys.call.on_play_completed");
        assertThat(played.path("play_file").asText()).isEqualTo("tone.wav");
        assertThat(played.path("reason").asText()).as("%s", played).isEqualTo("finished");
        rpc.request(++id, "sys.call.record_stop", "{" + res + "}");
        return rpc.event("sys.call.on_record_completed");
    }

    private void refused(RpcTestClient rpc, String method, String parameter, String params) throws Exception {
        int request = ++id;
        JsonNode reply = rpc.exchange(request, "{\"jsonrpc\":\"2.0\",\"id\":" + request + ",\"method\":\"" + method
                + "\",\"params\":" + params + "}");
        assertThat(reply.path("error").path("code").asInt()).as("%s %s", method, params).isEqualTo(-32602);
        assertThat(reply.path("error").path("data").path("parameter").asText()).isEqualTo(parameter);
    }

    /** Every file and directory under {@code root} (links not followed), with its size and modification time. */
    private static Map<String, String> listing(Path root) {
        Map<String, String> listing = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.toList()) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                listing.put(root.relativize(path).toString(), attributes.size() + " "
                        + attributes.lastModifiedTime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return listing;
    }
}
