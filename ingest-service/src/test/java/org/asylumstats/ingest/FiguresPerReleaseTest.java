package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.createRelease;
import static org.asylumstats.ingest.IngestApi.scalar;
import static org.asylumstats.ingest.IngestApi.upload;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage layout of a release's figures, driven through the API: staged in a table of its own
 * on the write side, replaced whole, attached as a partition at publication without blocking
 * readers, dropped with its draft. Each test uses years of its own (1970s) so that the other
 * suites' current figures stay as they expect.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class FiguresPerReleaseTest {

    private static byte[] population(int year, String... asylumCountries) {
        StringBuilder csv = new StringBuilder(MalformedInputTest.POPULATION);
        for (String asylum : asylumCountries) {
            csv.append(MalformedInputTest.POP_ROW.replace("2020,", year + ",").replace("\"GFR\",\"DEU\"", "\"\",\"" + asylum + "\""));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] applications(int year) {
        return (MalformedInputTest.APPLICATIONS + year + ",\"S\",\"SYR\",\"SYR\",\"G\",\"GFR\",\"DEU\",\"G\",\"N\",\"FI\",\"P\",10\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUploadStagesOneUnreadableTableWithTheParentsIndexes() throws SQLException {
        long id = createRelease("analyst", "Staged", LocalDate.of(1994, 1, 1), List.of());
        upload("analyst", id, "population", population(1970, "DEU", "FRA", "ITA"), "text/csv").statusCode(200).body("valid", equalTo(true));

        assertEquals(List.of("ingest.population_r" + id), tablesOf(id));
        assertEquals(3, scalar("SELECT count(*) FROM ingest.population_r" + id));
        assertEquals(3, scalar("SELECT count(*) FROM ingest.population_r" + id + " WHERE release_id = " + id));
        assertEquals(indexShapes("stats.population"), indexShapes("ingest.population_r" + id));
        assertEquals(1, scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = 'ingest.population_r" + id + "'::regclass"
                + " AND contype = 'c' AND pg_get_constraintdef(oid) = 'CHECK ((release_id = " + id + "))'"), "pinned to its release");
        assertEquals(0, scalar("SELECT count(*) FROM pg_inherits WHERE inhrelid = 'ingest.population_r" + id + "'::regclass"), "not attached");

        try (Connection reader = connectAsReader(); Statement st = reader.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> st.executeQuery("SELECT count(*) FROM ingest.population_r" + id));
            assertEquals("42501", refused.getSQLState(), "stats-service's role may not read a draft's figures");
            assertEquals(0, count(st, "SELECT count(*) FROM stats.population WHERE release_id = " + id));
        }
    }

    @Test
    void aReplacingUploadDropsThePreviousTableWholeAndARefusedOneKeepsIt() {
        long id = createRelease("analyst", "Replaced", LocalDate.of(1994, 1, 1), List.of());
        upload("analyst", id, "population", population(1971, "DEU", "FRA", "ITA"), "text/csv").statusCode(200);
        long first = scalar("SELECT 'ingest.population_r" + id + "'::regclass::oid");

        upload("analyst", id, "population", population(1971, "ESP", "PRT"), "text/csv").statusCode(200).body("rows", equalTo(2));
        long second = scalar("SELECT 'ingest.population_r" + id + "'::regclass::oid");
        assertNotEquals(first, second, "a new table, not the old one with its rows deleted");
        assertEquals(List.of("ingest.population_r" + id), tablesOf(id));
        assertEquals(2, scalar("SELECT count(*) FROM ingest.population_r" + id + " WHERE asylum IN ('ESP', 'PRT')"));
        assertEquals(2, scalar("SELECT count(*) FROM ingest.population_r" + id));

        upload("analyst", id, "population", population(1971, "DEU", "XYZ"), "text/csv").statusCode(422);
        assertEquals(second, scalar("SELECT 'ingest.population_r" + id + "'::regclass::oid"), "the refused file's table rolled back");
        assertEquals(2, scalar("SELECT count(*) FROM ingest.population_r" + id + " WHERE asylum IN ('ESP', 'PRT')"));
        assertEquals(2, scalar("SELECT count(*) FROM ingest.population_r" + id));
        assertEquals(indexShapes("stats.population"), indexShapes("ingest.population_r" + id));
    }

    @Test
    void publicationAttachesTheTablesWithTheirIndexesAndRetractionKeepsThemAttached() throws SQLException {
        long id = createRelease("analyst", "Attached", LocalDate.of(1994, 1, 1), List.of());
        upload("analyst", id, "population", population(1972, "DEU", "FRA"), "text/csv").statusCode(200);
        upload("analyst", id, "asylum-applications", applications(1972), "text/csv").statusCode(200);
        as("analyst").post("/api/releases/" + id + "/submit").then().statusCode(200);
        as("reviewer").post("/api/releases/" + id + "/publish").then().statusCode(200).body("state", equalTo("PUBLISHED"));

        assertEquals(List.of("stats.asylum_application_r" + id, "stats.population_r" + id), tablesOf(id));
        for (String table : List.of("population", "asylum_application")) {
            String partition = "stats." + table + "_r" + id;
            assertEquals(1, scalar("SELECT count(*) FROM pg_inherits WHERE inhrelid = '" + partition + "'::regclass"
                    + " AND inhparent = 'stats." + table + "'::regclass"), partition + " is a partition of stats." + table);
            assertEquals(3, scalar("SELECT count(*) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid"
                    + " JOIN pg_index p ON p.indexrelid = h.inhparent"
                    + " WHERE i.indrelid = '" + partition + "'::regclass AND p.indrelid = 'stats." + table + "'::regclass"),
                    "each of the parent's indexes adopted the partition's own");
        }
        assertEquals(1, scalar("SELECT count(*) FROM stats.coverage WHERE release_id = " + id + " AND dataset = 'population' AND year = 1972"));
        try (Connection reader = connectAsReader(); Statement st = reader.createStatement()) {
            assertEquals(2, count(st, "SELECT count(*) FROM stats.population WHERE release_id = " + id));
            assertEquals(2, count(st, "SELECT count(*) FROM stats.current_population WHERE release_id = " + id));
        }

        as("admin").post("/api/releases/" + id + "/retract").then().statusCode(200).body("state", equalTo("RETRACTED"));
        assertEquals(List.of("stats.asylum_application_r" + id, "stats.population_r" + id), tablesOf(id));
        assertEquals(1, scalar("SELECT count(*) FROM pg_inherits WHERE inhrelid = 'stats.population_r" + id + "'::regclass"));
        assertEquals(0, scalar("SELECT count(*) FROM stats.coverage WHERE release_id = " + id));
        try (Connection reader = connectAsReader(); Statement st = reader.createStatement()) {
            assertEquals(2, count(st, "SELECT count(*) FROM stats.population WHERE release_id = " + id), "still traceable");
            assertEquals(0, count(st, "SELECT count(*) FROM stats.current_population WHERE release_id = " + id), "no longer current");
        }
    }

    @Test
    void deletingADraftDropsItsStagedTables() {
        long id = createRelease("analyst", "Deleted", LocalDate.of(1994, 1, 1), List.of());
        upload("analyst", id, "population", population(1973, "DEU"), "text/csv").statusCode(200);
        upload("analyst", id, "asylum-applications", applications(1973), "text/csv").statusCode(200);
        assertEquals(List.of("ingest.asylum_application_r" + id, "ingest.population_r" + id), tablesOf(id));

        as("analyst").delete("/api/releases/" + id).then().statusCode(204);
        assertEquals(List.of(), tablesOf(id));
    }

    @Test
    void attachingDoesNotBlockReaders() throws Exception {
        long before = createRelease("analyst", "Read meanwhile", LocalDate.of(1994, 1, 1), List.of());
        upload("analyst", before, "population", population(1974, "DEU"), "text/csv").statusCode(200);
        as("analyst").post("/api/releases/" + before + "/submit").then().statusCode(200);
        as("reviewer").post("/api/releases/" + before + "/publish").then().statusCode(200);
        long id = createRelease("analyst", "Attached while read", LocalDate.of(1995, 1, 1), List.of());
        upload("analyst", id, "population", population(1974, "FRA", "ITA"), "text/csv").statusCode(200);
        as("analyst").post("/api/releases/" + id + "/submit").then().statusCode(200);

        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (caller; Connection reader = connectAsReader(); Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            // the reader's transaction holds its locks on the parent and on every attached partition
            assertTrue(count(st, "SELECT count(*) FROM stats.population") > 0);
            assertTrue(count(st, "SELECT count(*) FROM pg_locks l JOIN pg_inherits h ON h.inhrelid = l.relation"
                    + " WHERE l.pid = pg_backend_pid() AND h.inhparent = 'stats.population'::regclass") > 0);
            CompletableFuture<Integer> publication = CompletableFuture.supplyAsync(() ->
                    as("reviewer").post("/api/releases/" + id + "/publish").statusCode(), caller);
            try {
                await().atMost(Duration.ofSeconds(120)).until(publication::isDone);
            } finally {
                reader.commit();
            }
            assertEquals(200, publication.get(1, TimeUnit.SECONDS));
            assertEquals(2, count(st, "SELECT count(*) FROM stats.current_population WHERE year = 1974 AND release_id = " + id));
            assertEquals(0, count(st, "SELECT count(*) FROM stats.current_population WHERE year = 1974 AND release_id = " + before));
            reader.commit();
        }
    }

    /** The tables holding a release's figures, wherever they are, as schema.name. */
    private static List<String> tablesOf(long release) {
        return strings("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND c.relname ~ '_r" + release + "$' ORDER BY 1");
    }

    /** A table's indexes without their names: "btree (origin, year)". */
    private static List<String> indexShapes(String table) {
        return strings("SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') FROM pg_index"
                + " WHERE indrelid = '" + table + "'::regclass ORDER BY 1");
    }

    private static List<String> strings(String sql) {
        try (Connection c = Postgres.shared().connectAsOwner(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static Connection connectAsReader() throws SQLException {
        return DriverManager.getConnection(Postgres.shared().jdbcUrl(), Postgres.READER, Postgres.READER);
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
