package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.createRelease;
import static org.asylumstats.ingest.IngestApi.scalar;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hostile JSON bodies of the release endpoints: 400 problem+json naming the field, never a Java class, never a 500. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ReleaseBodyTest {

    @Test
    void controlCharactersInTextFieldsAreRefused() {
        long before = scalar("SELECT count(*) FROM ingest.release");
        for (String title : List.of("NUL\u0000title", "bell\u0007", "line\nbreak", "\u007f")) {
            as("analyst").contentType("application/json").body(Map.of("title", title, "publishedOn", "1990-01-01"))
                    .post("/api/releases").then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://asylum-stats.org/problems/invalid-request"))
                    .body("detail", equalTo("title must not contain control characters"));
        }
        as("analyst").contentType("application/json").body(Map.of("title", "ok", "source", "x\u0000", "publishedOn", "1990-01-01"))
                .post("/api/releases").then().statusCode(400).body("detail", equalTo("source must not contain control characters"));
        assertEquals(before, scalar("SELECT count(*) FROM ingest.release"), "nothing created");
    }

    @Test
    void aRejectionReasonMayBreakLinesButHoldsNoNul() {
        long release = createRelease("analyst", "Reasons", LocalDate.of(1990, 1, 1), List.of());
        IngestApi.upload("analyst", release, "population", (MalformedInputTest.POPULATION + MalformedInputTest.POP_ROW).getBytes(), "text/csv").statusCode(200);
        as("analyst").post("/api/releases/" + release + "/submit").then().statusCode(200);
        as("reviewer").contentType("application/json").body(Map.of("reason", "bad\u0000")).post("/api/releases/" + release + "/reject")
                .then().statusCode(400).body("detail", equalTo("reason must not contain control characters"));
        as("reviewer").contentType("application/json").body(Map.of("reason", "two\nlines")).post("/api/releases/" + release + "/reject")
                .then().statusCode(200).body("rejectionReason", equalTo("two\nlines"));
    }

    @Test
    void jacksonFailuresAnswerWithoutJavaNames() {
        as("analyst").contentType("application/json").body("{\"title\":\"x\",\"publishedOn\":\"not-a-date\"}").post("/api/releases")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/invalid-json"))
                .body("detail", equalTo("'publishedOn' has the wrong type or format"));
        as("analyst").contentType("application/json").body("{\"title\":[1],\"publishedOn\":\"1990-01-01\"}").post("/api/releases")
                .then().statusCode(400).body("detail", equalTo("'title' has the wrong type or format"));
        as("analyst").contentType("application/json").body("{\"title\":\"x\",").post("/api/releases")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/invalid-json"))
                .body("detail", startsWith("the body is not well-formed JSON (line 1, column "));
        // a number too large for its field: quarkus-rest wraps this one in a plain 400, answered the same way
        as("analyst").contentType("application/json").body("{\"title\":\"x\",\"publishedOn\":\"1990-01-01\",\"preliminaryYears\":[99999999999]}")
                .post("/api/releases").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/invalid-json"))
                .body("detail", equalTo("'preliminaryYears[0]' has the wrong type or format"));
        as("analyst").contentType("application/json").body("{\"title\":\"x\",\"publishedOn\":\"1990-01-01\",\"preliminaryYears\":[null]}")
                .post("/api/releases").then().statusCode(400).body("detail", equalTo("preliminaryYears[0] must not be null"));
        as("analyst").contentType("application/json").body("").post("/api/releases")
                .then().statusCode(400).body("detail", equalTo("the body must not be null"));
        as("analyst").contentType("application/json").body("{\"title\":" + "[".repeat(5000) + "]".repeat(5000) + "}").post("/api/releases")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", not(containsString("java"))).body("detail", not(containsString("Constraints")));
        for (String body : List.of("{\"title\":\"x\",\"publishedOn\":\"not-a-date\"}", "{\"title\":\"x\",", "[1,2]", "\"x\"", "{\"preliminaryYears\":\"x\"}")) {
            as("analyst").contentType("application/json").body(body).post("/api/releases").then().statusCode(400)
                    .body("detail", not(containsString("java"))).body("detail", not(containsString("`")))
                    .body("detail", not(containsString("Exception"))).body("detail", not(containsString("[Source")));
        }
    }
}
