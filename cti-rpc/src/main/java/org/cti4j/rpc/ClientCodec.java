package org.cti4j.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallEvent;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConnectEndReason;
import org.cti4j.api.DialError;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.EngineUnavailableException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.ReceiveDtmfEndReason;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.api.RecordEndReason;
import org.cti4j.api.ResourceNotFoundException;
import org.cti4j.api.SipUri;

/**
 * The client's side of the wire format (PROTOCOL.md): building requests, reading the params of notifications into
 * the {@code cti-api} event records, and turning error responses back into the API's exceptions. Stateless.
 */
final class ClientCodec {

    static final ObjectMapper JSON = new ObjectMapper();

    private ClientCodec() {
    }

    /** Returns an empty params object. */
    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Returns params holding only {@code res_id}. */
    static ObjectNode params(String resId) {
        return params().put("res_id", resId);
    }

    /** Writes a request ({@code id} given) or a notification ({@code id} null) as one JSON text. */
    static String request(Long id, String method, ObjectNode params) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("jsonrpc", "2.0");
        if (id != null) {
            frame.put("id", id);
        }
        frame.put("method", method);
        frame.set("params", params);
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new EngineFailureException(method + ": cannot write the request: " + e.getMessage(), e);
        }
    }

    /** Parses one frame; throws {@link JsonProcessingException} if it is not JSON. */
    static JsonNode parse(String text) throws JsonProcessingException {
        return JSON.readTree(text);
    }

    // ---- errors ----

    /**
     * Returns the API exception an error response stands for: -32602 {@link InvalidArgumentException}, 404
     * {@link ResourceNotFoundException}, 409 {@link InvalidStateException}, 503 {@link EngineUnavailableException},
     * anything else {@link EngineFailureException}; each with the server's message and data. Made on the caller's
     * thread, so that its stack trace shows the caller.
     */
    static RuntimeException toException(String method, JsonNode error) {
        int code = error.path("code").asInt(500);
        String message = error.path("message").asText(method + " failed with error " + code);
        JsonNode data = error.path("data");
        return switch (code) {
            case -32602 -> new InvalidArgumentException(textOr(data, "parameter", "params"), message);
            case 404 -> new ResourceNotFoundException(textOr(data, "res_id", ""), message);
            // The wire names states in lower case and operations as the specification's functions (play_start);
            // the API's exception names them as Java does (INITIATED, playStart), and so says what the server
            // said in its message, which the embedded engine wrote.
            case 409 -> new InvalidStateException(textOr(data, "res_id", ""),
                    textOr(data, "state", "unknown").toUpperCase(Locale.ROOT),
                    camelCase(textOr(data, "operation", method)), text(data, "why"));
            case 503 -> new EngineUnavailableException(message);
            default -> new EngineFailureException(message);
        };
    }

    /** Returns {@code play_start} as {@code playStart}; a name without underscores stays as it is. */
    static String camelCase(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                upper = sb.length() > 0;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    // ---- reading params ----

    /** Returns the text of {@code name}, or {@code null} when it is absent or JSON null. */
    static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    static String textOr(JsonNode node, String name, String fallback) {
        String value = text(node, name);
        return value != null ? value : fallback;
    }

    /** Returns the text of a required field. */
    static String required(JsonNode node, String name) {
        String value = text(node, name);
        if (value == null) {
            throw new IllegalArgumentException("'" + name + "' is missing in " + node);
        }
        return value;
    }

    /** Reads integer Unix seconds; {@code null} stays {@code null}. */
    static Instant time(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : Instant.ofEpochSecond(value.asLong());
    }

    static SipUri uri(JsonNode node, String name) {
        return SipUri.parse(name, required(node, name));
    }

    /** Reads a lower-case wire name as the enum constant of the same name in upper case. */
    static <E extends Enum<E>> E constant(Class<E> type, JsonNode node, String name) {
        return Enum.valueOf(type, required(node, name).toUpperCase(Locale.ROOT));
    }

    static Character character(JsonNode node, String name) {
        String value = text(node, name);
        return value == null || value.isEmpty() ? null : value.charAt(0);
    }

    /** Reads a dial error such as {@code "486 Busy Here"} as {@code DialError(486, "Busy Here")}. */
    static DialError dialError(String text) {
        if (text == null) {
            return null;
        }
        int space = text.indexOf(' ');
        String head = space < 0 ? text : text.substring(0, space);
        if (!head.isEmpty() && head.length() <= 3 && head.chars().allMatch(Character::isDigit)) {
            return new DialError(Integer.parseInt(head), space < 0 ? "" : text.substring(space + 1));
        }
        // Not "<status> <reason>": keep the whole text; 500 says the engine failed without a SIP status.
        return new DialError(500, text);
    }

    /** Returns the {@code process_id} of a {@code res_id}: its last part. */
    static long processId(String resId) {
        int dash = resId.lastIndexOf('-');
        try {
            return Long.parseLong(resId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Returns when a resource was created: the engine stamps a {@code process_id} with its clock in microseconds
     * (PROTOCOL.md's {@code res_id}, README "Decisions"), which gives the time to the millisecond.
     */
    static Instant beginTime(long processId) {
        return processId > 0 ? Instant.ofEpochMilli(processId / 1000) : Instant.now();
    }

    // ---- events ----

    static CallEvent.Incoming incoming(String resId, JsonNode p) {
        return new CallEvent.Incoming(resId, uri(p, "from_uri"), uri(p, "to_uri"), time(p, "begin_time"));
    }

    /** Reads a call event other than {@code on_incoming}; {@code event} is the method's last part. */
    static CallEvent callEvent(String resId, String event, JsonNode p) {
        return switch (event) {
            case "on_dial_completed" -> new CallEvent.DialCompleted(resId, time(p, "begin_time"),
                    time(p, "answer_time"), time(p, "end_time"), dialError(text(p, "error")));
            case "on_answered" -> new CallEvent.Answered(resId, time(p, "answer_time"));
            case "on_ringing" -> new CallEvent.Ringing(resId, time(p, "ring_time"));
            case "on_play_completed" -> new CallEvent.PlayCompleted(resId, required(p, "play_file"),
                    constant(PlayEndReason.class, p, "reason"), character(p, "finish_key"), text(p, "error"));
            case "on_record_completed" -> new CallEvent.RecordCompleted(resId, required(p, "record_file"),
                    constant(RecordEndReason.class, p, "reason"), character(p, "finish_key"), text(p, "error"));
            case "on_dtmf" -> new CallEvent.Dtmf(resId, required(p, "digit").charAt(0));
            case "on_send_dtmf_completed" -> new CallEvent.SendDtmfCompleted(resId, textOr(p, "keys", ""),
                    constant(SendDtmfEndReason.class, p, "reason"), text(p, "error"));
            case "on_receive_dtmf_completed" -> new CallEvent.ReceiveDtmfCompleted(resId, text(p, "error"),
                    time(p, "begin_time"), time(p, "end_time"), textOr(p, "keys", ""),
                    constant(ReceiveDtmfEndReason.class, p, "reason"));
            case "on_hold_completed" -> new CallEvent.HoldCompleted(resId, p.path("held").asBoolean(), text(p, "error"));
            case "on_connect_completed" -> new CallEvent.ConnectCompleted(resId, textOr(p, "call_res_id", ""),
                    constant(ConnectEndReason.class, p, "reason"), time(p, "begin_time"), time(p, "end_time"),
                    textOr(p, "record_file", ""), text(p, "error"));
            case "on_released" -> new CallEvent.Released(resId, constant(CallDirection.class, p, "call_dir"),
                    uri(p, "from_uri"), uri(p, "to_uri"), time(p, "begin_time"), time(p, "answer_time"),
                    time(p, "end_time"), constant(DroppedBy.class, p, "dropped_by"), p.path("cause").asInt(),
                    textOr(p, "user_data", ""));
            default -> null;
        };
    }

    static DuoCallbackEvent duoEvent(String resId, String event, JsonNode p) {
        return switch (event) {
            case "on_state_changed" -> new DuoCallbackEvent.StateChanged(resId,
                    constant(DuoCallbackState.class, p, "from"), constant(DuoCallbackState.class, p, "to"),
                    time(p, "time"));
            case "on_released" -> new DuoCallbackEvent.Released(resId, text(p, "error"), time(p, "begin_time"),
                    time(p, "answer_time"), time(p, "connect_time"), time(p, "end_time"),
                    textOr(p, "user_data", ""), textOr(p, "user_data2", ""), text(p, "record_file"),
                    text(p, "record_error"));
            default -> null;
        };
    }

    static ConferenceEvent conferenceEvent(String resId, String event, JsonNode p) {
        return switch (event) {
            case "on_member_entered" -> new ConferenceEvent.MemberEntered(resId, required(p, "call_res_id"));
            case "on_member_exited" -> new ConferenceEvent.MemberExited(resId, required(p, "call_res_id"));
            case "on_released" -> new ConferenceEvent.Released(resId, time(p, "begin_time"), time(p, "end_time"),
                    constant(ConferenceEndReason.class, p, "reason"), textOr(p, "user_data", ""),
                    text(p, "record_error"));
            default -> null;
        };
    }
}
