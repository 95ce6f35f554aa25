package org.asylumstats.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.asylumstats.testing.KeycloakResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * stats-service's GET routes (/graphql over GET, /export) with GraphQL reads restricted to the viewer
 * role, and the gateway's cache off: everything here reaches the back-end, and the back-end's caching
 * headers and 304s reach the caller untouched.
 */
@QuarkusTest
@TestProfile(StatsRouteTest.ViewerOnly.class)
class StatsRouteTest {

    public static class ViewerOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("asylumstats.graphql-read-policy", "viewer-only",
                    "asylumstats.gateway.response-cache.enabled", "false");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakResource.class), new TestResourceEntry(CachingStatsBackend.class));
        }
    }

    @Test
    void exportsFollowTheGraphqlPolicyAndOnlyRead() {
        given().get("/export/public?measure=REFUGEES").then().statusCode(401);
        given().head("/export/public?measure=REFUGEES").then().statusCode(401);
        GatewayRoutingTest.as("viewer").get("/export/public?measure=REFUGEES&format=csv").then().statusCode(200)
                .body("path", equalTo("/export/public")).body("query", equalTo("measure=REFUGEES&format=csv"))
                .header("Link", equalTo(CachingStatsBackend.LICENCE_LINK))
                .header("Content-Disposition", equalTo("attachment; filename=\"refugees.csv\""))
                .header("ETag", equalTo(CachingStatsBackend.ETAG))
                .header("Cache-Control", equalTo("public, max-age=60"));
        GatewayRoutingTest.as("viewer").head("/export/public?measure=REFUGEES").then().statusCode(200);
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            GatewayRoutingTest.as("viewer").contentType("application/json").body("{}").request(method, "/export/public")
                    .then().statusCode(405).header("Allow", equalTo("GET, HEAD"))
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://asylum-stats.org/problems/method-not-allowed"));
        }
        assertEquals(0, CachingStatsBackend.requests("/export/public"), "refused methods never reach stats-service");
        GatewayRoutingTest.as("analyst").get("/graphql?query=%7Bx%7D").then().statusCode(200);
    }

    @Test
    void graphqlOverGetPassesItsQueryStringAndConditionalHeadersThrough() {
        String query = "query=%7B%20releases%20%7B%20id%20%7D%20%7D&variables=%7B%22a%22%3A1%7D&operationName=Q";
        GatewayRoutingTest.as("viewer").urlEncodingEnabled(false).get("/graphql?" + query).then().statusCode(200)
                .body("method", equalTo("GET")).body("query", equalTo(query))
                .header("ETag", equalTo(CachingStatsBackend.ETAG)).header("Cache-Control", equalTo("public, max-age=60"));
        GatewayRoutingTest.as("viewer").urlEncodingEnabled(false).header("If-None-Match", CachingStatsBackend.ETAG)
                .get("/graphql?" + query).then().statusCode(304)
                .header("ETag", equalTo(CachingStatsBackend.ETAG)).header("Cache-Control", equalTo("public, max-age=60"))
                .body(emptyOrNullString());
        assertEquals(CachingStatsBackend.ETAG, CachingStatsBackend.LAST_HEADERS.get("if-none-match"));
        assertEquals(2, CachingStatsBackend.requests("/graphql?" + query), "the cache is off: both reached the back-end");
        // the back-end's no-store passes as it is; the gateway adds nothing
        GatewayRoutingTest.as("viewer").get("/export/no-store").then().statusCode(200)
                .header("Cache-Control", equalTo("no-store")).header("ETag", emptyOrNullString());
    }

    @Test
    void aQueryLongerThanTheRequestLineLimitIs414WhileA16KiBHeadStillPasses() {
        String viewer = GatewayRoutingTest.token("viewer");
        // Vert.x's request-line limit: 4096 bytes
        given().auth().oauth2(viewer).urlEncodingEnabled(false).get("/graphql?query=" + "a".repeat(4_100)).then().statusCode(414);
        given().auth().oauth2(viewer).urlEncodingEnabled(false).get("/graphql?query=" + "a".repeat(3_900)).then().statusCode(200);
        // the head limit is 16 KiB in all: a large cookie-like header within it passes, one beyond it is 431
        given().auth().oauth2(viewer).header("X-Padding", "p".repeat(14_000)).get("/graphql?query=%7Bx%7D").then().statusCode(200);
        given().auth().oauth2(viewer).header("X-Padding", "p".repeat(17_000)).get("/graphql?query=%7Bx%7D").then().statusCode(431);
    }

    @Test
    void browsersMayRevalidateAndReadTheCachingAndDownloadHeaders() {
        given().header("Origin", "http://localhost:8080").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "If-None-Match")
                .options("/export/public").then()
                .header("Access-Control-Allow-Origin", equalTo("http://localhost:8080"))
                .header("Access-Control-Allow-Headers", containsString("If-None-Match"));
        var exposed = GatewayRoutingTest.as("viewer").header("Origin", "http://localhost:8080").get("/export/public?x=cors")
                .then().statusCode(200).extract().header("Access-Control-Expose-Headers");
        for (String header : List.of("ETag", "Link", "Content-Disposition", "X-Request-Id")) {
            org.junit.jupiter.api.Assertions.assertTrue(exposed.contains(header), exposed);
        }
    }
}
