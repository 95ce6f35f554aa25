package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.createRelease;
import static org.asylumstats.ingest.IngestApi.scalar;
import static org.asylumstats.ingest.IngestApi.upload;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Publications racing each other and uploads, and a database failure in the middle of one. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ConcurrencyAndFailureTest {

    private static byte[] file(int year, int refugees) {
        return (MalformedInputTest.POPULATION + MalformedInputTest.POP_ROW.replace("2020,", year + ",").replace(",100,", "," + refugees + ","))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static long submitted(LocalDate publishedOn, int year, int refugees) {
        long id = createRelease("analyst", "Race " + refugees, publishedOn, List.of());
        upload("analyst", id, "population", file(year, refugees), "text/csv").statusCode(200);
        as("analyst").post("/api/releases/" + id + "/submit").then().statusCode(200);
        return id;
    }

    @Test
    void concurrentPublicationsAreSerialisedAndTheLaterPublicationDateWins() throws Exception {
        long older = submitted(LocalDate.of(1991, 1, 1), 1960, 11);
        long newer = submitted(LocalDate.of(1992, 1, 1), 1960, 22);
        long drafting = createRelease("analyst", "Uploading meanwhile", LocalDate.of(1991, 6, 1), List.of());
        CyclicBarrier start = new CyclicBarrier(3);
        // own threads: the common pool may have a single one on a small machine, and the barrier needs three
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (callers; Connection holder = Postgres.shared().connectAsOwner(); Statement st = holder.createStatement()) {
            // the test holds the publication lock: both publications must be in flight at once, waiting on it
            holder.setAutoCommit(false);
            st.execute("SELECT pg_advisory_xact_lock(hashtext('asylum-stats:publication'))");
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> as("reviewer").post("/api/releases/" + newer + "/publish").statusCode()), callers);
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> as("reviewer").post("/api/releases/" + older + "/publish").statusCode()), callers);
            CompletableFuture<Integer> c = CompletableFuture.supplyAsync(() -> awaitThen(start, () ->
                    upload("analyst", drafting, "population", file(1960, 33), "text/csv").extract().statusCode()), callers);
            await().atMost(Duration.ofSeconds(60)).until(() -> scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == 2);
            assertEquals(200, c.get(60, TimeUnit.SECONDS), "the upload is not held up by publications");
            assertFalse(a.isDone() || b.isDone(), "both publications still wait for the lock");
            holder.commit();
            assertEquals(200, a.get(60, TimeUnit.SECONDS));
            assertEquals(200, b.get(60, TimeUnit.SECONDS));
        }
        assertEquals(newer, scalar("SELECT release_id FROM stats.coverage WHERE dataset = 'population' AND year = 1960"));
        assertEquals(2, scalar("SELECT count(DISTINCT publication_seq) FROM ingest.release WHERE id IN (" + older + "," + newer + ")"));
    }

    private static int awaitThen(CyclicBarrier barrier, java.util.function.IntSupplier call) {
        try {
            barrier.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return call.getAsInt();
    }

    @Test
    void aDatabaseErrorDuringPublicationLeavesNothingHalfDone() throws Exception {
        long release = submitted(LocalDate.of(1993, 1, 1), 1961, 44);
        long coverageBefore = scalar("SELECT count(*) FROM stats.coverage");
        try (Connection c = Postgres.shared().connectAsSuperuser(); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION pg_temp_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.release_id = " + release + " THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$");
            st.execute("CREATE TRIGGER fail_publication BEFORE INSERT ON stats.coverage FOR EACH ROW EXECUTE FUNCTION pg_temp_fail()");
        }
        try {
            as("reviewer").post("/api/releases/" + release + "/publish").then().statusCode(500)
                    .contentType("application/problem+json");
        } finally {
            try (Connection c = Postgres.shared().connectAsSuperuser(); Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER fail_publication ON stats.coverage");
                st.execute("DROP FUNCTION pg_temp_fail()");
            }
        }
        as("analyst").get("/api/releases/" + release).then().body("state", equalTo("SUBMITTED"));
        assertEquals(coverageBefore, scalar("SELECT count(*) FROM stats.coverage"));
        assertEquals(0, scalar("SELECT count(*) FROM stats.coverage WHERE release_id = " + release));
        as("reviewer").post("/api/releases/" + release + "/publish").then().statusCode(200);
        assertEquals(release, scalar("SELECT release_id FROM stats.coverage WHERE dataset = 'population' AND year = 1961"));
    }
}
