package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.cti4j.api.InvalidArguments.assertRejected;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SipUriTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        // text,                              user,                host,              port, canonical
        "sip:13898877785@192.168.5.10:5060,   13898877785,         192.168.5.10,      5060, "
                + "sip:13898877785@192.168.5.10:5060",
        "13898877785@192.168.5.10,            13898877785,         192.168.5.10,      0,    "
                + "sip:13898877785@192.168.5.10",
        "192.168.5.10:5060,                   -,                   192.168.5.10,      5060, sip:192.168.5.10:5060",
        "192.168.5.10,                        -,                   192.168.5.10,      0,    sip:192.168.5.10",
        "sip:alice@example.com,               alice,               example.com,       0,    sip:alice@example.com",
        "gw.example.org:5080,                 -,                   gw.example.org,    5080, sip:gw.example.org:5080",
        "sip:bob@[::1]:5062,                  bob,                 [::1],             5062, sip:bob@[::1]:5062",
        "[2001:db8::1],                       -,                   [2001:db8::1],     0,    sip:[2001:db8::1]",
        "SIP:1000@host,                       1000,                host,              0,    sip:1000@host",
        "%2B8613898877785@host,               %2B8613898877785,    host,              0,    "
                + "sip:%2B8613898877785@host",
        "+86-138-9887-7785@host:5060,         +86-138-9887-7785,   host,              5060, "
                + "sip:+86-138-9887-7785@host:5060",
        "sip:1.1.1.1:65535,                   -,                   1.1.1.1,           65535, sip:1.1.1.1:65535",
        "Bob@Host.Example.COM:1,              Bob,                 Host.Example.COM,  1,    "
                + "sip:Bob@Host.Example.COM:1",
    })
    void acceptsEveryFormOfTheSpecification(String text, String user, String host, int port, String canonical) {
        SipUri uri = SipUri.parse("to_uri", text);

        assertThat(uri.user()).isEqualTo(user);
        assertThat(uri.host()).isEqualTo(host);
        assertThat(uri.port()).isEqualTo(port);
        assertThat(uri.hasUser()).isEqualTo(user != null);
        assertThat(uri.hasPort()).isEqualTo(port != 0);
        assertThat(uri.toString()).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "sip:13898877785@192.168.5.10:5060", "13898877785@192.168.5.10", "192.168.5.10:5060", "192.168.5.10",
        "sip:bob@[::1]:5062", "%2B8613898877785@host", "sips:alice@pbx.example.com:5061;transport=tls",
    })
    void parsesItsOwnCanonicalFormBackToAnEqualUri(String text) {
        SipUri uri = SipUri.parse(text);

        assertThat(SipUri.parse(uri.toString())).isEqualTo(uri);
    }

    @Test
    void readsASipsUriAsSecureAndWritesItBackAsSips() {
        SipUri uri = SipUri.parse("SIPS:alice@pbx.example.com:5061");

        assertThat(uri.secure()).isTrue();
        assertThat(uri.user()).isEqualTo("alice");
        assertThat(uri.port()).isEqualTo(5061);
        assertThat(uri).hasToString("sips:alice@pbx.example.com:5061");
        assertThat(uri.withUser("bob").withPort(0).withParameters(Map.of("lr", "")))
                .hasToString("sips:bob@pbx.example.com;lr");
        assertThat(uri).isNotEqualTo(SipUri.parse("sip:alice@pbx.example.com:5061"));
        assertThat(SipUri.parse("alice@pbx.example.com").secure()).isFalse();
        assertThat(new SipUri("alice", "pbx.example.com", 0).secure()).isFalse();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
        "sips:", "sips:@host", "sipx:a@b",
        "tel:+123", "http://x", "a@", "@host", "a@b@c", "host:0", "host:65536", "host:99999",
        "host:abc", "host:", "300.1.1.1", "1.2.3", "a b@host", "user@host?x=y", "user@host;", "user@host;;a", "user@host;a=", "user@host;a b",
        "user@host;=1", "user@host;a=1;A=2", "sip:user:password@host", "user@[::1]x", "[::1",
        "[::g]", "-host", "host-.com", "a@host:5060:1", "sip:", "sip:@host",
    })
    void rejectsJunkNamingTheParameterAndTheValue(String text) {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
                () -> SipUri.parse("to_uri", text));

        assertThat(e).as("exception for %s", text).isNotNull();
        assertThat(e.parameter()).isEqualTo("to_uri");
        assertThat(e.getMessage()).contains("to_uri").contains(text);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "0.0.0.0", "255.255.255.255", "249.250.199.10", "[::]", "[1:2:3:4:5:6:7:8]", "[fe80::1:2]",
        "[2001:DB8::a:B]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:192.0.2.1]", "example.com.", "a", "x-1.y2",
    })
    void acceptsEveryKindOfHost(String host) {
        SipUri uri = SipUri.parse("to_uri", "u@" + host + ":5060");

        assertThat(uri.host()).isEqualTo(host);
        assertThat(new SipUri(null, host, 0).host()).isEqualTo(host);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "256.1.1.1", "1.1.1.256", "260.0.0.1", "1.2.3.4.5", "01.2.3.4", "1.2.3.4.", "[1:2:3:4:5:6:7]",
        "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7::8]", "[1::2::3]", "[12345::1]", "[:1]", "[1:]", "[:::1]",
        "[::1.2.3.256]", "[1.2.3.4]", "[1.2.3.4::1]", "[]", "[1:2:3::4:5::6:7:8]",
    })
    void rejectsAMalformedIpAddress(String host) {
        String text = "u@" + host;

        assertRejected(() -> SipUri.parse("to_uri", text), "to_uri", text);
        assertRejected(() -> new SipUri(null, host, 0), "host", host);
    }

    @Test
    void acceptsAHostNameOf253CharactersButNotLonger() {
        String label = "a".repeat(63);
        String longest = label + "." + label + "." + label + "." + "b".repeat(61);
        String tooLong = longest + "c";

        assertThat(longest).hasSize(253);
        assertThat(SipUri.parse("u@" + longest).host()).isEqualTo(longest);
        assertRejected(() -> SipUri.parse("to_uri", "u@" + tooLong), "to_uri", tooLong);
        assertRejected(() -> new SipUri("u", tooLong, 0), "host", tooLong);
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void rejectsAMissingUriSayingItIsMissing(String text) {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
                () -> SipUri.parse("to_uri", text));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).isEqualTo("to_uri");
        assertThat(e.getMessage()).contains("to_uri").contains("missing");
    }

    @Test
    void namesTheParameterUriWhenParsedWithoutAName() {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
                () -> SipUri.parse("a@b@c"));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).isEqualTo("uri");
        assertThat(e.getMessage()).contains("uri").contains("a@b@c");
    }

    @Test
    void namesTheParameterUriWhenAMissingUriIsParsedWithoutAName() {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
                () -> SipUri.parse(null));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).isEqualTo("uri");
    }

    @Test
    void comparesHostsCaseInsensitively() {
        SipUri lower = SipUri.parse("alice@example.com:5060");
        SipUri upper = SipUri.parse("alice@EXAMPLE.Com:5060");

        assertThat(upper).isEqualTo(lower);
        assertThat(upper.hashCode()).isEqualTo(lower.hashCode());
        assertThat(upper.host()).isEqualTo("EXAMPLE.Com");
    }

    @Test
    void comparesUsersCaseSensitively() {
        assertThat(SipUri.parse("Alice@example.com")).isNotEqualTo(SipUri.parse("alice@example.com"));
    }

    @Test
    void comparesPorts() {
        SipUri withPort = SipUri.parse("alice@example.com:5060");

        assertThat(withPort).isNotEqualTo(SipUri.parse("alice@example.com"));
        assertThat(withPort).isNotEqualTo(SipUri.parse("alice@example.com:5061"));
        assertThat(withPort).isEqualTo(new SipUri("alice", "example.com", 5060));
    }

    @Test
    void comparesTheUserWithNoUser() {
        assertThat(SipUri.parse("example.com")).isNotEqualTo(SipUri.parse("alice@example.com"));
        assertThat(SipUri.parse("alice@example.com")).isNotEqualTo(SipUri.parse("example.com"));
        assertThat(SipUri.parse("example.com")).isEqualTo(SipUri.of(null, "example.com"));
    }

    @Test
    // equals is called with a String on purpose: a URI never equals its text.
    @SuppressWarnings("EqualsIncompatibleType")
    void isNotEqualToAnotherType() {
        SipUri uri = SipUri.parse("alice@example.com");

        assertThat(uri.equals("sip:alice@example.com")).isFalse();
        assertThat(uri.equals(null)).isFalse();
    }

    @Test
    void withPortReturnsACopyWithTheNewPort() {
        SipUri uri = SipUri.parse("alice@example.com");

        SipUri moved = uri.withPort(5080);

        assertThat(moved).isEqualTo(new SipUri("alice", "example.com", 5080));
        assertThat(moved.hasPort()).isTrue();
        assertThat(uri.port()).isZero();
        assertThat(moved.withPort(0).hasPort()).isFalse();
        assertThat(moved.withPort(0).toString()).isEqualTo("sip:alice@example.com");
    }

    @Test
    void withUserReturnsACopyWithTheNewUser() {
        SipUri uri = SipUri.parse("alice@example.com:5060");

        SipUri bob = uri.withUser("bob");

        assertThat(bob.toString()).isEqualTo("sip:bob@example.com:5060");
        assertThat(uri.user()).isEqualTo("alice");
        assertThat(bob.withUser(null).hasUser()).isFalse();
        assertThat(bob.withUser(null).toString()).isEqualTo("sip:example.com:5060");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void withPortRejectsAPortOutOfRange(int port) {
        SipUri uri = SipUri.parse("alice@example.com");

        assertThatThrownBy(() -> uri.withPort(port))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("port"))
                .hasMessageContaining(String.valueOf(port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a@b", "a:b"})
    void withUserRejectsABadUser(String user) {
        SipUri uri = SipUri.parse("alice@example.com");

        assertThatThrownBy(() -> uri.withUser(user))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("user"))
                .hasMessageContaining("'" + user + "'");
    }

    @Test
    void ofBuildsAUriWithoutAPort() {
        SipUri uri = SipUri.of("1001", "192.0.2.10");

        assertThat(uri.user()).isEqualTo("1001");
        assertThat(uri.host()).isEqualTo("192.0.2.10");
        assertThat(uri.port()).isZero();
        assertThat(uri.hasPort()).isFalse();
        assertThat(uri.hasUser()).isTrue();
        assertThat(uri.toString()).isEqualTo("sip:1001@192.0.2.10");
    }

    @Test
    void ofWithoutAUserBuildsAUriWithoutAUser() {
        SipUri uri = SipUri.of(null, "gw.example.org");

        assertThat(uri.hasUser()).isFalse();
        assertThat(uri.toString()).isEqualTo("sip:gw.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "300.1.1.1", "1.2.3", "-host", "host-.com", "a b", "[::1", "[::g]", "[1::2::3]",
        "host:5060", "a@host"})
    void theConstructorRejectsABadHost(String host) {
        assertThatThrownBy(() -> new SipUri("alice", host, 5060))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("host"))
                .hasMessageContaining("'" + host + "'");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void theConstructorRejectsAPortOutOfRange(int port) {
        assertThatThrownBy(() -> new SipUri("alice", "example.com", port))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("port"))
                .hasMessageContaining(String.valueOf(port));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5060, 65535})
    void theConstructorAcceptsAPortInRangeOrNone(int port) {
        assertThat(new SipUri(null, "example.com", port).port()).isEqualTo(port);
    }

    @Test
    void theConstructorRejectsAnEmptyUser() {
        assertThatThrownBy(() -> new SipUri("", "example.com", 0))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("user"));
    }
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // text                                     | canonical                                    | transport | user
        "sip:1001@pbx.example.com;transport=tcp      | sip:1001@pbx.example.com;transport=tcp      | tcp       | ",
        "+8613898877785@gw.example.com:5080;user=phone | sip:+8613898877785@gw.example.com:5080;user=phone | | phone",
        "proxy.example.com;lr;Transport=UDP          | sip:proxy.example.com;lr;transport=UDP      | UDP       | ",
        "sip:a@[::1]:5062;user=phone;transport=tcp   | sip:a@[::1]:5062;user=phone;transport=tcp   | tcp       | phone",
        "sip:a@host;maddr=192.0.2.1;x-tag=%41b       | sip:a@host;maddr=192.0.2.1;x-tag=%41b       |           | ",
    })
    void acceptsAndKeepsUriParameters(String text, String canonical, String transport, String user) {
        SipUri uri = SipUri.parse("to_uri", text);

        assertThat(uri.toString()).isEqualTo(canonical);
        assertThat(uri.parameter("transport")).isEqualTo(transport);
        assertThat(uri.parameter("TRANSPORT")).isEqualTo(transport);
        assertThat(uri.parameter("user")).isEqualTo(user);
        assertThat(SipUri.parse(uri.toString())).isEqualTo(uri);
    }

    @Test
    void keepsParametersInOrderAndAParameterWithoutAValueAsEmpty() {
        SipUri uri = SipUri.parse("proxy.example.com:5060;lr;transport=tcp");

        assertThat(uri.parameters()).containsExactly(entry("lr", ""), entry("transport", "tcp"));
        assertThat(uri.parameter("lr")).isEmpty();
        assertThat(uri.parameter("maddr")).isNull();
        assertThat(uri.withPort(5070).parameters()).isEqualTo(uri.parameters());
        assertThat(uri.withUser("a").toString()).isEqualTo("sip:a@proxy.example.com:5060;lr;transport=tcp");
        assertThat(uri).isNotEqualTo(SipUri.parse("proxy.example.com:5060"));
        assertThatThrownBy(() -> uri.parameters().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withParametersChecksWhatItIsGiven() {
        SipUri uri = SipUri.parse("a@host");

        assertThat(uri.withParameters(Map.of("user", "phone")).toString()).isEqualTo("sip:a@host;user=phone");
        assertRejected(() -> uri.withParameters(Map.of("a b", "1")), "parameters", "a b");
        assertRejected(() -> uri.withParameters(Map.of("a", "x;y")), "parameters", "x;y");
    }

    @Test
    void refusesMoreParametersThanItsLimit() {
        String text = "a@host" + IntStream.rangeClosed(0, SipUri.MAX_PARAMETERS)
                .mapToObj(i -> ";p" + i).collect(Collectors.joining());

        assertRejected(() -> SipUri.parse("to_uri", text), "to_uri", "more than " + SipUri.MAX_PARAMETERS);
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {2_000, 10_000, 100_000, 1_000_000})
    void refusesAVeryLongUriQuicklyWithAShortMessage(int length) {
        String user = "1".repeat(length);

        for (String text : new String[] {user + "@host", "sip:a@host;x=" + user, "sip:a@" + user}) {
            InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
                    () -> SipUri.parse("to_uri", text));

            assertThat(e).as("refusal of a %d-character URI", text.length()).isNotNull();
            assertThat(e.parameter()).isEqualTo("to_uri");
            assertThat(e.getMessage()).contains("to_uri").contains(String.valueOf(text.length()))
                    .hasSizeLessThan(600);
        }
        assertRejected(() -> new SipUri(user, "host", 0), "user", String.valueOf(length));
        assertRejected(() -> new SipUri("a", user, 0), "host", String.valueOf(length));
    }

    @Test
    void acceptsTheLongestUserPartAndRefusesOneCharacterMore() {
        String longest = "1".repeat(SipUri.MAX_USER_LENGTH);

        assertThat(SipUri.parse(longest + "@host").user()).isEqualTo(longest);
        assertRejected(() -> SipUri.parse("from_uri", longest + "1@host"), "from_uri", "longer than");
    }

    /**
     * The old parser's regular expression recursed once per character of the user part, so a 2,000-character From
     * stopped the thread that parsed it with a StackOverflowError. Parsing now needs the same small stack for any
     * input: run every kind of long input on a thread with a deliberately small stack.
     */
    @Test
    void parsesAnyInputWithASmallStack() throws Exception {
        String[] inputs = {
            "1".repeat(SipUri.MAX_USER_LENGTH) + "@host;user=phone", "%41".repeat(80) + "@host",
            "a".repeat(SipUri.MAX_LENGTH), "a@" + "a.".repeat(120) + "b", "a@[" + "1:".repeat(400) + "1]",
            "a@host" + ";".repeat(1000), ("(" + ")").repeat(500) + "@h", "1".repeat(5_000) + "@host",
        };
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        Thread thread = new Thread(null, () -> {
            for (String input : inputs) {
                try {
                    outcomes.add(SipUri.parse(input));
                } catch (Throwable t) {
                    outcomes.add(t);
                }
            }
        }, "small-stack", 128 * 1024);
        thread.start();
        thread.join(10_000);

        assertThat(thread.isAlive()).isFalse();
        assertThat(outcomes).hasSize(inputs.length)
                .allSatisfy(o -> assertThat(o).isInstanceOfAny(SipUri.class, InvalidArgumentException.class));
        assertThat(outcomes.get(0)).isInstanceOf(SipUri.class);
        assertThat(outcomes.get(1)).isInstanceOf(SipUri.class);
    }
}
