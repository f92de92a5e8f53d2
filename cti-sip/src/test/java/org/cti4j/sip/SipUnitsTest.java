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

    @Test
    void accountsAreReadFromPropertiesAndTheirKeysAreKnownToTheEngine() {
        Map<String, String> properties = Map.ofEntries(Map.entry("sip.accounts", "agent, trunk"),
                Map.entry("sip.account.agent.registrar", "sip:pbx.example.com;transport=tcp"),
                Map.entry("sip.account.agent.aor", "sip:1001@pbx.example.com"),
                Map.entry("sip.account.agent.password", "pw"),
                Map.entry("sip.account.trunk.registrar", "sip:carrier.example.net"),
                Map.entry("sip.account.trunk.aor", "sip:+33100000000@carrier.example.net"),
                Map.entry("sip.account.trunk.username", "acct-77"),
                Map.entry("sip.account.trunk.realm", "carrier"),
                Map.entry("sip.account.trunk.expires-seconds", "600"),
                Map.entry("sip.account.trunk.outbound-proxy", "sip:sbc.example.net:5080"),
                Map.entry("sip.keepalive-seconds", "15"));

        SipConfig config = SipConfig.fromProperties(properties);

        assertThat(config.accounts()).extracting(SipAccount::name).containsExactly("agent", "trunk");
        SipAccount agent = config.accounts().get(0);
        assertThat(agent.username()).isEqualTo("1001");
        assertThat(agent.realm()).isEmpty();
        assertThat(agent.expires()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(agent.toString()).doesNotContain("pw");
        SipAccount trunk = config.accounts().get(1);
        assertThat(trunk.username()).isEqualTo("acct-77");
        assertThat(trunk.realm()).isEqualTo("carrier");
        assertThat(trunk.expires()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(trunk.outboundProxy()).isEqualTo(SipUri.parse("sip:sbc.example.net:5080"));
        assertThat(config.keepAlive()).isEqualTo(java.time.Duration.ofSeconds(15));
        assertThat(config.accountOf(SipUri.parse("sip:1001@PBX.example.com:5060"))).contains(agent);
        assertThat(new SipSignalingProviderFactory().propertyKeys(properties)).containsAll(properties.keySet());
    }

    @Test
    void aBadAccountIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.accounts", "agent",
                "sip.account.agent.registrar", "sip:pbx.example.com")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sip.account.agent.aor");
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.accounts", "agent",
                "sip.account.agent.registrar", "sip:pbx.example.com", "sip.account.agent.aor",
                "sip:1001@pbx.example.com", "sip.account.agent.expires-seconds", "5")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sip.account.agent.expires-seconds");
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.accounts", "a b")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("account name 'a b'");
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.keepalive-seconds", "-1")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sip.keepalive-seconds");
    }
}
