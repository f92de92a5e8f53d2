package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded, deterministic mutation run against a live server: every method with every parameter made very long,
 * of the wrong type, deeply nested, huge, odd Unicode; whole frames truncated, nested 10,000 deep, batched, binary,
 * empty. Every frame that asks for an answer gets exactly one, nothing stops the server, and a normal call works
 * afterwards.
 */
class ServerMutationTest {

    /** Fixed, so that a failure is reproduced by running the test again. */
    private static final long SEED = 0x18_2026L;
    private static final String VALID_ID = "7";

    /** One frame to send and what must come back. */
    private record Case(String name, String frame, boolean binary, int responses, String id) {
    }

    /** Every method with a valid value for each of its parameters (JSON literals), in the specification's order. */
    private static Map<String, Map<String, String>> methods(String files) {
        String call = q("1.2.3-sys.call-1");
        String conf = q("1.2.3-sys.conf-1");
        String duo = q("1.2.3-ext.duo_callback-1");
        Map<String, Map<String, String>> methods = new LinkedHashMap<>();
        methods.put("sys.call.construct", params("from_uri", q("1000@127.0.0.1"), "to_uri", q("2000@127.0.0.1"),
                "max_answer_seconds", "60", "max_ring_seconds", "5", "user_data", q("u")));
        methods.put("sys.call.answer", params("res_id", call, "user_data", q("u")));
        methods.put("sys.call.drop", params("res_id", call, "cause", "603"));
        methods.put("sys.call.redirect", params("res_id", call, "redirect_uri", q("3000@127.0.0.1")));
        methods.put("sys.call.play_start", params("res_id", call, "play_file", q(files + "/p.wav")));
        methods.put("sys.call.play_stop", params("res_id", call));
        methods.put("sys.call.record_start", params("res_id", call, "record_file", q(files + "/r.wav"),
                "finish_key", q("#"), "record_format", "0"));
        methods.put("sys.call.record_stop", params("res_id", call));
        methods.put("sys.call.conf_enter", params("res_id", call, "conf_res_id", conf));
        methods.put("sys.call.conf_exit", params("res_id", call, "conf_res_id", conf));
        methods.put("sys.call.get", params("res_id", call));
        methods.put("sys.call.subscribe_incoming", params());
        methods.put("sys.call.unsubscribe_incoming", params());
        methods.put("ext.duo_callback.construct", params("from1_uri", q("400@127.0.0.1"), "to1_uri",
                q("1001@127.0.0.1"), "from2_uri", q("400@127.0.0.1"), "to2_uri", q("1002@127.0.0.1"),
                "max_connect_seconds", "60", "max_ring_seconds", "5", "ring_play_file", q(""), "ring_play_mode", "0",
                "record_file", q(""), "record_mode", "0", "record_format", "0", "user_data1", q("a"),
                "user_data2", q("b")));
        methods.put("ext.duo_callback.cancel", params("res_id", duo));
        methods.put("ext.duo_callback.release", params("res_id", duo));
        methods.put("ext.duo_callback.get", params("res_id", duo));
        methods.put("sys.conf.construct", params("max_seconds", "60", "record_file", q(""), "user_data", q("u")));
        methods.put("sys.conf.release", params("res_id", conf));
        methods.put("sys.conf.exists", params("res_id", conf));
        methods.put("sys.conf.get_parts", params("res_id", conf));
        return methods;
    }

