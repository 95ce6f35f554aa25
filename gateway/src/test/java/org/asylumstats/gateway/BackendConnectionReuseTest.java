package org.asylumstats.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.asylumstats.testing.KeycloakResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The intermittent 503 (and its sibling, the 504): how the gateway's pooled connections to the
 * back-ends behave when a back-end answers before reading a whole upload, and when a back-end
 * closes a kept-alive connection as the gateway reuses it. Every request here is valid; none may
 * get a 5xx.
 */
@QuarkusTest
@TestProfile(BackendConnectionReuseTest.ShortTimeouts.class)
class BackendConnectionReuseTest {

    /** A stuck connection shows as a 504 within seconds instead of two minutes. */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("asylumstats.gateway.ingest-response-timeout", "3S",
                    "asylumstats.gateway.stats-response-timeout", "3S");
        }

        /** Not the well-behaved stubs the other tests use: these back-ends. */
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakResource.class), new TestResourceEntry(MisbehavingBackends.class));
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * Uploads refused on their head, their bodies unread, between uploads read whole, all on one
     * kept-alive caller connection. The gateway used to finish streaming each refused body into
     * the back-end connection and put it back in its pool; the next request on it then waited
     * behind bytes the back-end would never read, and got a 504 (or, with a back-end that closes
     * such a connection, a 503 while the body was still being written).
     */
    @Test
    void uploadsRefusedBeforeTheirBodyWasReadLeaveNoConnectionBehind() throws Exception {
        String analyst = GatewayRoutingTest.token("analyst");
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            boolean refused = i % 3 != 2;
            int size = 20_000 + (i * 7_919) % 180_000;
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                            + "/api/releases/1/datasets/population" + (refused ? "/early" : "")))
                    .header("Authorization", "Bearer " + analyst).header("Content-Type", "text/csv")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[size])).build(), HttpResponse.BodyHandlers.ofString());
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            if (refused) {
                assertEquals(422, answer.statusCode(), i + ": " + answer.body());
            } else {
                assertEquals(200, answer.statusCode(), i + ": " + answer.body());
                assertEquals("{\"bytes\":" + size + "}", answer.body(), "a whole upload reached the back-end after refused ones");
            }
        }
        assertEquals(Map.of(422, 27, 200, 13), statuses);
    }

    /**
     * The stats stand-in closes each connection when a second request comes on it, as a back-end
     * closing an idle connection just as the gateway reuses it. GraphQL bodies are kept whole at
     * the gateway, so such a request is sent again on a fresh connection instead of failing.
     */
    @Test
    void aGraphqlRequestWhoseReusedConnectionWasClosedIsSentAgain() throws Exception {
        int droppedBefore = MisbehavingBackends.DROPPED.get();
        String viewer = GatewayRoutingTest.token("viewer");
        for (int i = 0; i < 10; i++) {
            String query = "{\"query\":\"{ countries { code } }\",\"n\":" + i + "}";
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/graphql"))
                    .header("Authorization", "Bearer " + viewer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), i + ": " + answer.body());
            assertEquals("{\"bytes\":" + query.length() + "}", answer.body());
        }
        assertTrue(MisbehavingBackends.DROPPED.get() > droppedBefore,
                "the gateway reused pooled connections, and the stand-in dropped some under a request");
    }

    /** Every 5xx the gateway answers is logged with its cause and the request id; the access log says how long it took. */
    @Test
    void aGateway5xxIsLoggedWithItsCauseAndTheRequestIdAndTheAccessLogHasItsDuration() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                String message = record.getParameters() == null || record.getParameters().length == 0 ? record.getMessage()
                        : String.format(record.getMessage(), record.getParameters());
                lines.add((record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue() ? "ERROR " : "INFO ") + message);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            String requestId = "five-hundred-" + System.nanoTime();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                            + "/api/releases/1/silent"))
                    .header("Authorization", "Bearer " + GatewayRoutingTest.token("analyst")).header("X-Request-Id", requestId)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(504, answer.statusCode(), answer.body());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    lines.stream().anyMatch(line -> line.contains(requestId) && line.matches("(?s).* 504 \\d+ \\d+ ms.*")));
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("ERROR") && line.contains("request " + requestId)
                            && line.contains("504 backend-timeout") && line.toLowerCase().contains("timeout period")),
                    "the 504 is logged with its cause: " + lines);
        } finally {
            root.removeHandler(capture);
        }
    }
}
