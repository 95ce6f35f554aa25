package org.asylumstats.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Keycloak tokens against the gateway's routes, with stub back-ends behind it. */
@QuarkusTest
@QuarkusTestResource(KeycloakResource.class)
@QuarkusTestResource(StubBackends.class)
class GatewayRoutingTest {

    static String token(String user) {
        String keycloak = Keycloak.shared().baseUrl();
        return Tokens.of(keycloak + "/realms/asylum-stats/protocol/openid-connect/token", user);
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(token(user));
    }

    @Test
    void apiNeedsAWorkingRoleAndForwardsTheToken() {
        given().get("/api/releases").then().statusCode(401);
        as("viewer").get("/api/releases").then().statusCode(403);
        as("analyst").urlEncodingEnabled(false).header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .get("/api/releases?state=DRAFT&x=%20y").then().statusCode(200)
                .header("X-Request-Id", notNullValue())
                .body("backend", equalTo("ingest")).body("path", equalTo("/api/releases")).body("query", equalTo("state=DRAFT&x=%20y"));
        assertEquals("Bearer " + token("analyst"), StubBackends.LAST_HEADERS.get("authorization"));
        assertNotNull(StubBackends.LAST_HEADERS.get("x-request-id"));
        assertNotNull(StubBackends.LAST_HEADERS.get("x-forwarded-for"));
        // the caller's trace goes on (its trace id), continued by the gateway's own span: one traceparent, a new parent id
        String traceparent = StubBackends.LAST_HEADERS.get("traceparent");
        assertNotNull(traceparent);
        assertTrue(traceparent.matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-0[01]"), traceparent);
        org.junit.jupiter.api.Assertions.assertNotEquals("b7ad6b7169203331", traceparent.split("-")[2], "the gateway's span is the back-end's parent");
        // without one, the gateway starts the trace; export is off by default: sampled out, yet propagated
        as("analyst").get("/api/releases").then().statusCode(200);
        String started = StubBackends.LAST_HEADERS.get("traceparent");
        assertNotNull(started);
        assertTrue(started.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"), started);
        as("reviewer").get("/api/teapot").then().statusCode(418);
        as("analyst").header("X-Request-Id", "trace-me-42").get("/api/releases").then().header("X-Request-Id", equalTo("trace-me-42"));
        assertEquals("trace-me-42", StubBackends.LAST_HEADERS.get("x-request-id"));
        String oversized = "x".repeat(200);
        as("analyst").header("X-Request-Id", oversized).get("/api/releases").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertNotEquals(oversized, StubBackends.LAST_HEADERS.get("x-request-id"), "an oversized id is replaced");
        assertEquals(36, StubBackends.LAST_HEADERS.get("x-request-id").length());
    }

    @Test
    void graphqlIsReadableAnonymouslyButForgedTokensAreRefused() {
        given().contentType("application/json").body("{\"query\":\"{ releases { id } }\"}").post("/graphql")
                .then().statusCode(200).body("backend", equalTo("stats"))
                .header("X-Content-Type-Options", equalTo("nosniff"));
        String good = token("viewer");
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA";
        given().auth().oauth2(tampered).post("/graphql").then().statusCode(401);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
                + "." + parts[1] + ".";
        given().auth().oauth2(none).get("/api/releases").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/api/releases").then().statusCode(401);
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    /**
     * Proof of streaming: the client holds back the second half of a 200 MB body until the back-end
     * has received bytes of the first half. A gateway that buffered the body would never forward
     * them, and the client would give up.
     */
    @Test
    void clientsThatTryHttp2AreServedOverHttp1() throws Exception {
        // Java's client asks for an h2c upgrade: proxied to an HTTP/1.1 back-end, an HTTP/2 request
        // without Content-Length used to fail inside the proxy
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
        for (String method : new String[]{"GET", "POST"}) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/api/releases"))
                    .header("Authorization", "Bearer " + token("analyst"))
                    .method(method, method.equals("GET") ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                    .build();
            java.net.http.HttpResponse<String> response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), method);
            assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, response.version(), method);
            assertTrue(response.body().contains("\"bytes\":" + (method.equals("GET") ? 0 : 7)), response.body());
        }
    }

    @Test
    void a200MegabyteUploadStreamsThroughWithoutBeingBuffered() throws Exception {
        long size = 200L * 1024 * 1024;
        StubBackends.RECEIVED.set(0);
        java.io.InputStream generated = new java.io.InputStream() {
            long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                if (left <= size / 2) {
                    awaitBackendReceiving();
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/releases/1/datasets/population"))
                .header("Authorization", "Bearer " + token("analyst")).header("Content-Type", "application/gzip")
                .PUT(java.net.http.HttpRequest.BodyPublishers.fromPublisher(
                        java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> generated), size)).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        org.junit.jupiter.api.Assertions.assertTrue(response.body().contains("\"bytes\":" + size), response.body());
    }

    private static void awaitBackendReceiving() {
        // a gateway that buffered uploads would never forward a byte before the whole body was in
        org.awaitility.Awaitility.await("half the body sent and bytes reached the back-end")
                .atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(10))
                .until(() -> StubBackends.RECEIVED.get() > 0);
    }
}
