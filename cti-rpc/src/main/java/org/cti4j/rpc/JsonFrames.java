package org.cti4j.rpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Reads request frames and writes response and notification frames of JSON-RPC 2.0. */
final class JsonFrames {

    /** Strict: trailing garbage after the value and duplicate keys are parse errors, not silently dropped. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
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
