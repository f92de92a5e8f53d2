package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.cti4j.api.CtiEngine;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor example against three baresip phones, each saying its own tone: listening only, the supervisor hears
 * the customer and the agent and nobody hears it; coaching, the agent hears it and the customer still does not.
 * Each phase is found in a phone's recording from the moment that phone first heard the conference.
 */
class SupervisorExampleIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double CUSTOMER = 600;
    private static final double AGENT = 1000;
    private static final double SUPERVISOR = 1400;
    /** How far from a phase's edges a check keeps, for the jitter of packets and of the application's clock. */
    private static final double MARGIN = 0.6;

    @Test
    void aListeningSupervisorIsHeardByNobodyAndACoachByTheAgentOnly(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        try (Baresip customer = new Baresip("customer", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("customer.wav"), CUSTOMER, 60));
                Baresip agent = new Baresip("agent", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("agent.wav"), AGENT, 60));
                Baresip supervisor = new Baresip("supervisor", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("supervisor.wav"), SUPERVISOR, 60));
                CtiEngine engine = CtiEngine.builder().nodeId("0.0.4").property("sip.port", "0")
                        .property("media.rtp-ports", "24000-24999").build()) {
            SupervisorExample.Timeline timeline = SupervisorExample.run(engine, customer.uri("customer"),
                    agent.uri("agent"), supervisor.uri("supervisor"), 4, 4);

            ToneCheck agentHeard = ToneCheck.of(agent.heard(WAIT));
            double connected = agentHeard.onset(CUSTOMER);
            assertThat(connected).as("the agent hears the customer").isNotNegative();
            double listening = connected + seconds(timeline.connected(), timeline.listening());
            double coaching = connected + seconds(timeline.connected(), timeline.coaching());
            double ended = connected + seconds(timeline.connected(), timeline.ended());
            assertThat(agentHeard.between(connected + MARGIN, ended - MARGIN).presence(CUSTOMER))
                    .as("the agent hears the customer throughout").isGreaterThan(0.8);
            assertThat(agentHeard.between(listening + MARGIN, coaching - MARGIN).presence(SUPERVISOR))
                    .as("the agent does not hear the supervisor listening").isLessThan(0.05);
            assertThat(agentHeard.between(coaching + MARGIN, ended - MARGIN).presence(SUPERVISOR))
                    .as("the agent hears the coach").isGreaterThan(0.8);

            ToneCheck customerHeard = ToneCheck.of(customer.heard(WAIT));
            double customerConnected = customerHeard.onset(AGENT);
            assertThat(customerConnected).as("the customer hears the agent").isNotNegative();
            assertThat(customerHeard.between(customerConnected + MARGIN,
                    customerConnected + seconds(timeline.connected(), timeline.ended()) - MARGIN).presence(AGENT))
                    .as("the customer hears the agent throughout").isGreaterThan(0.8);
            assertThat(customerHeard.presence(SUPERVISOR)).as("the customer never hears the supervisor")
                    .isLessThan(0.05);

            ToneCheck supervisorHeard = ToneCheck.of(supervisor.heard(WAIT));
            double entered = supervisorHeard.onset(CUSTOMER);
            assertThat(entered).as("the supervisor hears the customer").isNotNegative();
            ToneCheck supervised = supervisorHeard.between(entered + MARGIN,
                    entered + seconds(timeline.listening(), timeline.ended()) - MARGIN);
            assertThat(supervised.presence(CUSTOMER)).as("the supervisor hears the customer").isGreaterThan(0.8);
            assertThat(supervised.presence(AGENT)).as("the supervisor hears the agent").isGreaterThan(0.8);
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
