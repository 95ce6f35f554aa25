package org.asylumstats.system;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.asylumstats.testing.Tokens;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracing as a cluster sees it: the three services export their spans over OTLP (here to {@link OtlpReceiver},
 * configured by environment as the Kubernetes overlays do), and one request through the gateway is one trace, the
 * caller's: the gateway's server span continues the caller's traceparent, its client span (the proxied request) is
 * a child of it, the back-end's server span a child of that, and the back-end's JDBC spans lie below; each service's
 * log lines of the request carry the trace id.
 */
@Order(4)
class TracingTest {

    private static OtlpReceiver receiver;
    private static RunningSystem system;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        system = new RunningSystem(Map.of(
                // export on: every trace sampled, sent over OTLP/HTTP to the receiver, in batches every 200 ms
                "QUARKUS_OTEL_TRACES_SAMPLER_ARG", "1.0",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.2S"));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Test
    void aGraphQlQuestionIsOneTraceThroughGatewayStatsServiceAndItsDatabase() {
        String traceId = hex(16);
        String callerSpan = hex(8);
        askFigures(traceId, callerSpan, "REFUGEES");
        assertOneTrace(traceId, callerSpan, "stats-service");
    }

    @Test
    void anApiRequestIsOneTraceThroughGatewayIngestServiceAndItsDatabase() {
        String traceId = hex(16);
        String callerSpan = hex(8);
        listReleases(traceId, callerSpan);
        assertOneTrace(traceId, callerSpan, "ingest-service");
    }

    @Test
    void aUserActionOfTwoRequestsIsOneTraceInAllThreeServices() {
        // the gateway sends each request to one back-end; an action that lists the drafts and then asks a
        // question is one trace through all three services when the caller propagates its trace
        String traceId = hex(16);
        String listSpan = hex(8);
        String questionSpan = hex(8);
        listReleases(traceId, listSpan);
        askFigures(traceId, questionSpan, "ASYLUM_SEEKERS");
        assertOneTrace(traceId, listSpan, "ingest-service");
        assertOneTrace(traceId, questionSpan, "stats-service");
        assertEquals(Set.of("gateway", "ingest-service", "stats-service"),
                receiver.spans(traceId).stream().map(OtlpReceiver.Span::service).collect(Collectors.toSet()));
    }

    @Test
    void statementsOutsideRequestsAndBehindProbesLeaveNoTrace() {
        // Flyway's statements at start and the health checks' behind every probe would be traces of their own
        for (int probe = 0; probe < 5; probe++) {
            system.awaitReady("ingest-service");
            system.awaitReady("stats-service");
        }
        String traceId = hex(16);
        String callerSpan = hex(8);
        askFigures(traceId, callerSpan, "STATELESS");
        assertOneTrace(traceId, callerSpan, "stats-service");  // exported after the probes' spans would have been
        List<OtlpReceiver.Span> all = receiver.all();
        Set<String> requestTraces = all.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER)
                .map(OtlpReceiver.Span::traceId).collect(Collectors.toSet());
        List<OtlpReceiver.Span> outsideRequests = all.stream()
                .filter(s -> !"gateway".equals(s.service()) && !requestTraces.contains(s.traceId())).toList();
        assertEquals(List.of(), outsideRequests);
    }

    private static void listReleases(String traceId, String callerSpan) {
        given().baseUri(system.gateway()).auth().oauth2(Tokens.of(system.tokenEndpoint(), "analyst"))
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .get("/api/releases").then().statusCode(200);
    }

    /** A question no other test asks (the measure differs), so it is computed, with JDBC spans, not cached. */
    private static void askFigures(String traceId, String callerSpan, String measure) {
        given().baseUri(system.gateway()).auth().oauth2(Tokens.of(system.tokenEndpoint(), "viewer"))
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType("application/json")
                .body(Map.of("query", "{ traced: figures(measure: " + measure
                        + ", filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}) { total } }"))
                .post("/graphql").then().statusCode(200);
    }

    /** The spans of the request arrive (batched) and form one tree under the caller's span; the logs name the trace. */
    private static void assertOneTrace(String traceId, String callerSpan, String backend) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<OtlpReceiver.Span> spans = receiver.spans(traceId);
            return has(spans, s -> "gateway".equals(s.service()) && s.kind() == SpanKind.SPAN_KIND_SERVER && callerSpan.equals(s.parentSpanId()))
                    && has(spans, s -> "gateway".equals(s.service()) && s.kind() == SpanKind.SPAN_KIND_CLIENT)
                    && has(spans, s -> backend.equals(s.service()) && s.kind() == SpanKind.SPAN_KIND_SERVER)
                    && has(spans, s -> backend.equals(s.service()) && jdbc(s));
        });
        List<OtlpReceiver.Span> spans = receiver.spans(traceId);
        String trace = String.join("\n", spans.stream().map(Object::toString).toList());
        OtlpReceiver.Span gatewayServer = only(spans, s -> "gateway".equals(s.service()) && s.kind() == SpanKind.SPAN_KIND_SERVER
                && callerSpan.equals(s.parentSpanId()), trace);
        OtlpReceiver.Span backendServer = only(spans, s -> backend.equals(s.service()) && s.kind() == SpanKind.SPAN_KIND_SERVER, trace);
        // the back-end's parent: the gateway's proxied request (other client spans, e.g. a key fetch from Keycloak, may be there too)
        OtlpReceiver.Span gatewayClient = only(spans, s -> s.spanId().equals(backendServer.parentSpanId()), trace);
        assertEquals(callerSpan, gatewayServer.parentSpanId(), "the gateway continues the caller's span\n" + trace);
        assertEquals("gateway", gatewayClient.service(), "the back-end continues the gateway's span\n" + trace);
        assertEquals(SpanKind.SPAN_KIND_CLIENT, gatewayClient.kind(), "the back-end continues the gateway's client span\n" + trace);
        assertEquals(gatewayServer.spanId(), gatewayClient.parentSpanId(), "the proxied request is a child of the gateway's server span\n" + trace);
        for (OtlpReceiver.Span statement : spans.stream().filter(s -> backend.equals(s.service()) && jdbc(s)).toList()) {
            assertTrue(descendsFrom(statement, backendServer, spans), "a JDBC span under the back-end's request\n" + trace);
        }
        assertEquals(List.of(), receiver.refused());

        // each service's console lines of this request carry its trace id (the JSON format's MDC)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logged("gateway", traceId) && logged(backend, traceId));
    }

    private static boolean jdbc(OtlpReceiver.Span span) {
        return span.kind() == SpanKind.SPAN_KIND_CLIENT
                && ("postgresql".equals(span.attributes().get("db.system")) || "postgresql".equals(span.attributes().get("db.system.name")));
    }

    private static boolean descendsFrom(OtlpReceiver.Span span, OtlpReceiver.Span ancestor, List<OtlpReceiver.Span> spans) {
        String parent = span.parentSpanId();
        for (int hops = 0; hops < spans.size() && !parent.isEmpty(); hops++) {
            if (parent.equals(ancestor.spanId())) {
                return true;
            }
            String current = parent;
            parent = spans.stream().filter(s -> s.spanId().equals(current)).map(OtlpReceiver.Span::parentSpanId).findFirst().orElse("");
        }
        return false;
    }

    private static boolean has(List<OtlpReceiver.Span> spans, Predicate<OtlpReceiver.Span> which) {
        return spans.stream().anyMatch(which);
    }

    private static OtlpReceiver.Span only(List<OtlpReceiver.Span> spans, Predicate<OtlpReceiver.Span> which, String trace) {
        List<OtlpReceiver.Span> found = spans.stream().filter(which).toList();
        assertEquals(1, found.size(), "exactly one such span\n" + trace);
        return found.get(0);
    }

    private static boolean logged(String service, String traceId) {
        try {
            return system.log(service).lines().anyMatch(line -> line.contains("\"traceId\":\"" + traceId + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
