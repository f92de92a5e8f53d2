package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.SipUri;

/**
 * The named parameters of one request, read with their types checked. Every failure is a -32602 error naming the
 * parameter, what was expected and what came; {@link #checkNoneLeft()} refuses parameters nobody asked for.
 */
final class Params {

    private final String method;
    private final ObjectNode params;
    private final Set<String> read = new HashSet<>();

    Params(String method, ObjectNode params) {
        this.method = method;
        this.params = params;
    }

    /** A required string. */
    String string(String name) throws RpcError {
        JsonNode node = present(name);
        if (!node.isTextual()) {
            throw wrongType(name, "a string", node);
        }
        return node.textValue();
    }

    /** An optional string; {@code fallback} when absent or {@code null}. */
    String string(String name, String fallback) throws RpcError {
        return absent(name) ? fallback : string(name);
    }

    /** A required integer. */
    int integer(String name) throws RpcError {
        JsonNode node = present(name);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(name, "an integer", node);
        }
        return node.intValue();
    }

    /** A required string, or an array of 1 to {@code max} strings: read as a list either way. */
    List<String> strings(String name, int max) throws RpcError {
        JsonNode node = present(name);
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        if (!node.isArray() || node.isEmpty() || node.size() > max) {
            throw wrongType(name, "a string or an array of 1 to " + max + " strings", node);
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw wrongType(name, "a string or an array of 1 to " + max + " strings", node);
            }
            values.add(element.textValue());
        }
        return values;
    }

    /** An optional integer; {@code fallback} when absent or {@code null}. */
    int integer(String name, int fallback) throws RpcError {
        return absent(name) ? fallback : integer(name);
    }

    /** An optional boolean; {@code fallback} when absent or {@code null}. */
    boolean bool(String name, boolean fallback) throws RpcError {
        if (absent(name)) {
            return fallback;
        }
        JsonNode node = present(name);
        if (!node.isBoolean()) {
            throw wrongType(name, "true or false", node);
        }
        return node.booleanValue();
    }

    /** Whether the parameter is absent or {@code null} (it counts as read). */
    boolean absent(String name) {
        read.add(name);
        JsonNode node = params.get(name);
        return node == null || node.isNull();
    }

    /** A required SIP URI in the specification's lenient form. */
    SipUri uri(String name) throws RpcError {
        String text = string(name);
        try {
            return SipUri.parse(name, text);
        } catch (InvalidArgumentException e) {
            throw RpcError.invalidParams(name, e.getMessage());
        } catch (StackOverflowError e) {
            // A parser that recurses per character must not turn one long parameter into a server failure.
            throw RpcError.invalidParams(name, "parameter " + name + " (" + text.length()
                    + " characters) is not a SIP URI the server can read");
        }
    }

    /** Refuses any parameter that was not read: a misspelt optional one must not be silently ignored. */
    void checkNoneLeft() throws RpcError {
        for (Iterator<String> names = params.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                throw RpcError.invalidParams(name, "unknown parameter '" + name + "' for " + method);
            }
        }
    }

    private JsonNode present(String name) throws RpcError {
        read.add(name);
        JsonNode node = params.get(name);
        if (node == null || node.isNull()) {
            throw RpcError.invalidParams(name, "missing parameter " + name + " of " + method);
        }
        return node;
    }

    private static RpcError wrongType(String name, String expected, JsonNode node) {
        String got = node.isTextual() ? "the string \"" + abbreviate(node.textValue()) + "\""
                : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(node.toString());
        return RpcError.invalidParams(name, "parameter " + name + " must be " + expected + ", got " + got);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
