package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.SipUri;
import org.junit.jupiter.api.Test;

class SipUnitsTest {

    @Test
    void theConfigIsReadFromEngineProperties() {
        SipConfig config = SipConfig.fromProperties(Map.of("sip.host", "127.0.0.2", "sip.port", "5070",
                "sip.transport", "tcp", "sip.outbound-proxy", "10.1.1.1:5080", "sip.username", "alice",
                "sip.password", "pw", "sip.realm", "pbx", "sip.threads", "2"));
        assertThat(config.host()).isEqualTo("127.0.0.2");
        assertThat(config.port()).isEqualTo(5070);
        assertThat(config.transport()).isEqualTo(SipTransport.TCP);
        assertThat(config.outboundProxy()).isEqualTo(SipUri.parse("10.1.1.1:5080"));
        assertThat(config.credentials()).containsExactly(new SipCredential("pbx", "alice", "pw"));
        assertThat(config.credentials().get(0).toString()).doesNotContain("pw");
        assertThat(config.threads()).isEqualTo(2);
        assertThat(SipConfig.fromProperties(Map.of())).isEqualTo(SipConfig.builder().build());
    }

    @Test
    void malformedPropertiesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.port", "abc")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sip.port").hasMessageContaining("abc");
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.port", "70000")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.transport", "sctp")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sctp");
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.outbound-proxy", "not a uri")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sip.outbound-proxy");
    }
}
