package org.cti4j.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.cti4j.api.CtiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles request frames: checks that each is JSON-RPC 2.0 (a request or a batch), applies the connection's rate
 * limit, and runs the named {@link ServerMethods method}. Every failure becomes the error response PROTOCOL.md gives
 * for it. Runs on the thread that read the frame (a Java-WebSocket worker); holds no mutable state.
 */
final class ServerRequests {

    private static final Logger log = LoggerFactory.getLogger(ServerRequests.class);
    private static final Set<String> MEMBERS = Set.of("jsonrpc", "id", "method", "params");

    /**
     * What handling a frame gave.
     *
     * @param response the response frame, or {@code null} when there is none (notifications)
     * @param after what to do once the response is sent
     */
    record Handled(String response, List<Runnable> after) {
    }

    private final ServerMethods methods;

    ServerRequests(ServerMethods methods) {
        this.methods = methods;
    }

    /** Handles one text frame of {@code session}'s connection. */
    Handled handle(ServerSession session, RateLimit limit, String frame) {
        List<Runnable> after = new ArrayList<>();
        JsonNode root;
        try {
            root = JsonFrames.read(frame);
        } catch (JsonProcessingException e) {
            return new Handled(JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.PARSE_ERROR,
                    "parse error: the frame is not JSON: " + e.getOriginalMessage()))), after);
        }
        if (root.isArray()) {
            if (root.isEmpty()) {
                return new Handled(JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.INVALID_REQUEST,
                        "invalid request: an empty batch"))), after);
            }
            ArrayNode responses = JsonNodeFactory.instance.arrayNode();
            for (JsonNode request : root) {
                ObjectNode response = one(session, limit, request, after);
                if (response != null) {
                    responses.add(response);
                }
            }
            return new Handled(responses.isEmpty() ? null : JsonFrames.write(responses), after);
        }
        ObjectNode response = one(session, limit, root, after);
        return new Handled(response == null ? null : JsonFrames.write(response), after);
    }

    /** Handles one request; returns its response, or {@code null} for a notification. */
    private ObjectNode one(ServerSession session, RateLimit limit, JsonNode request, List<Runnable> after) {
        if (!request.isObject()) {
            return invalid(null, "a request must be a JSON object, not " + kind(request));
        }
        JsonNode id = request.get("id");
        boolean notification = id == null;
        if (id != null && !id.isTextual() && !id.isNumber() && !id.isNull()) {
            return invalid(null, "id must be a number, a string or null, not " + kind(id));
        }
        JsonNode version = request.get("jsonrpc");
        if (version == null || !version.isTextual() || !version.textValue().equals("2.0")) {
            return invalid(id, "\"jsonrpc\" must be \"2.0\"");
        }
        JsonNode methodName = request.get("method");
        if (methodName == null || !methodName.isTextual()) {
            return invalid(id, "\"method\" must be a string");
        }
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                return invalid(id, "unknown member \"" + name + "\" (a request has jsonrpc, id, method, params)");
            }
        }
        String name = methodName.textValue();
        JsonNode params = request.get("params");
        try {
            if (params != null && params.isArray()) {
                throw new RpcError(RpcError.INVALID_PARAMS, "params of " + name
                        + " must be an object of named parameters; positional params are not supported");
            }
            if (params != null && !params.isObject() && !params.isNull()) {
                return invalid(id, "\"params\" must be an object, not " + kind(params));
            }
            if (!limit.tryAcquire()) {
                ObjectNode data = JsonFrames.object();
                data.put("limit", limit.perSecond());
                throw new RpcError(RpcError.TOO_MANY_REQUESTS, "too many requests: this connection may make "
                        + limit.perSecond() + " per second", data);
            }
            ServerMethods.Method method = methods.method(name);
            if (method == null) {
                ObjectNode data = JsonFrames.object();
                data.put("method", name);
                throw new RpcError(RpcError.METHOD_NOT_FOUND, "method not found: " + name, data);
            }
            Params checked = new Params(name, params == null || params.isNull() ? JsonFrames.object()
                    : (ObjectNode) params);
            ServerMethods.Action action = method.prepare(session, checked);
            checked.checkNoneLeft();
            ObjectNode result = action.run(after);
            return notification ? null : JsonFrames.response(id, result);
        } catch (RpcError e) {
            return notification ? null : JsonFrames.error(id, e);
        } catch (RuntimeException e) {
            if (!(e instanceof CtiError)) {
                log.error("{} failed unexpectedly", name, e);
            }
            return notification ? null : JsonFrames.error(id, RpcError.of(e));
        } catch (Error e) {
            // Answered, never thrown on: on a WebSocket decoder thread an Error would stop the whole server.
            failed(name, e);
            return notification ? null : JsonFrames.error(id, RpcError.internal("handling " + abbreviate(name), e));
        }
    }

    private static void failed(String name, Throwable e) {
        try {
            log.error("{} failed with {}; the request is answered with an internal error", abbreviate(name),
                    e.getClass().getName(), e);
        } catch (Throwable alsoFailed) {
            // The log needs stack and heap too; what matters now is that the request is answered.
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static ObjectNode invalid(JsonNode id, String why) {
        return JsonFrames.error(id, new RpcError(RpcError.INVALID_REQUEST, "invalid request: " + why));
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
