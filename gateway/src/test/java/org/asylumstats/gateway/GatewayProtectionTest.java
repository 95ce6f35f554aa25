package org.asylumstats.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.KeycloakAdmin;
import org.asylumstats.testing.KeycloakResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens the gateway must refuse, back-ends that fail, callers that send too much. */
@QuarkusTest
@QuarkusTestResource(KeycloakResource.class)
@QuarkusTestResource(StubBackends.class)
@TestProfile(GatewayProtectionTest.TightLimits.class)
class GatewayProtectionTest {

    /** Small budgets and short timeouts, so that each protection shows within seconds. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "asylumstats.gateway.rate-limit.anonymous-per-minute", "120",
                    "asylumstats.gateway.stats-response-timeout", "1S",
                    "asylumstats.gateway.ingest-response-timeout", "1S",
                    "asylumstats.gateway.circuit-breaker.minimum-calls", "2",
                    "asylumstats.gateway.circuit-breaker.open-for", "1S",
                    "asylumstats.gateway.graphql-max-body", "1K");
        }
    }

    private static String keycloak() {
        return Keycloak.shared().baseUrl();
    }

    @Test
    void tokensFromElsewhereOrForOthersOrExpiredAreRefused() throws InterruptedException {
        KeycloakAdmin admin = new KeycloakAdmin(keycloak());
        admin.createRealmWithUser("other-realm", "other-cli", "mallory");
        String otherRealm = admin.token("other-realm", "other-cli", "mallory");
        admin.createClient("asylum-stats", "no-audience-cli", null, false);
        admin.createUser("asylum-stats", "outsider");
        String otherAudience = admin.token("asylum-stats", "no-audience-cli", "outsider");
        admin.createClient("asylum-stats", "short-lived-cli", 1, true);
        String expiring = admin.token("asylum-stats", "short-lived-cli", "outsider");
        for (String token : new String[]{otherRealm, otherAudience}) {
            given().auth().oauth2(token).get("/api/releases").then().statusCode(401);
            given().auth().oauth2(token).contentType("application/json").body("{\"query\":\"{ releases { id } }\"}")
                    .post("/graphql").then().statusCode(401);
        }
        Thread.sleep(2_500);
        given().auth().oauth2(expiring).contentType("application/json").body("{\"query\":\"{ releases { id } }\"}")
                .post("/graphql").then().statusCode(401);
    }

    @Test
    void aDownBackendAnswers503QuicklyAndTrafficResumesWhenItIsBack() throws InterruptedException {
        // with a token: its budget is large, the anonymous one is spent by the other tests
        String viewer = GatewayRoutingTest.token("viewer");
        StubBackends.stopStats();
        try {
            for (int i = 0; i < 4; i++) {
                given().auth().oauth2(viewer).contentType("application/json").body("{}").post("/graphql").then()
                        .statusCode(503).contentType("application/problem+json")
                        .body("type", equalTo("https://asylum-stats.org/problems/backend-unavailable"))
                        .time(lessThan(2_500L));
            }
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            StubBackends.startStats();
        }
        Thread.sleep(1_200);
        int status = 0;
        for (int i = 0; i < 10 && status != 200; i++) {
            status = given().auth().oauth2(viewer).contentType("application/json").body("{}").post("/graphql").statusCode();
            Thread.sleep(300);
        }
        assertEquals(200, status, "traffic flows again once the back-end is back");
    }

    @Test
    void aSilentBackendTimesOut() {
        long start = System.currentTimeMillis();
        given().get("/graphql/slow").then().statusCode(504).contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/backend-timeout"));
        assertTrue(System.currentTimeMillis() - start < 2_900, "answered before the back-end's 3 s");
    }

    @Test
    void theRateLimitAnswers429ThenLetsTheCallerBackIn() throws InterruptedException {
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 10; i++) {
            var response = given().header("X-Request-Id", "rl-" + i).get("/graphql/ping");
            if (response.statusCode() == 429) {
                limited++;
                retryAfter = response.header("Retry-After");
                assertEquals("application/problem+json", response.contentType());
            }
        }
        assertTrue(limited > 0, "anonymous callers get 429 past their budget");
        assertTrue(retryAfter != null && Integer.parseInt(retryAfter) >= 1);
        Thread.sleep(1_100);
        given().get("/graphql/ping").then().statusCode(200);
    }

    @Test
    void oversizedBodiesAreRefusedPerRoute() throws InterruptedException {
        Thread.sleep(1_100);
        given().contentType("application/json").body("x".repeat(5_000)).post("/graphql").then()
                .statusCode(413).body("type", equalTo("https://asylum-stats.org/problems/body-too-large"));
    }

    @Test
    void corsAllowsOnlyConfiguredOrigins() throws InterruptedException {
        Thread.sleep(1_100);
        given().header("Origin", "http://localhost:8080").header("Access-Control-Request-Method", "POST")
                .options("/graphql").then().header("Access-Control-Allow-Origin", equalTo("http://localhost:8080"));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/graphql").then().header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
        given().get("/q/metrics").then().statusCode(200).header("Content-Type", notNullValue());
    }
}
