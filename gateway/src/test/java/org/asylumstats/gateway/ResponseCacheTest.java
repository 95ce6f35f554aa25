package org.asylumstats.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import org.asylumstats.testing.KeycloakResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's cache of stats-service's shareable GET answers, counted at the back-end: what it keeps,
 * what it never keeps, how long, how much, and that it stays behind the rate limit. Callers hold a
 * token (a large budget) except in the rate-limit test, which alone spends the small anonymous one.
 */
@QuarkusTest
@TestProfile(ResponseCacheTest.SmallCache.class)
class ResponseCacheTest {

    /** Entries of up to 8 KiB (the back-end's big answer is 10 000 bytes); 2 anonymous requests a second. */
    public static class SmallCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("asylumstats.gateway.response-cache.max-bytes", "64K",
                    "asylumstats.gateway.response-cache.max-entry-bytes", "8K",
                    "asylumstats.gateway.rate-limit.anonymous-per-minute", "120");
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

    private static RequestSpecification viewer() {
        return GatewayRoutingTest.as("viewer");
    }

    @Test
    void aSecondIdenticalGetIsAnsweredWithoutReachingTheBackend() {
        String first = viewer().get("/export/public?measure=REFUGEES&t=repeat").then().statusCode(200)
                .header("Age", emptyOrNullString()).extract().asString();
        viewer().get("/export/public?measure=REFUGEES&t=repeat").then().statusCode(200)
                .header("Age", notNullValue()).header("ETag", equalTo(CachingStatsBackend.ETAG))
                .header("Cache-Control", equalTo("public, max-age=60"))
                .header("Link", equalTo(CachingStatsBackend.LICENCE_LINK))
                .header("Content-Disposition", equalTo("attachment; filename=\"refugees.csv\""))
                .header("X-Request-Id", notNullValue())
                .body(equalTo(first));
        assertEquals(1, CachingStatsBackend.requests("/export/public?measure=REFUGEES&t=repeat"));
        // keyed by the whole query: another question is another entry
        viewer().get("/export/public?measure=ASYLUM_APPLICATIONS&t=repeat").then().statusCode(200);
        assertEquals(1, CachingStatsBackend.requests("/export/public?measure=ASYLUM_APPLICATIONS&t=repeat"));
        // GraphQL over GET too
        viewer().urlEncodingEnabled(false).get("/graphql?query=%7Breleases%7Bid%7D%7D").then().statusCode(200);
        viewer().urlEncodingEnabled(false).get("/graphql?query=%7Breleases%7Bid%7D%7D").then().statusCode(200);
        assertEquals(1, CachingStatsBackend.requests("/graphql?query=%7Breleases%7Bid%7D%7D"));
        // a caller asking for a fresh answer gets one from the back-end
        viewer().header("Cache-Control", "no-cache").get("/export/public?measure=REFUGEES&t=repeat").then().statusCode(200);
        assertEquals(2, CachingStatsBackend.requests("/export/public?measure=REFUGEES&t=repeat"));
    }

    @Test
    void aCallerHoldingTheCachedEtagGets304FromTheCache() {
        viewer().get("/export/public?t=etag").then().statusCode(200);
        viewer().header("If-None-Match", "\"other\", " + CachingStatsBackend.ETAG).get("/export/public?t=etag").then()
                .statusCode(304).header("ETag", equalTo(CachingStatsBackend.ETAG))
                .header("Cache-Control", equalTo("public, max-age=60")).body(emptyOrNullString());
        viewer().header("If-None-Match", "\"other\"").get("/export/public?t=etag").then().statusCode(200)
                .header("ETag", equalTo(CachingStatsBackend.ETAG));
        assertEquals(1, CachingStatsBackend.requests("/export/public?t=etag"));
    }

    @Test
    void privateNoStoreErrorsPostsAndOversizedAnswersAreNeverKept() {
        for (String path : List.of("/export/private?t=never", "/export/no-store?t=never", "/export/error?t=never",
                "/export/big?t=never")) {
            for (int i = 0; i < 2; i++) {
                int status = viewer().get(path).statusCode();
                assertEquals(path.startsWith("/export/error") ? 500 : 200, status, path);
            }
            assertEquals(2, CachingStatsBackend.requests(path), path + " reached the back-end each time");
        }
        assertEquals(CachingStatsBackend.BIG_BYTES, viewer().get("/export/big?t=never").asByteArray().length,
                "the answer too big to keep still passes whole");
        for (int i = 0; i < 2; i++) {
            viewer().contentType("application/json").body("{\"query\":\"{ releases { id } }\"}").post("/graphql?t=post")
                    .then().statusCode(200).body("method", equalTo("POST"));
        }
        assertEquals(2, CachingStatsBackend.requests("/graphql?t=post"));
    }

    @Test
    void anAnswerExpiresAtItsMaxAge() {
        viewer().get("/export/short?t=expiry").then().statusCode(200);
        viewer().get("/export/short?t=expiry").then().statusCode(200);
        assertEquals(1, CachingStatsBackend.requests("/export/short?t=expiry"), "fresh for its one second");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            viewer().get("/export/short?t=expiry").then().statusCode(200);
            return CachingStatsBackend.requests("/export/short?t=expiry") >= 2;
        });
    }

    @Test
    void cachedAnswersCountAgainstTheRateLimitAndAnonymousCallersHaveTheirOwnEntries() {
        String path = "/export/public?t=rate";
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            var response = given().get(path);
            if (response.statusCode() == 429) {
                limited++;
                assertEquals("no-store", response.header("Cache-Control"));
            } else {
                assertEquals(200, response.statusCode());
            }
        }
        assertTrue(limited > 0, "anonymous GETs, cached or not, get 429 past their budget");
        assertEquals(1, CachingStatsBackend.requests(path), "every anonymous answer but the first came from the cache");
        // a token holder's question is kept apart from the anonymous callers' one
        viewer().get(path).then().statusCode(200).header("Age", emptyOrNullString());
        assertEquals(2, CachingStatsBackend.requests(path));
    }
}
