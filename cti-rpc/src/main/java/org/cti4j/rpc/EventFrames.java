package org.cti4j.rpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.SipUri;

/**
 * Writes the engine's events as the params of the wire protocol's notifications (PROTOCOL.md, "Events"): the
 * specification's names, times as Unix seconds, enums as their lower-case wire names.
 */
final class EventFrames {

    private EventFrames() {
    }

    /** One notification: its method and params (without {@code seq}, which the session adds). */
    record Event(String method, ObjectNode params) {
    }

    static Event of(CallEvent event) {
        ObjectNode p = node(event.resId());
        String name;
        if (event instanceof CallEvent.Incoming e) {
            name = "on_incoming";
            p.put("from_uri", uri(e.fromUri()));
            p.put("to_uri", uri(e.toUri()));
            time(p, "begin_time", e.beginTime());
        } else if (event instanceof CallEvent.DialCompleted e) {
            name = "on_dial_completed";
            time(p, "begin_time", e.beginTime());
            time(p, "answer_time", e.answerTime());
            time(p, "end_time", e.endTime());
            p.put("error", e.error() == null ? null : e.error().toString());
        } else if (event instanceof CallEvent.Ringing e) {
            name = "on_ringing";
            time(p, "ring_time", e.ringTime());
        } else if (event instanceof CallEvent.Answered e) {
            name = "on_answered";
            time(p, "answer_time", e.answerTime());
        } else if (event instanceof CallEvent.Released e) {
            name = "on_released";
            p.put("call_dir", e.callDir().wireName());
            p.put("from_uri", uri(e.fromUri()));
            p.put("to_uri", uri(e.toUri()));
            time(p, "begin_time", e.beginTime());
            time(p, "answer_time", e.answerTime());
            time(p, "end_time", e.endTime());
            p.put("dropped_by", e.droppedBy().wireName());
            p.put("cause", e.cause());
            p.put("user_data", e.userData());
        } else if (event instanceof CallEvent.PlayCompleted e) {
            name = "on_play_completed";
            p.put("play_file", e.playFile());
            p.put("reason", lower(e.reason()));
            p.put("finish_key", e.finishKey() == null ? null : e.finishKey().toString());
            p.put("error", e.error());
        } else if (event instanceof CallEvent.RecordCompleted e) {
            name = "on_record_completed";
            p.put("record_file", e.recordFile());
            p.put("reason", lower(e.reason()));
            p.put("finish_key", e.finishKey() == null ? null : e.finishKey().toString());
            p.put("error", e.error());
        } else if (event instanceof CallEvent.Dtmf e) {
            name = "on_dtmf";
            p.put("digit", String.valueOf(e.digit()));
        } else if (event instanceof CallEvent.SendDtmfCompleted e) {
            name = "on_send_dtmf_completed";
            p.put("keys", e.keys());
            p.put("reason", lower(e.reason()));
            p.put("error", e.error());
        } else if (event instanceof CallEvent.ReceiveDtmfCompleted e) {
            name = "on_receive_dtmf_completed";
            p.put("error", e.error());
            time(p, "begin_time", e.beginTime());
            time(p, "end_time", e.endTime());
            p.put("keys", e.keys());
            p.put("reason", lower(e.reason()));
        } else if (event instanceof CallEvent.HoldCompleted e) {
            name = "on_hold_completed";
            p.put("held", e.held());
            p.put("error", e.error());
        } else if (event instanceof CallEvent.ConnectCompleted e) {
            name = "on_connect_completed";
            p.put("call_res_id", e.callResId());
            p.put("reason", lower(e.reason()));
            time(p, "begin_time", e.beginTime());
            time(p, "end_time", e.endTime());
            p.put("record_file", e.recordFile());
            p.put("error", e.error());
        } else {
            throw new IllegalArgumentException("unknown call event " + event);
        }
        return new Event(Call.MODULE + "." + name, p);
    }

    static Event of(DuoCallbackEvent event) {
        ObjectNode p = node(event.resId());
        String name;
        if (event instanceof DuoCallbackEvent.StateChanged e) {
            name = "on_state_changed";
            p.put("from", lower(e.from()));
            p.put("to", lower(e.to()));
            time(p, "time", e.time());
        } else if (event instanceof DuoCallbackEvent.Released e) {
            name = "on_released";
            p.put("error", e.error());
            time(p, "begin_time", e.beginTime());
            time(p, "answer_time", e.answerTime());
            time(p, "connect_time", e.connectTime());
            time(p, "end_time", e.endTime());
            p.put("user_data", e.userData());
            p.put("user_data2", e.userData2());
            p.put("record_file", e.recordFile());
            p.put("record_error", e.recordError());
        } else {
            throw new IllegalArgumentException("unknown duo callback event " + event);
        }
        return new Event(DuoCallback.MODULE + "." + name, p);
    }

    static Event of(ConferenceEvent event) {
        ObjectNode p = node(event.resId());
        String name;
        if (event instanceof ConferenceEvent.MemberEntered e) {
            name = "on_member_entered";
            p.put("call_res_id", e.callResId());
        } else if (event instanceof ConferenceEvent.MemberExited e) {
            name = "on_member_exited";
            p.put("call_res_id", e.callResId());
        } else if (event instanceof ConferenceEvent.Released e) {
            name = "on_released";
            time(p, "begin_time", e.beginTime());
            time(p, "end_time", e.endTime());
            p.put("reason", lower(e.reason()));
            p.put("user_data", e.userData());
            p.put("record_error", e.recordError());
        } else {
            throw new IllegalArgumentException("unknown conference event " + event);
        }
        return new Event(Conference.MODULE + "." + name, p);
    }

    static String uri(SipUri uri) {
        return uri.toString();
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static void time(ObjectNode node, String name, Instant time) {
        if (time == null) {
            node.putNull(name);
        } else {
            node.put(name, time.getEpochSecond());
        }
    }

    private static ObjectNode node(String resId) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("res_id", resId);
        return p;
    }
}
