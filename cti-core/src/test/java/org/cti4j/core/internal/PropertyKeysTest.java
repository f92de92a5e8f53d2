package org.cti4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.cti4j.api.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class PropertyKeysTest {

    private static final Set<String> KNOWN = Set.of("sip.port", "sip.host", "sip.transport", "media.rtp-ports",
            "media.workers");

    @Test
    void knownKeysPass() {
        PropertyKeys.check(Map.of("sip.port", "5060", "media.workers", "2"), KNOWN);
    }

    @Test
    void anUnknownKeyIsRefusedNamingTheNearestKnownOne() {
        assertThatThrownBy(() -> PropertyKeys.check(Map.of("sip.prot", "5060"), KNOWN))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unknown property 'sip.prot': did you mean 'sip.port'?");
    }

    @Test
    void theNearestKeyIsTheFewestEditsAway() {
        assertThat(PropertyKeys.nearest("sip.hots", KNOWN)).isEqualTo("sip.host");
        assertThat(PropertyKeys.nearest("media.worker", KNOWN)).isEqualTo("media.workers");
        assertThat(PropertyKeys.nearest("transport", KNOWN)).isEqualTo("sip.transport");
    }
}
