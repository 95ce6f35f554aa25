package org.asylumstats.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.KeycloakAdmin;
import org.asylumstats.testing.KeycloakResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens the gateway must refuse, back-ends that fail, callers that send too much, too slowly, or
 * ask for a tunnel. Only {@link #theRateLimitAnswers429ThenLetsTheCallerBackIn} spends the
 * anonymous budget; every other test calls with a token, whose budget is large.
 */
@QuarkusTest
@QuarkusTestResource(KeycloakResource.class)
@QuarkusTestResource(StubBackends.class)
@TestProfile(GatewayProtectionTest.TightLimits.class)
class GatewayProtectionTest {

    /** Small budgets and short timeouts, so that each protection shows within seconds. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("asylumstats.gateway.rate-limit.anonymous-per-minute", "120"),
                    Map.entry("asylumstats.gateway.stats-response-timeout", "1S"),
                    Map.entry("asylumstats.gateway.ingest-response-timeout", "1S"),
                    Map.entry("asylumstats.gateway.circuit-breaker.minimum-calls", "2"),
                    Map.entry("asylumstats.gateway.circuit-breaker.open-for", "1S"),
                    Map.entry("asylumstats.gateway.graphql-max-body", "1K"),
                    Map.entry("asylumstats.gateway.api-max-body", "64K"),
                    Map.entry("asylumstats.gateway.api-json-max-body", "8K"),
                    Map.entry("asylumstats.gateway.graphql-body-timeout", "3S"),
                    Map.entry("asylumstats.gateway.slow-clients.head-timeout", "2S"),
                    Map.entry("asylumstats.gateway.slow-clients.body-idle-timeout", "2S"));
        }
    }

    private static String keycloak() {
        return Keycloak.shared().baseUrl();
    }

    /** The management interface's root (/q), wherever the configuration puts it. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementRoot;

    /** A health or metrics path under the management root, e.g. {@code /health/ready}. */
    String management(String path) {
        return managementRoot.toString().replaceAll("/+$", "") + path;
    }

    @Test
    void healthAndMetricsAreOnTheManagementInterfaceOnly() {
        given().get(management("/health/ready")).then().statusCode(200);
        given().get(management("/metrics")).then().statusCode(200).body(containsString("http_server_requests"));
        for (String path : List.of("/q/health", "/q/health/ready", "/q/metrics", "/q/dev-ui")) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void tokensFromElsewhereOrForOthersOrExpiredAreRefused() {
        KeycloakAdmin admin = new KeycloakAdmin(keycloak());
        admin.createRealmWithUser("other-realm", "other-cli", "mallory");
        String otherRealm = admin.token("other-realm", "other-cli", "mallory");
        admin.createClient("asylum-stats", "no-audience-cli", null, false);
        admin.createUser("asylum-stats", "outsider");
        String otherAudience = admin.token("asylum-stats", "no-audience-cli", "outsider");
        // 5 s: long enough for the positive control on a loaded machine, short enough to watch it expire
        admin.createClient("asylum-stats", "short-lived-cli", 5, true);
        String expiring = admin.token("asylum-stats", "short-lived-cli", "outsider");
        // positive control: the short-lived token is a good one while it lasts
        given().auth().oauth2(expiring).contentType("application/json").body("{\"query\":\"{ releases { id } }\"}")
                .post("/graphql").then().statusCode(200);
        for (String token : new String[]{otherRealm, otherAudience}) {
            given().auth().oauth2(token).get("/api/releases").then().statusCode(401);
            given().auth().oauth2(token).contentType("application/json").body("{\"query\":\"{ releases { id } }\"}")
                    .post("/graphql").then().statusCode(401);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                given().auth().oauth2(expiring).contentType("application/json").body("{\"query\":\"{ releases { id } }\"}")
                        .post("/graphql").statusCode() == 401);
    }

    @Test
    void aDownBackendAnswers503QuicklyWithoutSayingWhereItIsAndTheGatewayStaysReady() {
        // with a token: its budget is large, the anonymous one belongs to the rate-limit test
        String viewer = GatewayRoutingTest.token("viewer");
        StubBackends.stopStats();
        try {
            for (int i = 0; i < 4; i++) {
                given().auth().oauth2(viewer).contentType("application/json").body("{}").post("/graphql").then()
                        .statusCode(503).contentType("application/problem+json")
                        .header("Cache-Control", "no-store")
                        .body("type", equalTo("https://asylum-stats.org/problems/backend-unavailable"))
                        .body("detail", not(containsString("localhost")))
                        .body("detail", not(containsString("Exception")))
                        .body("detail", not(containsString(URI.create(ConfigProvider.getConfig()
                                .getValue("asylumstats.gateway.stats-url", String.class)).getPort() + "")));
            }
            // a stats-service outage must not take the gateway (and /api, and the dashboard) out of service
            given().get(management("/health/ready")).then().statusCode(200);
            given().auth().oauth2(GatewayRoutingTest.token("analyst")).get("/api/releases").then().statusCode(200);
            given().get(management("/health/group/backends")).then().statusCode(503)
                    .body("checks[0].data.stats-service-breaker", equalTo("OPEN"));
        } finally {
            StubBackends.startStats();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() ->
                given().auth().oauth2(viewer).contentType("application/json").body("{}").post("/graphql").statusCode() == 200);
        given().get(management("/health/group/backends")).then().statusCode(200);
    }

    @Test
    void aSilentBackendTimesOut() {
        // the stand-in answers /slow after 3 s; the gateway's own answer, a 504, shows it did not wait for it
        given().auth().oauth2(GatewayRoutingTest.token("viewer")).get("/graphql/slow").then().statusCode(504)
                .contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/backend-timeout"));
    }

    @Test
    void theRateLimitAnswers429ThenLetsTheCallerBackIn() {
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 10; i++) {
            var response = given().header("X-Request-Id", "rl-" + i).get("/graphql/ping");
            if (response.statusCode() == 429) {
                limited++;
                retryAfter = response.header("Retry-After");
                assertEquals("application/problem+json", response.contentType());
                assertEquals("no-store", response.header("Cache-Control"));
            }
        }
        assertTrue(limited > 0, "anonymous callers get 429 past their budget");
        assertTrue(retryAfter != null && Integer.parseInt(retryAfter) >= 1);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().get("/graphql/ping").statusCode() == 200);
    }

    @Test
    void oversizedBodiesAreRefusedPerRouteWhateverTheyDeclare() throws Exception {
        String viewer = GatewayRoutingTest.token("viewer");
        String analyst = GatewayRoutingTest.token("analyst");
        // declared too large: refused before reading
        given().auth().oauth2(viewer).contentType("application/json").body("x".repeat(5_000)).post("/graphql").then()
                .statusCode(413).header("Cache-Control", "no-store")
                .body("type", equalTo("https://asylum-stats.org/problems/body-too-large"));
        // positive control: a chunked body within the limit goes through whole
        HttpResponse<String> small = chunked("/graphql", viewer, 500);
        assertEquals(200, small.statusCode(), small.body());
        assertTrue(small.body().contains("\"bytes\":500"), small.body());
        // chunked, no Content-Length: counted as it streams, on both routes
        HttpResponse<String> graphql = chunked("/graphql", viewer, 200_000);
        assertEquals(413, graphql.statusCode(), graphql.body());
        assertTrue(graphql.body().contains("https://asylum-stats.org/problems/body-too-large"), graphql.body());
        HttpResponse<String> upload = chunked("/api/releases/1/datasets/population", analyst, 200_000);
        assertEquals(413, upload.statusCode(), upload.body());
        assertTrue(upload.body().contains("https://asylum-stats.org/problems/body-too-large"), upload.body());
        assertEquals("no-store", upload.headers().firstValue("Cache-Control").orElse(""));
        // /api bodies other than uploads are small JSON documents: their own, smaller limit
        HttpResponse<String> release = chunked("/api/releases", analyst, 20_000);
        assertEquals(413, release.statusCode(), release.body());
        HttpResponse<String> uploadWithin = chunked("/api/releases/1/datasets/population", analyst, 20_000);
        assertEquals(200, uploadWithin.statusCode(), uploadWithin.body());
        assertTrue(uploadWithin.body().contains("\"bytes\":20000"), uploadWithin.body());
    }

    /** A Content-Length smaller than the body: only what it declares is forwarded; the rest is no request. */
    @Test
    void aContentLengthThatUnderstatesTheBodyForwardsOnlyWhatItDeclares() throws Exception {
        String head = "POST /graphql HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + GatewayRoutingTest.token("viewer")
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
        String answer = exchange(head, "y".repeat(5_000), Duration.ofSeconds(10));
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.contains("\"bytes\":100}"), "the back-end got the declared 100 bytes: " + answer);
        assertEquals(answer.indexOf("HTTP/1.1 200"), answer.lastIndexOf("HTTP/1.1 200"), "the surplus was no request of its own: " + answer);
    }

    /** A Content-Length larger than the body: the gateway does not wait forever for the missing bytes. */
    @Test
    void aContentLengthThatOverstatesTheBodyEndsIn408() throws Exception {
        String head = "POST /graphql HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + GatewayRoutingTest.token("viewer")
                + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n";
        String answer = exchange(head, "{\"query\":", Duration.ofSeconds(20));
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("https://asylum-stats.org/problems/request-timeout"), answer);
    }

    @Test
    void aBodyTrickledSlowerThanTheMinimumRateIsCutOff() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/releases/1/datasets/population HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + GatewayRoutingTest.token("analyst") + "\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int sent = 0;
            // one byte every 300 ms: never silent for the 2 s idle timeout, but far below 1 KiB/s
            while (sent < 1_000 && socket.getInputStream().available() == 0) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                sent++;
                Thread.sleep(300);
            }
            String answer = readAll(socket.getInputStream());
            assertTrue(sent < 1_000, "the gateway answered before the trickled body was complete");
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("https://asylum-stats.org/problems/request-timeout"), answer);
        }
    }

    @Test
    void aRequestHeadTrickledLineByLineIsCutOff() throws Exception {
        String token = GatewayRoutingTest.token("viewer");
        // positive control: the same head sent at once is answered
        String whole = exchange("GET /graphql/ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n\r\n",
                "", Duration.ofSeconds(10));
        assertTrue(whole.startsWith("HTTP/1.1 200"), whole);
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /graphql/ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            int lines = 0;
            // one header line every 500 ms: the connection is never idle, but the head is never done
            for (; lines < 60 && !closed; lines++) {
                try {
                    out.write(("X-Slow-" + lines + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(500);
                    socket.setSoTimeout(1);
                    closed = socket.getInputStream().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing to read yet
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "the connection was closed before the head was complete");
            assertTrue(lines < 60, "cut off after " + lines + " lines");
        }
    }

    @Test
    void webSocketUpgradesAreRefusedOnEveryProxiedRoute() throws Exception {
        String[][] routes = {{"/graphql", GatewayRoutingTest.token("viewer")}, {"/api/releases", GatewayRoutingTest.token("analyst")}};
        for (String[] route : routes) {
            String answer = exchange("GET " + route[0] + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + route[1]
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n", "", Duration.ofSeconds(10));
            assertTrue(answer.startsWith("HTTP/1.1 400"), route[0] + ": " + answer);
            assertTrue(answer.contains("https://asylum-stats.org/problems/websocket-not-supported"), answer);
            assertFalse(answer.contains("Sec-WebSocket-Accept"), answer);
        }
    }

    @Test
    void apiAnswersAreNeverCached() {
        Response answer = given().auth().oauth2(GatewayRoutingTest.token("analyst")).get("/api/releases");
        assertEquals(200, answer.statusCode());
        assertEquals("no-store", answer.header("Cache-Control"));
    }

    @Test
    void corsAllowsOnlyConfiguredOrigins() {
        given().header("Origin", "http://localhost:8080").header("Access-Control-Request-Method", "POST")
                .options("/graphql").then().header("Access-Control-Allow-Origin", equalTo("http://localhost:8080"));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/graphql").then().header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    private static HttpResponse<String> chunked(String path, String token, int size) throws Exception {
        byte[] body = "a".repeat(size).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(path.startsWith("/api") ? "PUT" : "POST",
                        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a raw request and reads what comes back until the gateway closes the connection or goes quiet. */
    private static String exchange(String head, String body, Duration wait) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout((int) wait.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException | java.net.SocketException quietOrReset) {
            // what arrived is the answer
        }
        return answer.toString();
    }
}
