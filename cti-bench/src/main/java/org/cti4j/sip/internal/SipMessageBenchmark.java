package org.cti4j.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SIP message work of one outbound call leg, without sockets or transactions: what cti-sip and JAIN-SIP do to
 * the messages of a call that is dialled, rings, is answered and hung up. Build and encode the INVITE with its SDP
 * offer; parse the 180 and the 200 OK with its SDP answer; build and encode the ACK, the BYE; parse the BYE's 200.
 * A duo callback has two such legs. The transaction and dialog layers, timers and the network come on top: the load
 * harness measures the whole.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SipMessageBenchmark {

    private static final MediaDescription OFFER = new MediaDescription("127.0.0.1", 30_000,
            List.of(PayloadType.PCMA, PayloadType.PCMU, PayloadType.TELEPHONE_EVENT), MediaDirection.SENDRECV);

    private MessageFactory messages;
    private HeaderFactory headers;
    private AddressFactory addresses;
    private String ringing;
    private String ok;
    private String byeOk;
    private long callNumber;

    /** Makes the factories and the far end's responses, as SIPp sends them. */
    @Setup
    public void setUp() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        messages = factory.createMessageFactory();
        headers = factory.createHeaderFactory();
        addresses = factory.createAddressFactory();
        String common = """
                Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-bench-1;received=127.0.0.1
                From: <sip:400@127.0.0.1>;tag=cti4j-1
                To: <sip:1001@127.0.0.1:5071>;tag=sipp-1
                Call-ID: bench-call-1@127.0.0.1
                """.replace("\n", "\r\n");
        ringing = "SIP/2.0 180 Ringing\r\n" + common + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:1001@127.0.0.1:5071;transport=UDP>\r\nContent-Length: 0\r\n\r\n";
        String sdp = new String(Sdp.write(new MediaDescription("127.0.0.1", 6000, List.of(PayloadType.PCMA),
                MediaDirection.SENDRECV), 42, 1), StandardCharsets.US_ASCII);
        ok = "SIP/2.0 200 OK\r\n" + common + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:1001@127.0.0.1:5071;transport=UDP>\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        byeOk = "SIP/2.0 200 OK\r\n" + common + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
    }

    /** One leg's messages: INVITE out, 180 and 200 in, ACK and BYE out, the BYE's 200 in. */
    @Benchmark
    public void oneCallLeg(Blackhole hole) throws Exception {
        String callId = "bench-" + ++callNumber + "@127.0.0.1";
        Request invite = request(Request.INVITE, callId, 1);
        ContentTypeHeader sdpType = headers.createContentTypeHeader("application", "sdp");
        invite.setContent(Sdp.write(OFFER, callNumber, 1), sdpType);
        hole.consume(invite.toString());

        hole.consume(messages.createResponse(ringing).getStatusCode());
        Response answer = messages.createResponse(ok);
        hole.consume(Sdp.parse(answer.getRawContent()));

        hole.consume(request(Request.ACK, callId, 1).toString());
        hole.consume(request(Request.BYE, callId, 2).toString());
        hole.consume(messages.createResponse(byeOk).getStatusCode());
    }

    private Request request(String method, String callId, long sequence) throws Exception {
        SipURI target = addresses.createSipURI("1001", "127.0.0.1");
        target.setPort(5071);
        SipURI from = addresses.createSipURI("400", "127.0.0.1");
        FromHeader fromHeader = headers.createFromHeader(addresses.createAddress(from), "cti4j-1");
        ToHeader toHeader = headers.createToHeader(addresses.createAddress(target), null);
        CallIdHeader callIdHeader = headers.createCallIdHeader(callId);
        CSeqHeader cseq = headers.createCSeqHeader(sequence, method);
        ViaHeader via = headers.createViaHeader("127.0.0.1", 5060, "udp", "z9hG4bK-bench-" + callNumber);
        MaxForwardsHeader maxForwards = headers.createMaxForwardsHeader(70);
        return messages.createRequest(target, method, callIdHeader, cseq, fromHeader, toHeader, List.of(via),
                maxForwards);
    }
}
