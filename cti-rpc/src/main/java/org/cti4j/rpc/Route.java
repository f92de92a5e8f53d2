package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cti4j.api.Resource;

/**
 * Where the events of one resource go: the session that owns it. A route made for a {@code construct} holds the
 * resource's events back until the construct's result is sent ({@link #open()}), so that a client never hears of a
 * resource before it knows its {@code res_id}. An inbound call's route moves when its call is offered again to
 * another session. The paths the server gave the engine for the resource's files are reported by their names
 * ({@link ServerFiles}).
 */
final class Route {

    private ServerSession session;
    private Resource resource;
    private boolean open;
    private boolean released;
    private final List<EventFrames.Event> pending = new ArrayList<>();
    /** The names of the resource's files, by the path the engine was given. */
    private final Map<String, ServerFiles.Resolved> files = new LinkedHashMap<>();

    Route(ServerSession session, boolean open) {
        this.session = session;
        this.open = open;
    }

    synchronized ServerSession session() {
        return session;
    }

    synchronized Resource resource() {
        return resource;
    }

    /**
     * Ties the route to its resource, once the engine made it.
     *
     * @return {@code false} if the resource was released already (nothing to own)
     */
    synchronized boolean bind(Resource made) {
        this.resource = made;
        return !released;
    }

    /** Remembers a file of the resource: its events report {@code file}'s name where the engine wrote its path. */
    synchronized void named(ServerFiles.Resolved file) {
        if (!file.path().isEmpty()) {
            files.put(file.path(), file);
        }
    }

    synchronized void emit(EventFrames.Event event) {
        hidePaths(event.params());
        if (open) {
            session.emit(event.method(), event.params());
        } else {
            pending.add(event);
        }
    }

    private void hidePaths(ObjectNode params) {
        if (files.isEmpty()) {
            return;
        }
        for (String field : List.of("play_file", "record_file", "error", "record_error")) {
            JsonNode value = params.get(field);
            if (value != null && value.isTextual()) {
                String text = value.textValue();
                for (ServerFiles.Resolved file : files.values()) {
                    text = file.hide(text);
                }
                params.put(field, text);
            }
        }
    }

    /** Sends the events held back, and from now on every event at once. */
    synchronized void open() {
        open = true;
        for (EventFrames.Event event : pending) {
            session.emit(event.method(), event.params());
        }
        pending.clear();
    }

    /** Gives the resource to another session; the caller then offers it there. */
    synchronized void moveTo(ServerSession other) {
        session.routes.remove(this);
        session = other;
        other.routes.add(this);
    }

    /** Marks the resource released; {@code true} the first time. */
    synchronized boolean markReleased() {
        if (released) {
            return false;
        }
        released = true;
        return true;
    }
}
