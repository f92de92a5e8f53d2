package org.cti4j.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallbackOptions;

/** The params of the three constructs, from the API's options, named as the specification names them. */
final class ClientConstructs {

    private ClientConstructs() {
    }

    /** {@code sys.call.construct}. */
    static ObjectNode params(DialOptions options) {
        return ClientCodec.params()
                .put("from_uri", options.fromUri().toString())
                .put("to_uri", options.toUri().toString())
                .put("max_answer_seconds", options.maxAnswerSeconds())
                .put("max_ring_seconds", options.maxRingSeconds())
                .put("user_data", options.userData());
    }

    /** {@code ext.duo_callback.construct}. */
    static ObjectNode params(DuoCallbackOptions options) {
        ObjectNode params = ClientCodec.params()
                .put("from1_uri", options.from1Uri().toString())
                .put("to1_uri", options.to1Uri().toString())
                .put("from2_uri", options.from2Uri().toString())
                .put("to2_uri", options.to2Uri().toString())
                .put("max_connect_seconds", options.maxConnectSeconds())
                .put("max_ring_seconds", options.maxRingSeconds())
                .put("ring_play_file", options.ringPlayFile())
                .put("ring_play_mode", options.ringPlayMode().code())
                .put("record_file", options.recordFile())
                .put("record_mode", options.recordMode().code())
                .put("record_format", options.recordFormat().code())
                .put("record_overwrite", options.recordOverwrite())
                .put("user_data1", options.userData1())
                .put("user_data2", options.userData2())
                .put("prompt_file", options.promptFile())
                .put("prompt_after_seconds", options.promptAfterSeconds())
                .put("prompt_before_end_seconds", options.promptBeforeEndSeconds());
        if (options.recordStereo()) {
            params.put("record_stereo", true); // only when set: a server before record_stereo refuses it
        }
        return params;
    }

    /** {@code sys.conf.construct}. */
    static ObjectNode params(ConferenceOptions options) {
        return ClientCodec.params()
                .put("max_seconds", options.maxSeconds())
                .put("record_file", options.recordFile())
                .put("record_overwrite", options.recordOverwrite())
                .put("user_data", options.userData());
    }
}
