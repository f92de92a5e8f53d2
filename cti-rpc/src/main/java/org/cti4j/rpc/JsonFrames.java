package org.cti4j.rpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Reads request frames and writes response and notification frames of JSON-RPC 2.0. */
final class JsonFrames {

    /**
     * Bounds on what a frame may hold, set explicitly rather than left to Jackson's defaults: a request is an
     * object holding an object of flat params (a batch adds one level), so 32 levels of nesting are plenty and
     * 10,000 levels of {@code [} are a parse error, not a deep recursion; no string, name or number may outgrow
     * what a frame of the largest {@code max_frame_bytes} can carry, and a number has at most 100 digits.
     */
    static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(32)
            .maxDocumentLength(16L * 1024 * 1024)
            .maxStringLength(16 * 1024 * 1024)
            .maxNameLength(1024)
            .maxNumberLength(100)
            .build();

    /** Strict: trailing garbage after the value and duplicate keys are parse errors, not silently dropped. */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(LIMITS)
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(32).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonFrames() {
    }

    static JsonNode read(String frame) throws JsonProcessingException {
        return MAPPER.readTree(frame);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ObjectNode response(JsonNode id, JsonNode result) {
        ObjectNode response = envelope();
        response.set("id", id == null ? NullNode.getInstance() : id);
        response.set("result", result);
        return response;
    }

    static ObjectNode error(JsonNode id, RpcError error) {
        ObjectNode response = envelope();
        response.set("id", id == null ? NullNode.getInstance() : id);
        response.set("error", error.toJson());
        return response;
    }

    static String notification(String method, ObjectNode params) {
        ObjectNode notification = envelope();
        notification.put("method", method);
        notification.set("params", params);
        return write(notification);
    }

    private static ObjectNode envelope() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("jsonrpc", "2.0");
        return node;
    }
}