    /** What a parameter's value is replaced with: long, wrongly typed, nested, huge, odd Unicode. */
    private static List<String> mutations(Random random, String name, String files) {
        String prefix = name.endsWith("_file") ? files + "/" : name.endsWith("_uri") ? "sip:" : "";
        String suffix = name.endsWith("_uri") ? "@127.0.0.1" : "";
        char[] fill = {'a', '1', 'é', '\u4e2d', '%', '\\', '"', '\u0000'};
        List<String> values = new ArrayList<>();
        for (int length : new int[] {1_000, 100_000}) {
            char c = fill[random.nextInt(fill.length)];
            values.add(q(prefix + String.valueOf(c).repeat(length) + suffix));
            values.add(q(prefix + "1".repeat(length) + suffix));
        }
        values.add(q("\uD83D\uDE00".repeat(1_000)));
        values.add("\"\\u0000\\uD800\\uDFFF\\u202E\\uFFFF\"");
        values.add("\"raw\u0001control\"");
        values.addAll(List.of("12345", "-1", "0", "2147483648", "-9223372036854775809", "3.5", "1e308", "-1e400",
                "1" + "0".repeat(400), "true", "null", "[]", "{}", "[1,2]", "{\"a\":1}", "\"\""));
        values.add("[".repeat(10_000) + "]".repeat(10_000));
        values.add("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
        return values;
    }

    private static List<Case> cases(String files) {
        Random random = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        Map<String, Map<String, String>> methods = methods(files);
        for (Map.Entry<String, Map<String, String>> method : methods.entrySet()) {
            String name = method.getKey();
            Map<String, String> valid = method.getValue();
            for (String param : valid.keySet()) {
                for (String value : mutations(random, param, files)) {
                    Map<String, String> mutated = new LinkedHashMap<>(valid);
                    mutated.put(param, value);
                    cases.add(request(name + " " + param + "=" + abbreviate(value), name, mutated));
                }
            }
            cases.add(request(name + " with no params", name, params()));
            cases.add(request(name + " with an unknown parameter of 100k characters", name,
                    withExtra(valid, "x".repeat(100_000), "1")));
            String body = body(name, valid);
            cases.add(new Case(name + " with a duplicate key", body.replace("\"params\":{",
                    "\"params\":{\"dup\":1,\"dup\":2,"), false, 1, null));
            cases.add(new Case(name + " as a notification", body.replace("\"id\":" + VALID_ID + ",", ""), false, 0,
                    null));
            for (int i = 0; i < 3; i++) {
                int cut = random.nextInt(body.length() - 1);
                cases.add(new Case(name + " truncated at " + cut, body.substring(0, cut), false, 1, null));
            }
            cases.add(new Case(name + " as a binary frame", body, true, 1, null));
        }
        String exists = body("sys.conf.exists", params("res_id", q("x")));
        cases.add(new Case("empty frame", "", false, 1, null));
        cases.add(new Case("blank frame", " \r\n\t ", false, 1, null));
        cases.add(new Case("empty binary frame", "", true, 1, null));
        for (String scalar : List.of("null", "1", "\"text\"", "true", "[]", "{}", "[[]]", "[1,2,3]")) {
            cases.add(new Case("the frame " + scalar, scalar, false, 1, null));
        }
        cases.add(new Case("10,000 levels of [", "[".repeat(10_000), false, 1, null));
        cases.add(new Case("10,000 levels of [ ]", "[".repeat(10_000) + "]".repeat(10_000), false, 1, null));
        cases.add(new Case("10,000 levels of {", "{\"a\":".repeat(10_000), false, 1, null));
        cases.add(new Case("10,000 levels of { }", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), false, 1,
                null));
        StringJoiner batch = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 100; i++) {
            batch.add(exists);
        }
        cases.add(new Case("a batch of 100", batch.toString(), false, 1, null));
        cases.add(new Case("a batch of notifications", "[" + exists.replace("\"id\":" + VALID_ID + ",", "") + ","
                + exists.replace("\"id\":" + VALID_ID + ",", "") + "]", false, 0, null));
        cases.add(new Case("a batch of junk", "[1,\"a\",null,{},[]," + exists + "]", false, 1, null));
        for (String id : List.of("1e400", "12345678901234567890123", q("i".repeat(100_000)), "{}", "[]", "true",
                "-0", "1" + "0".repeat(400))) {
            cases.add(new Case("id " + abbreviate(id), exists.replace("\"id\":" + VALID_ID, "\"id\":" + id), false, 1,
                    null));
        }
        cases.add(new Case("a method of 100k characters", body("m".repeat(100_000), params()), false, 1, VALID_ID));
        cases.add(new Case("no jsonrpc", exists.replace("\"jsonrpc\":\"2.0\",", ""), false, 1, null));
        cases.add(new Case("trailing garbage", exists + "}}]]", false, 1, null));
        cases.add(new Case("two values", exists + exists, false, 1, null));
        return cases;
    }

    @Test
    void everyMutatedFrameGetsItsAnswerAndNothingStopsTheServer(@TempDir Path temp) {
        List<Case> cases = cases(temp.toString());
        int answered = 0;
        int errors = 0;
        int internalErrors = 0;
        long start = System.nanoTime();
        try (ServerFixture f = new ServerFixture(b -> b.maxFrameBytes(1024 * 1024).maxRequestsPerSecond(1_000_000));
                ServerRawClient client = f.client()) {
            int sentinel = 0;
            Map<String, Long> slowest = new java.util.TreeMap<>();
            for (Case c : cases) {
                long caseStart = System.nanoTime();
                if (c.binary()) {
                    client.sendBinary(c.frame().getBytes(StandardCharsets.UTF_8));
                } else {
                    client.send(c.frame());
                }
                // A sentinel request after each case: what comes before its answer is the case's answer.
                String sentinelId = "s" + ++sentinel;
                client.send("{\"jsonrpc\":\"2.0\",\"id\":\"" + sentinelId + "\",\"method\":\"sys.conf.exists\","
                        + "\"params\":{\"res_id\":\"x\"}}");
                List<JsonNode> responses = answers(client, sentinelId, c);
                assertThat(responses).as(c.name()).hasSize(c.responses());
                slowest.put(String.format("%08d %s", (System.nanoTime() - caseStart) / 1_000_000, c.name()), 0L);
                for (JsonNode response : responses) {
                    answered++;
                    List<JsonNode> each = new ArrayList<>();
                    if (response.isArray()) {
                        response.forEach(each::add);
                    } else {
                        each.add(response);
                    }
                    for (JsonNode one : each) {
                        if (one.has("error")) {
                            errors++;
                            if (one.path("error").path("code").asInt() == RpcError.INTERNAL_ERROR) {
                                internalErrors++;
                            }
                        }
                    }
                    if (c.id() != null) {
                        // A frame that is not JSON cannot be answered with its id (JSON-RPC 2.0: null).
                        boolean unparsed = response.path("error").path("code").asInt() == RpcError.PARSE_ERROR;
                        assertThat(response.path("id").asText(null)).as(c.name()).isEqualTo(unparsed ? null : c.id());
                    }
                }
            }
            System.out.println("slowest: " + new ArrayList<>(slowest.keySet()).subList(slowest.size() - 5,
                    slowest.size()));
            System.out.printf("rpc mutation run: %d cases, %d answered (%d errors, %d internal), %d without an "
                    + "answer as asked, in %d ms; listener alive: %s%n", cases.size(), answered, errors,
                    internalErrors, cases.size() - answered, (System.nanoTime() - start) / 1_000_000,
                    f.server.isListening());

            assertThat(internalErrors).as("requests that failed inside the server").isZero();
            assertThat(f.server.fatalFailure()).isNull();
            assertThat(f.server.unexpectedFailures()).isZero();
            assertThat(f.server.isListening()).isTrue();
            try (ServerRawClient fresh = f.client()) {
                String resId = fresh.call(1, "sys.call.construct", "{\"from_uri\":\"1000@127.0.0.1\","
                        + "\"to_uri\":\"2000@127.0.0.1\",\"max_answer_seconds\":60}").path("result").path("res_id")
                        .asText();
                assertThat(fresh.call(2, "sys.call.drop", "{\"res_id\":\"" + resId + "\"}").path("result")
                        .path("res_id").asText()).isEqualTo(resId);
            }
            assertThat(client.call(1, "sys.conf.exists", "{\"res_id\":\"x\"}").has("result")).isTrue();
            // The server's own nesting limit (32), far below Jackson's default (1000), is the one in force.
            JsonNode nested = client.send("[".repeat(100) + "]".repeat(100)).next();
            assertThat(nested.path("error").path("code").asInt()).isEqualTo(RpcError.PARSE_ERROR);
            assertThat(nested.path("error").path("message").asText()).contains("nesting depth").contains("32");
        }
        assertThat(cases.size()).isGreaterThan(1000);
    }

    /** The frames answering {@code c}: those before the sentinel's answer (events left out). */
    private static List<JsonNode> answers(ServerRawClient client, String sentinelId, Case c) {
        List<JsonNode> responses = new ArrayList<>();
        try {
            while (true) {
                JsonNode frame = client.next(node -> !node.has("method"));
                if (sentinelId.equals(frame.path("id").asText(null))) {
                    return responses;
                }
                responses.add(frame);
            }
        } catch (AssertionError e) {
            throw new AssertionError("case '" + c.name() + "': " + e.getMessage() + "; answered so far: "
                    + responses.size() + "; the connection closed with " + client.closeReason()
                    + "; the server's threads: " + serverThreads(), e);
        }
    }

    /** Where the server's threads are: what a case that got no answer left them doing. */
    private static String serverThreads() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("WebSocket") || thread.getName().startsWith("cti4j")) {
                dump.append("\n").append(thread.getName()).append(" ").append(thread.getState());
                for (int i = 0; i < Math.min(stack.length, 25); i++) {
                    dump.append("\n    at ").append(stack[i]);
                }
            }
        });
        return dump.toString();
    }

    private static Case request(String name, String method, Map<String, String> params) {
        return new Case(name, body(method, params), false, 1, VALID_ID);
    }

    private static String body(String method, Map<String, String> params) {
        StringJoiner joined = new StringJoiner(",", "{", "}");
        params.forEach((name, value) -> joined.add(q(name) + ":" + value));
        return "{\"jsonrpc\":\"2.0\",\"id\":" + VALID_ID + ",\"method\":" + q(method) + ",\"params\":" + joined + "}";
    }

    private static Map<String, String> params(String... namesAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return params;
    }

    private static Map<String, String> withExtra(Map<String, String> params, String name, String value) {
        Map<String, String> extended = new LinkedHashMap<>(params);
        extended.put(name, value);
        return extended;
    }

    /** A JSON string literal. */
    private static String q(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 30) + "...(" + text.length() + ")";
    }
}
