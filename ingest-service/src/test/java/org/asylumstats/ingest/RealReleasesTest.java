package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.RawUnhcrFile;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.createRelease;
import static org.asylumstats.ingest.IngestApi.scalar;
import static org.asylumstats.ingest.IngestApi.upload;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The real UNHCR releases, uploaded and published through the API, checked against the raw files. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class RealReleasesTest {

    private static final List<String> DATASETS = List.of("population", "asylum-applications", "asylum-decisions");
    private static final Map<String, String> FILES = Map.of(
            "population", "population.csv.gz",
            "asylum-applications", "asylum_applications.csv.gz",
            "asylum-decisions", "asylum_decisions.csv.gz");

    @Test
    void midYearThenGlobalTrendsRevisesAndRetractionRestores() {
        // as UNHCR published it: 2023 up to 30 June (stocks at 30 June, flows over January-June)
        long my = publishRelease("my2023", "Mid-Year Trends 2023", LocalDate.of(2023, 10, 25), List.of(2023), List.of(LocalDate.of(2023, 6, 30)));
        as("reviewer").get("/api/releases/" + my).then().statusCode(200)
                .body("referencePeriods", equalTo(List.of(Map.of("year", 2023, "end", "2023-06-30"))));
        assertEquals(1, scalar("SELECT count(*) FROM stats.release WHERE id = " + my + " AND reference_period_ends = '{2023-06-30}'"),
                "the read side sees the reference period");
        RawUnhcrFile myPopulation = RawUnhcrFile.read("my2023/population.csv.gz");
        for (String origin : List.of("SYR", "UKR", "AFG", "CHN")) {
            assertEquals(myPopulation.sum("refugees", Map.of("coo_iso", origin, "year", "2023")),
                    currentSum("population", "refugees", origin, 2023), "my2023 refugees from " + origin);
        }

        long gt = publishRelease("gt2023", "Global Trends 2023", LocalDate.of(2024, 6, 13), List.of(), List.of());
        assertEquals(1, scalar("SELECT count(*) FROM stats.release WHERE id = " + gt + " AND reference_period_ends = '{}'"), "whole years");
        RawUnhcrFile gtPopulation = RawUnhcrFile.read("gt2023/population.csv.gz");
        RawUnhcrFile gtDecisions = RawUnhcrFile.read("gt2023/asylum_decisions.csv.gz");
        RawUnhcrFile gtApplications = RawUnhcrFile.read("gt2023/asylum_applications.csv.gz");
        for (String origin : List.of("SYR", "UKR", "AFG", "CHN")) {
            assertEquals(gtPopulation.sum("refugees", Map.of("coo_iso", origin, "year", "2023")),
                    currentSum("population", "refugees", origin, 2023), "gt2023 refugees from " + origin);
            assertEquals(gtPopulation.sum("asylum_seekers", Map.of("coo_iso", origin, "year", "2015")),
                    currentSum("population", "asylum_seekers", origin, 2015));
            assertEquals(gtDecisions.sum("dec_recognized", Map.of("coo_iso", origin, "year", "2022", "dec_pc", "P")),
                    currentSum("asylum_decision", "recognized", origin, 2022, "unit = 'PERSONS'"));
            assertEquals(gtApplications.sum("applied", Map.of("coo_iso", origin, "year", "2023", "app_pc", "P")),
                    currentSum("asylum_application", "applied", origin, 2023, "unit = 'PERSONS'"));
        }
        // oip is empty before 2018 in the raw file: not reported stays NULL, never 0
        assertEquals(0, scalar("SELECT count(*) FROM stats.population WHERE release_id = " + gt
                + " AND year < 2018 AND other_in_need IS NOT NULL"));

        as("admin").post("/api/releases/" + gt + "/retract").then().statusCode(200).body("state", equalTo("RETRACTED"));
        assertEquals(my, scalar("SELECT release_id FROM stats.coverage WHERE dataset = 'population' AND year = 2023"));
        assertEquals(myPopulation.sum("refugees", Map.of("coo_iso", "SYR", "year", "2023")),
                currentSum("population", "refugees", "SYR", 2023));
        as("analyst").get("/api/releases/" + gt).then().statusCode(200)
                .body("history.action", equalTo(List.of("CREATED", "UPLOADED", "UPLOADED", "UPLOADED", "SUBMITTED", "PUBLISHED", "RETRACTED")));
    }

    private long publishRelease(String folder, String title, LocalDate publishedOn, List<Integer> preliminary, List<LocalDate> periodEnds) {
        long id = createRelease("analyst", title, publishedOn, preliminary, periodEnds);
        for (String dataset : DATASETS) {
            RawUnhcrFile raw = RawUnhcrFile.read(folder + "/" + FILES.get(dataset));
            upload("analyst", id, dataset, RawUnhcrFile.bytes(folder + "/" + FILES.get(dataset)), "application/gzip")
                    .statusCode(200).body("valid", equalTo(true)).body("rows", equalTo(raw.rows().size()));
        }
        as("analyst").post("/api/releases/" + id + "/submit").then().statusCode(200).body("state", equalTo("SUBMITTED"));
        as("reviewer").post("/api/releases/" + id + "/publish").then().statusCode(200).body("state", equalTo("PUBLISHED"));
        return id;
    }

    private static Long currentSum(String table, String column, String origin, int year, String... where) {
        String sql = "SELECT sum(" + column + ") FROM stats." + table + " f JOIN stats.coverage c ON c.release_id = f.release_id"
                + " AND c.year = f.year AND c.dataset = '" + dataset(table) + "' WHERE f.origin = '" + origin + "' AND f.year = " + year
                + (where.length == 0 ? "" : " AND " + String.join(" AND ", where));
        try (var c = org.asylumstats.testing.Postgres.shared().connectAsOwner(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String dataset(String table) {
        return switch (table) {
            case "population" -> "population";
            case "asylum_application" -> "asylum-applications";
            default -> "asylum-decisions";
        };
    }
}
