package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.createRelease;
import static org.asylumstats.ingest.IngestApi.upload;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every endpoint against every kind of caller, the owner rule and the four-eyes rule. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class RoleMatrixTest {

    private static final List<String> CALLERS = Arrays.asList(null, "viewer", "analyst2", "reviewer", "admin", "analyst");
    private static final byte[] FILE = (MalformedInputTest.POPULATION + MalformedInputTest.POP_ROW).getBytes(StandardCharsets.UTF_8);

    @Test
    void rolesAreCheckedByTheServiceItself() {
        long draft = createRelease("analyst", "Matrix", LocalDate.of(1990, 1, 1), List.of());
        expect("list", Set.of("analyst", "analyst2", "reviewer", "admin"), user -> as(user).get("/api/releases").statusCode());
        expect("get", Set.of("analyst", "analyst2", "reviewer", "admin"), user -> as(user).get("/api/releases/" + draft).statusCode());
        expect("create", Set.of("analyst", "analyst2"), user -> as(user).contentType("application/json")
                .body(Map.of("title", "x", "publishedOn", "1990-01-01")).post("/api/releases").statusCode());
        // only the owner among analysts: analyst2 is refused with 403 not-owner
        expect("upload", Set.of("analyst"), user -> upload(user, draft, "population", FILE, "text/csv").extract().statusCode());
        expect("submit", Set.of("analyst"), user -> as(user).post("/api/releases/" + draft + "/submit").statusCode());
        expect("reject", Set.of("reviewer"), user -> as(user).contentType("application/json").body(Map.of("reason", "no"))
                .post("/api/releases/" + draft + "/reject").statusCode());
        // rejected: the owner uploads again (back to draft) and resubmits
        upload("analyst", draft, "population", FILE, "text/csv").statusCode(200);
        as("analyst").post("/api/releases/" + draft + "/submit").then().statusCode(200);
        expect("publish", Set.of("reviewer"), user -> as(user).post("/api/releases/" + draft + "/publish").statusCode());
        expect("retract", Set.of("admin"), user -> as(user).post("/api/releases/" + draft + "/retract").statusCode());

        long toDelete = createRelease("analyst", "Delete me", LocalDate.of(1990, 1, 1), List.of());
        expect("delete", Set.of("analyst"), user -> as(user).delete("/api/releases/" + toDelete).statusCode());
        as("analyst").get("/api/releases/" + toDelete).then().statusCode(404).body("type", equalTo("https://asylum-stats.org/problems/release-not-found"));
    }

    @Test
    void nobodyPublishesWhatTheyUploaded() {
        long release = createRelease("lead", "Own work", LocalDate.of(1990, 1, 1), List.of());
        upload("lead", release, "population", FILE, "text/csv").statusCode(200);
        as("lead").post("/api/releases/" + release + "/submit").then().statusCode(200);
        as("lead").post("/api/releases/" + release + "/publish").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/four-eyes"));
        as("reviewer").post("/api/releases/" + release + "/publish").then().statusCode(200).body("state", equalTo("PUBLISHED"));
    }

    @Test
    void submitWithoutFilesAndWrongStatesAreConflicts() {
        long release = createRelease("analyst", "Empty", LocalDate.of(1990, 1, 1), List.of());
        as("analyst").post("/api/releases/" + release + "/submit").then().statusCode(409)
                .body("type", equalTo("https://asylum-stats.org/problems/no-files"));
        as("reviewer").post("/api/releases/" + release + "/publish").then().statusCode(409)
                .body("type", equalTo("https://asylum-stats.org/problems/invalid-state"));
        as("analyst").contentType("application/json").body("{\"title\":\"\"}").post("/api/releases").then().statusCode(400);
        as("analyst").contentType("application/json").body("{not json").post("/api/releases").then().statusCode(400);
        as("analyst").contentType("application/json").body(Map.of("title", "x", "publishedOn", "1990-01-01", "preliminaryYears", List.of(1900)))
                .post("/api/releases").then().statusCode(400).body("type", equalTo("https://asylum-stats.org/problems/invalid-request"));
        as("analyst").contentType("application/json").body(Map.of("title", "x", "publishedOn", "not-a-date"))
                .post("/api/releases").then().statusCode(400).contentType("application/problem+json");
        upload("analyst", release, "population", FILE, "text/csv").statusCode(200);
        as("analyst").post("/api/releases/" + release + "/submit").then().statusCode(200);
        as("reviewer").contentType("application/json").body(Map.of("reason", "  ")).post("/api/releases/" + release + "/reject")
                .then().statusCode(400).body("type", equalTo("https://asylum-stats.org/problems/invalid-request"));
        as("reviewer").contentType("application/json").body("{}").post("/api/releases/" + release + "/reject").then().statusCode(400);
        as("analyst").get("/api/releases/" + release).then().body("state", equalTo("SUBMITTED"));
        upload("analyst", release, "refugee-camps", FILE, "text/csv").statusCode(404)
                .body("type", equalTo("https://asylum-stats.org/problems/unknown-dataset"));
        as("analyst").contentType("image/png").body(FILE).put("/api/releases/" + release + "/datasets/population").then().statusCode(415);
    }

    /** Runs the call as each caller: anonymous gets 401, callers without the role 403, others success. */
    private static void expect(String action, Set<String> allowed, java.util.function.Function<String, Integer> call) {
        for (String user : CALLERS) {
            int status = call.apply(user);
            if (user == null) {
                assertEquals(401, status, action + " anonymous");
            } else if (!allowed.contains(user)) {
                assertEquals(403, status, action + " as " + user);
            } else {
                assertEquals(2, status / 100, action + " as " + user + " answered " + status);
            }
        }
    }
}
