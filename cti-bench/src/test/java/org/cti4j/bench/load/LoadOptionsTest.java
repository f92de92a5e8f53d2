package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void theDefaultsAreTheIssuesExample() {
        LoadOptions o = LoadOptions.defaults();
        assertThat(o.mode()).isEqualTo(LoadOptions.Mode.DUO);
        assertThat(o.rate()).isEqualTo(50);
        assertThat(o.concurrency()).isEqualTo(200);
        assertThat(o.hold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.count()).isEqualTo(1000);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.steadyPairs()).isEqualTo(200);
        assertThat(o.sipp()).isEqualTo(Path.of("/usr/bin/sipp"));
    }

    @Test
    void flagsAreReadWithASpaceOrAnEqualsSign() {
        LoadOptions o = LoadOptions.parse("--mode", "call", "--via", "RPC", "--rate=250", "--concurrency", "300", "--hold", "500ms",
                "--count", "20", "--duration=2m", "--out", "/tmp/x", "--steady-pairs", "0", "--property",
                "media.workers=2", "--property", "sip.threads = 8");
        assertThat(o.mode()).isEqualTo(LoadOptions.Mode.CALL);
        assertThat(o.via()).isEqualTo(LoadOptions.Via.RPC);
        assertThat(LoadOptions.defaults().via()).isEqualTo(LoadOptions.Via.EMBEDDED);
        assertThat(o.rate()).isEqualTo(250);
        assertThat(o.concurrency()).isEqualTo(300);
        assertThat(o.hold()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.count()).isEqualTo(20);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.out()).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.steadyPairs()).isZero();
        assertThat(o.properties()).isEqualTo(Map.of("media.workers", "2", "sip.threads", "8"));
    }

    @Test
    void durationsTakeUnitsOrPlainSeconds() {
        assertThat(LoadOptions.duration("x", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(LoadOptions.duration("x", "3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(LoadOptions.duration("x", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(LoadOptions.duration("x", "250ms")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theArgumentsOfARunParseBackToTheSameOptions() {
        LoadOptions o = LoadOptions.parse("--rate", "12.5", "--via", "rpc", "--hold", "1500ms", "--property", "a=b");
        assertThat(LoadOptions.parse(o.toArgs().toArray(String[]::new))).isEqualTo(o);
    }

    @Test
    void errorsNameTheFlagAndWhatIsWrong() {
        assertThatThrownBy(() -> LoadOptions.parse("--rate", "-5"))
                .isInstanceOf(LoadOptions.UsageException.class).hasMessage("--rate: '-5' must be a positive number");
        assertThatThrownBy(() -> LoadOptions.parse("--rate", "fast")).hasMessage("--rate: 'fast' is not a number");
        assertThatThrownBy(() -> LoadOptions.parse("--count", "0")).hasMessage("--count: 0 must be at least 1");
        assertThatThrownBy(() -> LoadOptions.parse("--count", "1.5"))
                .hasMessage("--count: '1.5' is not a whole number");
        assertThatThrownBy(() -> LoadOptions.parse("--hold", "soon"))
                .hasMessage("--hold: 'soon' is not a duration such as 500ms, 1s, 2m");
        assertThatThrownBy(() -> LoadOptions.parse("--mode", "trio")).hasMessage("--mode: 'trio' is not duo or call");
        assertThatThrownBy(() -> LoadOptions.parse("--via", "http"))
                .hasMessage("--via: 'http' is not embedded, rpc or cluster");
        assertThatThrownBy(() -> LoadOptions.parse("--rtp-ports", "20000"))
                .hasMessageStartingWith("--rtp-ports: '20000' is not a range");
        assertThatThrownBy(() -> LoadOptions.parse("--property", "novalue"))
                .hasMessage("--property: 'novalue' is not key=value");
    }

    @Test
    void aClusterOfEnginesSplitsTheRtpPortsIntoEvenSlices() {
        LoadOptions o = LoadOptions.parse("--via", "cluster", "--engines", "3", "--rtp-ports", "30001-30100");
        assertThat(o.via()).isEqualTo(LoadOptions.Via.CLUSTER);
        assertThat(o.engines()).isEqualTo(3);
        assertThat(o.rtpPortSlices()).as("from the first even port, 32 each, the odd last port to the last")
                .containsExactly("30002-30033", "30034-30065", "30066-30100");
        assertThat(LoadOptions.parse("--via", "cluster").engines()).isEqualTo(1);
        assertThat(LoadOptions.parse("--via", "cluster").rtpPortSlices()).containsExactly("30000-32767");
        assertThat(LoadOptions.parse("--via", "cluster", "--engines", "8").rtpPortSlices()).hasSize(8)
                .startsWith("30000-30345").endsWith("32422-32767");
        assertThat(LoadOptions.defaults().engines()).isEqualTo(1);
        assertThat(LoadOptions.parse("--rtp-ports", "30001-30004").rtpPortSlices())
                .as("one engine gets the range as given").containsExactly("30001-30004");
    }

    @Test
    void metricsIsASwitchThatMayTakeTrueOrFalse() {
        assertThat(LoadOptions.defaults().metrics()).isFalse();
        assertThat(LoadOptions.parse("--metrics").metrics()).isTrue();
        assertThat(LoadOptions.parse("--metrics", "--rate", "5").metrics()).isTrue();
        assertThat(LoadOptions.parse("--metrics", "--rate", "5").rate()).isEqualTo(5);
        assertThat(LoadOptions.parse("--metrics", "false").metrics()).isFalse();
        assertThat(LoadOptions.parse("--metrics=TRUE").metrics()).isTrue();
        assertThatThrownBy(() -> LoadOptions.parse("--metrics=yes"))
                .hasMessage("--metrics: 'yes' is not true or false (--metrics alone: true)");
        LoadOptions o = LoadOptions.parse("--via", "cluster", "--engines", "2", "--metrics");
        assertThat(LoadOptions.parse(o.toArgs().toArray(String[]::new))).isEqualTo(o);
        assertThat(o.toArgs()).containsSequence("--engines", "2").containsSequence("--metrics", "true");
    }

    @Test
    void engineCountsThatDoNotFitAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> LoadOptions.parse("--engines", "2"))
                .hasMessage("--engines: 2 engines need --via cluster (a ClusterCtiEngine over them); --via embedded"
                        + " drives one");
        assertThatThrownBy(() -> LoadOptions.parse("--via", "rpc", "--engines", "3"))
                .hasMessageStartingWith("--engines: 3 engines need --via cluster");
        assertThatThrownBy(() -> LoadOptions.parse("--via", "cluster", "--engines", "0"))
                .hasMessage("--engines: 0 must be at least 1");
        assertThatThrownBy(() -> LoadOptions.parse("--via", "cluster", "--engines", "9"))
                .hasMessage("--engines: 9 is not between 1 and 8");
        assertThatThrownBy(() -> LoadOptions.parse("--via", "cluster", "--engines", "two"))
                .hasMessage("--engines: 'two' is not a whole number");
        assertThatThrownBy(() -> LoadOptions.parse("--via", "cluster", "--engines", "3", "--rtp-ports",
                "30000-30010")).hasMessage("--rtp-ports: '30000-30010' split between 3 engines leaves each 2 ports;"
                        + " each needs at least 4 (two RTP/RTCP pairs)");
        assertThat(LoadOptions.parse("--via", "cluster", "--engines", "2", "--rtp-ports", "30000-30007")
                .rtpPortSlices()).containsExactly("30000-30003", "30004-30007");
        assertThatThrownBy(() -> LoadOptions.parse("--via", "cluster", "--engines", "2", "--sip-port", "5060"))
                .hasMessage("--sip-port: 5060 is one engine's port; with --engines 2 each engine takes a free port"
                        + " of its own");
        assertThatThrownBy(() -> LoadOptions.parse("--via", "cluster", "--engines", "2", "--property",
                "media.rtp-ports=20000-20099")).hasMessage("--property media.rtp-ports: each of the 2 engines gets"
                        + " its own (a free SIP port, its slice of --rtp-ports)");
        assertThat(LoadOptions.parse("--via", "cluster", "--sip-port", "5060").sipPort())
                .as("one engine may have a fixed port").isEqualTo(5060);
    }

    @Test
    void unknownFlagsAndMissingValuesAreNamed() {
        assertThatThrownBy(() -> LoadOptions.parse("--speed", "5"))
                .hasMessageStartingWith("unknown flag --speed; the flags are --mode, --via, --engines, --rate");
        assertThatThrownBy(() -> LoadOptions.parse("--rate")).hasMessage("--rate needs a value");
        assertThatThrownBy(() -> LoadOptions.parse("rate", "5"))
                .hasMessage("unexpected argument 'rate': flags look like --rate 50");
    }

    @Test
    void valuesThatDoNotFitTogetherAreRefused() {
        assertThatThrownBy(() -> LoadOptions.parse("--steady-time", "0s"))
                .hasMessage("--steady-time must be positive when --steady-pairs is 200");
        assertThatThrownBy(() -> LoadOptions.parse("--count", "5000000"))
                .hasMessageContaining("must not exceed 5000000");
    }

    @Test
    void theUsageListsEveryFlag() {
        for (String flag : LoadOptions.FLAGS.keySet()) {
            assertThat(LoadOptions.usage()).contains("--" + flag);
        }
    }
}
