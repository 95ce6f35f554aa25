package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.ingest.core.Dataset;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.asylumstats.testing.DemographicsAndSolutionsSamples.DEMOGRAPHICS;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.DEMOGRAPHICS_LABELLED;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.DEMO_ROW;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.SOLUTIONS;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.SOLUTIONS_LABELLED;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.SOL_ROW;
import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.createRelease;
import static org.asylumstats.ingest.IngestApi.upload;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Demographics and solutions through the REST API: the bad-input corpus (422 invalid-file with its
 * code, nothing loaded, the release's current file kept), every format loading the same figures,
 * free-text locations stored exactly, and the returns-differ warning. No release here is published.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemographicsAndSolutionsIngestTest {

    static final String DEMO_TOTAL_ONLY = "2022,\"Sudan\",\"SUD\",\"SDN\",\"Chad\",\"CHD\",\"TCD\",\"ASY\",\"Urban areas\",\"U\",\"I\","
            + ",".repeat(14) + "7\n";
    static final String SOL_RETURNS = "2022,\"Syrian Arab Rep.\",\"SYR\",\"SYR\",\"Syrian Arab Rep.\",\"SYR\",\"SYR\",40,,,900\n";
    static final String POP_RETURNS = "2022,\"Syrian Arab Rep.\",\"SYR\",\"SYR\",\"Syrian Arab Rep.\",\"SYR\",\"SYR\",0,0,40,0,900,0,0,,0\n";

    static final String DEMO_JSON_ITEMS = "{\"year\":2023,\"coo_name\":\"Sudan\",\"coo\":\"SUD\",\"coo_iso\":\"SDN\",\"coa_name\":\"Chad\",\"coa\":\"CHD\","
            + "\"coa_iso\":\"TCD\",\"pop_type\":\"REF\",\"location\":\"Camp Farchana\",\"loc_type\":\"R\",\"acc_type\":\"P\",\"f_0_4\":1,\"f_5_11\":2,"
            + "\"f_12_17\":3,\"f_18_59\":4,\"f_60\":5,\"f_other\":0,\"f_total\":15,\"m_0_4\":1,\"m_5_11\":1,\"m_12_17\":1,\"m_18_59\":1,\"m_60\":1,"
            + "\"m_other\":0,\"m_total\":5,\"total\":25,\"source\":\"extra fields are ignored\"},\n"
            + "{\"year\":2022,\"coo_name\":\"Sudan\",\"coo\":\"SUD\",\"coo_iso\":\"SDN\",\"coa_name\":\"Chad\",\"coa\":\"CHD\","
            + "\"coa_iso\":\"TCD\",\"pop_type\":\"ASY\",\"location\":\"Urban areas\",\"loc_type\":\"U\",\"acc_type\":\"I\",\"f_0_4\":\"-\",\"f_5_11\":\"-\","
            + "\"f_12_17\":\"-\",\"f_18_59\":\"-\",\"f_60\":\"-\",\"f_other\":\"-\",\"f_total\":\"-\",\"m_0_4\":\"-\",\"m_5_11\":\"-\",\"m_12_17\":\"-\","
            + "\"m_18_59\":\"-\",\"m_60\":\"-\",\"m_other\":\"-\",\"m_total\":\"-\",\"total\":7}";
    static final String SOL_JSON_ITEMS = "{\"year\":2023,\"coo_name\":\"Syrian Arab Rep.\",\"coo\":\"SYR\",\"coo_iso\":\"SYR\",\"coa_name\":\"Germany\","
            + "\"coa\":\"GFR\",\"coa_iso\":\"DEU\",\"returned_refugees\":\"-\",\"resettlement\":1200,\"naturalisation\":35,\"returned_idps\":\"-\"},\n"
            + "{\"year\":2022,\"coo_name\":\"Syrian Arab Rep.\",\"coo\":\"SYR\",\"coo_iso\":\"SYR\",\"coa_name\":\"Syrian Arab Rep.\","
            + "\"coa\":\"SYR\",\"coa_iso\":\"SYR\",\"returned_refugees\":40,\"resettlement\":\"-\",\"naturalisation\":null,\"returned_idps\":900}";

    private long release;
    private String demographicsChecksum;
    private String solutionsChecksum;

    /** Before each test rather than all: the application and its port are up only once a test runs. */
    @BeforeEach
    void releaseWithGoodFiles() {
        if (solutionsChecksum != null) {
            return;
        }
        release = createRelease("analyst", "Demographics corpus", LocalDate.of(1990, 1, 1), List.of());
        demographicsChecksum = upload("analyst", release, "demographics", utf8(DEMOGRAPHICS + DEMO_ROW + DEMO_TOTAL_ONLY), "text/csv")
                .statusCode(200).body("rows", equalTo(2)).extract().jsonPath().getString("sha256");
        solutionsChecksum = upload("analyst", release, "solutions", utf8(SOLUTIONS + SOL_ROW + SOL_RETURNS), "text/csv")
                .statusCode(200).body("rows", equalTo(2)).extract().jsonPath().getString("sha256");
    }

    /** Name, dataset, body, code. */
    static Stream<Object[]> corpus() {
        return Stream.of(
                bad("f bands do not add up", "demographics", DEMOGRAPHICS + DEMO_ROW.replace(",15,", ",16,").replace(",25\n", ",26\n"), "bands-do-not-add-up"),
                bad("m bands do not add up", "demographics", DEMOGRAPHICS + DEMO_ROW.replace(",1,1,1,1,1,0,5,", ",1,1,1,1,1,0,4,"), "bands-do-not-add-up"),
                bad("total below f_total + m_total", "demographics", DEMOGRAPHICS + DEMO_ROW.replace(",25\n", ",19\n"), "total-below-breakdown"),
                bad("f_total below a band", "demographics", DEMOGRAPHICS + DEMO_ROW.replace(",1,2,3,4,5,0,15,", ",,,,16,,,15,"), "total-below-breakdown"),
                bad("a breakdown without its total", "demographics", DEMOGRAPHICS + DEMO_ROW.replace(",25\n", ",\n"), "total-not-reported"),
                bad("bands without f_total", "demographics", DEMOGRAPHICS + DEMO_ROW.replace(",0,15,", ",0,,"), "total-not-reported"),
                bad("unknown pop_type", "demographics", DEMOGRAPHICS + DEMO_ROW.replace("\"REF\"", "\"RFG\""), "unknown-code"),
                bad("unknown loc_type", "demographics", DEMOGRAPHICS + DEMO_ROW.replace("\"R\",\"P\"", "\"X\",\"P\""), "unknown-code"),
                bad("unknown acc_type", "demographics", DEMOGRAPHICS + DEMO_ROW.replace("\"R\",\"P\"", "\"R\",\"Z\""), "unknown-code"),
                bad("duplicate demographics key", "demographics", DEMOGRAPHICS + DEMO_ROW + DEMO_TOTAL_ONLY + DEMO_ROW.replace(",25\n", ",30\n"), "duplicate-key"),
                bad("population file as demographics", "demographics", MalformedInputTest.POPULATION + MalformedInputTest.POP_ROW, "dataset-mismatch"),
                bad("demographics without location", "demographics", DEMOGRAPHICS.replace(",location", "") + DEMO_ROW.replace("\"Camp Farchana\",", ""), "missing-column"),
                bad("negative band", "demographics", DEMOGRAPHICS + DEMO_ROW.replace(",1,2,3,4,5,0,15,", ",1,2,3,4,5,-1,14,"), "negative-count"),
                bad("fractional total", "demographics", DEMOGRAPHICS + DEMO_ROW.replace(",25\n", ",25.5\n"), "not-an-integer"),
                bad("empty location", "demographics", DEMOGRAPHICS + DEMO_ROW.replace("\"Camp Farchana\"", "\"\""), "missing-value"),
                bad("201-character location", "demographics", DEMOGRAPHICS + DEMO_ROW.replace("Camp Farchana", "L".repeat(201)), "value-too-long"),
                bad("demographics JSON page with an unknown pop_type", "demographics", apiPage(DEMO_JSON_ITEMS.replace("\"REF\"", "\"XYZ\"")), "unknown-code"),
                bad("negative resettlement", "solutions", SOLUTIONS + SOL_ROW.replace(",1200,", ",-1200,"), "negative-count"),
                bad("fractional naturalisation", "solutions", SOLUTIONS + SOL_ROW.replace(",35,", ",3.5,"), "not-an-integer"),
                bad("text in returned_idps", "solutions", SOLUTIONS + SOL_ROW.replace(",35,\n", ",35,n/a\n"), "not-an-integer"),
                bad("duplicate solutions key", "solutions", SOLUTIONS + SOL_ROW + SOL_ROW.replace(",1200,", ",1,"), "duplicate-key"),
                bad("population file as solutions", "solutions", MalformedInputTest.POPULATION + MalformedInputTest.POP_ROW, "dataset-mismatch"),
                bad("demographics file as solutions", "solutions", DEMOGRAPHICS + DEMO_ROW, "dataset-mismatch"),
                bad("solutions without naturalisation", "solutions", SOLUTIONS.replace(",naturalisation", "") + SOL_ROW.replace(",35,", ","), "missing-column"),
                bad("solutions without a year", "solutions", SOLUTIONS + SOL_ROW.replace("2023,", ","), "missing-value"),
                bad("solutions without a country of asylum", "solutions", SOLUTIONS + SOL_ROW.replace("\"GFR\",\"DEU\"", "\"\",\"\""), "missing-value"),
                bad("unknown country in solutions", "solutions", SOLUTIONS + SOL_ROW.replace("\"DEU\"", "\"ZZZ\""), "unknown-country"),
                bad("solutions year out of range", "solutions", SOLUTIONS + SOL_ROW.replace("2023,", "1950,"), "year-out-of-range"),
                bad("solutions header without rows", "solutions", SOLUTIONS, "no-rows"),
                bad("solutions JSON page with a negative count", "solutions", apiPage(SOL_JSON_ITEMS.replace("\"resettlement\":1200", "\"resettlement\":-1")),
                        "negative-count"));
    }

    @TestFactory
    Stream<DynamicTest> refusedWithItsCodeAndNothingLoaded() {
        return corpus().map(a -> DynamicTest.dynamicTest((String) a[0], () -> refused((String) a[1], (byte[]) a[2], (String) a[3])));
    }

    @Test
    void theRestCorpusHoldsAtLeastTwelveCasesOfEachDataset() {
        assertEquals(true, corpus().filter(a -> a[1].equals("demographics")).count() >= 12);
        assertEquals(true, corpus().filter(a -> a[1].equals("solutions")).count() >= 12);
    }

    private void refused(String dataset, byte[] body, String code) {
        String figuresBefore = IngestApi.figureTables(release);
        String contentType = body[0] == '{' ? "application/json" : "text/csv";
        upload("analyst", release, dataset, body, contentType)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/invalid-file"))
                .body("report.valid", equalTo(false))
                .body("report.rows", equalTo(0))
                .body("report.errorCount", greaterThan(0))
                .body("report.errors.code", hasItem(code))
                .body("report.errors.message", everyItem(allOf(not(containsString("java.")), not(matchesPattern("(?s).*[^\\s'(]{60}.*")))))
                .body("report.errors.column", everyItem(anyOf(nullValue(), matchesPattern(".{0,40}…?"))));
        assertEquals("ingest.demographics_r" + release + "=2,ingest.solutions_r" + release + "=2", figuresBefore, "the good files' staged tables");
        assertEquals(figuresBefore, IngestApi.figureTables(release), "nothing loaded: the good files' tables and rows stay");
        assertEquals(List.of("Camp Farchana|25", "Urban areas|7"), rows("SELECT location || '|' || total FROM ingest.demographics_r" + release + " ORDER BY 1"),
                "the current demographics figures unchanged");
        assertEquals(List.of("DEU|1200", "SYR|"), rows("SELECT asylum || '|' || coalesce(resettlement::text, '') FROM ingest.solutions_r" + release + " ORDER BY 1"),
                "the current solutions figures unchanged");
        as("analyst").get("/api/releases/" + release).then().statusCode(200)
                .body("files.size()", equalTo(2))
                .body("files.find { it.dataset == 'demographics' }.sha256", equalTo(demographicsChecksum))
                .body("files.find { it.dataset == 'solutions' }.sha256", equalTo(solutionsChecksum));
    }

    @Test
    void everyFormatLoadsTheSameFiguresAsTheSnakeCaseCsv() {
        String demo = DEMOGRAPHICS + DEMO_ROW + DEMO_TOTAL_ONLY;
        String expected = staged(loaded("demographics", utf8(demo), "text/csv", "snake-case-csv"), Dataset.DEMOGRAPHICS);
        assertEquals(expected, staged(loaded("demographics", gzip(demo), "application/gzip", "snake-case-csv+gzip"), Dataset.DEMOGRAPHICS));
        assertEquals(expected, staged(loaded("demographics", utf8("\uFEFF" + demo.replace("\n", "\r\n")), "text/csv", "snake-case-csv"),
                Dataset.DEMOGRAPHICS), "CRLF and a byte-order mark");
        assertEquals(expected, staged(loaded("demographics", gzip(DEMOGRAPHICS_LABELLED + DEMO_ROW + DEMO_TOTAL_ONLY), "application/gzip",
                "labelled-csv+gzip"), Dataset.DEMOGRAPHICS), "the Data Finder's labelled header");
        assertEquals(expected, staged(loaded("demographics", utf8(apiPage(DEMO_JSON_ITEMS)), "application/json", "api-json"), Dataset.DEMOGRAPHICS),
                "a UNHCR API page, - for not reported");

        String sol = SOLUTIONS + SOL_ROW + SOL_RETURNS;
        String solExpected = staged(loaded("solutions", utf8(sol), "text/csv", "snake-case-csv"), Dataset.SOLUTIONS);
        assertEquals(solExpected, staged(loaded("solutions", gzip("\uFEFF" + sol.replace("\n", "\r\n")), "application/gzip", "snake-case-csv+gzip"),
                Dataset.SOLUTIONS));
        assertEquals(solExpected, staged(loaded("solutions", utf8(SOLUTIONS_LABELLED + SOL_ROW + SOL_RETURNS), "text/csv", "labelled-csv"),
                Dataset.SOLUTIONS));
        assertEquals(solExpected, staged(loaded("solutions", utf8(apiPage(SOL_JSON_ITEMS)), "application/json", "api-json"), Dataset.SOLUTIONS));
        // not reported stays NULL (never 0) whatever the format said: "-", empty, null
        assertEquals("2022|SDN|TCD|ASY|U|I|Urban areas" + "|".repeat(15) + "7\n2023|SDN|TCD|REF|R|P|Camp Farchana|1|2|3|4|5|0|15|1|1|1|1|1|0|5|25", expected);
        assertEquals("2022|SYR|SYR|40|||900\n2023|SYR|DEU||1200|35|", solExpected);
    }

    @Test
    void locationsWithTabsBackslashesAndLineBreaksAreStoredExactly() {
        List<String> places = List.of("Camp\tA", "Camp\\B", "C:\\new\\table", "Camp\nD", "Camp\r\nE", "Zone \"F\"", "Ère, \\N", "\\.");
        StringBuilder csv = new StringBuilder(DEMOGRAPHICS);
        places.forEach(p -> csv.append(DEMO_ROW.replace("\"Camp Farchana\"", "\"" + p.replace("\"", "\"\"") + "\"")));
        long id = loaded("demographics", utf8(csv.toString()), "text/csv", "snake-case-csv", places.size(), List.of(2023));
        List<String> stored = rows("SELECT location FROM ingest.demographics_r" + id + " ORDER BY location COLLATE \"C\"");
        assertEquals(places.stream().sorted().toList(), stored);
    }

    @Test
    void solutionsThatAgreeWithThePopulationFileLoadWithoutWarning() {
        long id = createRelease("analyst", "Returns agree", LocalDate.of(1990, 1, 1), List.of());
        upload("analyst", id, "population", utf8(MalformedInputTest.POPULATION + MalformedInputTest.POP_ROW + POP_RETURNS), "text/csv")
                .statusCode(200).body("warnings.code", not(hasItem("returns-differ")));
        // 2020 SYR->DEU: returns not reported / 0 in the population file, not reported in solutions; 2023 is not in the population file
        upload("analyst", id, "solutions", utf8(SOLUTIONS + SOL_ROW + SOL_RETURNS
                        + "2020,\"Syrian Arab Rep.\",\"SYR\",\"SYR\",\"Germany\",\"GFR\",\"DEU\",,5,,\n"), "text/csv")
                .statusCode(200).body("valid", equalTo(true)).body("warningCount", equalTo(0));
    }

    @Test
    void solutionsWhoseReturnsDifferLoadWithAWarningWhicheverFileComesSecond() {
        String solutions = SOLUTIONS + SOL_ROW + SOL_RETURNS.replace(",40,,,900", ",41,,,900")
                + SOL_RETURNS.replace("2022,", "2021,").replace(",40,,,900", ",,,,3");
        long id = createRelease("analyst", "Returns differ", LocalDate.of(1990, 1, 1), List.of());
        upload("analyst", id, "solutions", utf8(solutions), "text/csv").statusCode(200).body("warningCount", equalTo(0));
        upload("analyst", id, "population", utf8(MalformedInputTest.POPULATION + POP_RETURNS + POP_RETURNS.replace("2022,", "2021,")), "text/csv")
                .statusCode(200)
                .body("valid", equalTo(true))
                .body("rows", equalTo(2))
                .body("warningCount", equalTo(1))
                .body("warnings[0].code", equalTo("returns-differ"))
                .body("warnings[0].line", equalTo(0))
                .body("warnings[0].column", nullValue())
                .body("warnings[0].message", containsString("for 2 year, origin and asylum key(s)"))
                .body("warnings[0].message", containsString("the first: 2021 SYR in SYR, population 40 and 900, solutions not reported and 3"));
        // the files stay loaded as sent: the returns measures read the population file
        assertEquals(List.of("2021|900", "2022|900"), rows("SELECT year || '|' || returned_idps FROM ingest.population_r" + id + " ORDER BY 1"));

        long other = createRelease("analyst", "Returns differ, solutions second", LocalDate.of(1990, 1, 1), List.of());
        upload("analyst", other, "population", utf8(MalformedInputTest.POPULATION + POP_RETURNS), "text/csv").statusCode(200);
        upload("analyst", other, "solutions", utf8(SOLUTIONS + SOL_RETURNS.replace(",40,,,900", ",41,,,900")), "text/csv")
                .statusCode(200)
                .body("warnings.code", equalTo(List.of("returns-differ")))
                .body("warnings[0].message", containsString("for 1 year, origin and asylum key(s)"))
                .body("warnings[0].message", containsString("2022 SYR in SYR, population 40 and 900, solutions 41 and 900"));
        as("analyst").get("/api/releases/" + other).then().statusCode(200).body("files.size()", equalTo(2));
    }

    /** A new release holding only this upload of two rows (2022 and 2023), which must load; its id. */
    private static long loaded(String dataset, byte[] body, String contentType, String format) {
        return loaded(dataset, body, contentType, format, 2, List.of(2022, 2023));
    }

    private static long loaded(String dataset, byte[] body, String contentType, String format, int rows, List<Integer> years) {
        long id = createRelease("analyst", "Format " + format, LocalDate.of(1990, 1, 1), List.of());
        upload("analyst", id, dataset, body, contentType).statusCode(200).body("valid", equalTo(true)).body("format", equalTo(format))
                .body("rows", equalTo(rows)).body("years", equalTo(years));
        return id;
    }

    /** A release's staged rows of a dataset, every column but the release, one line a row, in order. */
    private static String staged(long release, Dataset dataset) {
        List<String> columns = dataset.columns().subList(1, dataset.columns().size());
        String table = "ingest." + dataset.table().substring("stats.".length()) + "_r" + release;
        return String.join("\n", rows("SELECT concat_ws('|', " + String.join(", ", columns.stream().map(c -> "coalesce(" + c + "::text, '')").toList())
                + ") FROM " + table + " ORDER BY year, origin, asylum"));
    }

    private static List<String> rows(String sql) {
        try (Connection c = Postgres.shared().connectAsOwner(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static Object[] bad(String name, String dataset, String body, String code) {
        return new Object[]{name, dataset, utf8(body), code};
    }

    static String apiPage(String items) {
        return "{\"page\":1,\"maxPages\":1,\"items\":[" + items + "]}";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(utf8(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
