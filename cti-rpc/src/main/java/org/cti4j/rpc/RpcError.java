package org.cti4j.rpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cti4j.api.CtiError;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.ResourceNotFoundException;

/** A JSON-RPC error object, thrown by the server's request handling and written as the response's {@code error}. */
final class RpcError extends Exception {

    private static final long serialVersionUID = 1L;

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int UNAUTHORIZED = 401;
    static final int TOO_MANY_REQUESTS = 429;
    static final int ENGINE_FAILURE = 500;

    private final int code;
    private final transient ObjectNode data;

    RpcError(int code, String message) {
        this(code, message, JsonNodeFactory.instance.objectNode());
    }

    RpcError(int code, String message, ObjectNode data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    static RpcError invalidParams(String parameter, String message) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("parameter", parameter);
        return new RpcError(INVALID_PARAMS, message, data);
    }

    /**
     * The error for a throwable nothing expected (a bug, the stack or the heap exhausted): it names what failed and
     * the throwable's class, never its stack.
     */
    static RpcError internal(String what, Throwable t) {
        return new RpcError(INTERNAL_ERROR, "internal error: the server failed " + what + " ("
                + t.getClass().getSimpleName() + "); nothing was changed by this request where that can be told, "
                + "and the server goes on");
    }

    /** Turns an exception of the engine's API into the error the wire protocol gives for it. */
    static RpcError of(RuntimeException e) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (e instanceof InvalidArgumentException invalid) {
            data.put("parameter", invalid.parameter());
        } else if (e instanceof ResourceNotFoundException notFound) {
            data.put("res_id", notFound.resId());
        } else if (e instanceof InvalidStateException refused) {
            data.put("res_id", refused.resId());
            data.put("state", refused.state().toLowerCase(java.util.Locale.ROOT));
            // The specification's name of the function (play_start), not the Java method's (playStart).
            data.put("operation", refused.operation().replaceAll("([a-z])([A-Z])", "$1_$2")
                    .toLowerCase(java.util.Locale.ROOT));
            data.put("why", refused.why());
        }
        int code = e instanceof CtiError error ? error.errorCode().code() : ENGINE_FAILURE;
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new RpcError(code, message, data);
    }

    int code() {
        return code;
    }

    ObjectNode toJson() {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", code);
        error.put("message", getMessage());
        error.set("data", data);
        return error;
    }
}
