package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.provider.Arguments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.scalar;
import static org.asylumstats.ingest.IngestApi.upload;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A corpus of broken files: each answers its error code, loads nothing and leaves the release as it was. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputTest {

    static final String POPULATION = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n";
    static final String POP_ROW = "2020,\"Syrian Arab Rep.\",\"SYR\",\"SYR\",\"Germany\",\"GFR\",\"DEU\",100,5,-,,0,0,0,,0\n";
    static final String APPLICATIONS = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,app_type,dec_level,app_pc,applied\n";
    static final String DECISIONS = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n";

    private long release;
    private String goodChecksum;

    @BeforeEach
    void releaseWithAGoodFile() {
        if (goodChecksum != null) {
            return;
        }
        release = IngestApi.createRelease("analyst", "Corpus", LocalDate.of(1990, 1, 1), List.of());
        goodChecksum = upload("analyst", release, "population",
                (POPULATION + POP_ROW + POP_ROW.replace("\"DEU\"", "\"FRA\"").replace("GFR", "FRA")).getBytes(StandardCharsets.UTF_8), "text/csv")
                .statusCode(200).body("rows", equalTo(2)).extract().jsonPath().getString("sha256");
    }

    static final String JSON_PAGE = "{\"page\":1,\"maxPages\":1,\"items\":[{\"year\":2020,\"coo_iso\":\"SYR\",\"coa_iso\":\"DEU\",\"procedure_type\":\"G\",\"app_type\":\"N\",\"dec_level\":\"FI\",\"app_pc\":\"P\",\"applied\":\"-\"}]}";

    static Stream<Arguments> corpus() {
        return Stream.of(
                bad("missing count column", "population", POPULATION.replace(",refugees", "") + "2020,\"S\",\"SYR\",\"SYR\",\"G\",\"GFR\",\"DEU\",5,-,,0,0,0,,0\n", "missing-column"),
                bad("columns of no dataset", "population", "a,b,c\n1,2,3\n", "unrecognised-dataset"),
                bad("text in a count", "population", POPULATION + POP_ROW.replace(",100,", ",many,"), "not-an-integer"),
                bad("negative count", "population", POPULATION + POP_ROW.replace(",100,", ",-100,"), "negative-count"),
                bad("decimal count", "population", POPULATION + POP_ROW.replace(",100,", ",100.5,"), "not-an-integer"),
                bad("thousands separator", "population", POPULATION + POP_ROW.replace(",100,", ",\"1,000\","), "not-an-integer"),
                bad("unknown ISO country", "population", POPULATION + POP_ROW.replace("\"DEU\"", "\"ZZZ\""), "unknown-country"),
                bad("unknown UNHCR-only country", "population", POPULATION.replace(",coa_iso", "").replace("coa_name,", "coa_name,") + POP_ROW.replace(",\"DEU\"", "").replace("GFR", "QQQ"), "unknown-country"),
                bad("year before 1951", "population", POPULATION + POP_ROW.replace("2020,", "1950,"), "year-out-of-range"),
                bad("year far ahead", "population", POPULATION + POP_ROW.replace("2020,", "2999,"), "year-out-of-range"),
                bad("year not a number", "population", POPULATION + POP_ROW.replace("2020,", "20x0,"), "not-an-integer"),
                bad("year empty", "population", POPULATION + POP_ROW.replace("2020,", ","), "missing-value"),
                bad("no country at all", "population", POPULATION + POP_ROW.replace("\"GFR\",\"DEU\"", "\"\",\"\""), "missing-value"),
                bad("duplicate key", "population", POPULATION + POP_ROW + POP_ROW, "duplicate-key"),
                bad("unbalanced quotes", "population", POPULATION + POP_ROW.replace("\"Germany\"", "\"Germany"), "malformed-csv"),
                bad("truncated gzip", "population", Arrays.copyOf(gzip(POPULATION + POP_ROW.repeat(1)), 30), "application/gzip", "malformed-gzip"),
                bad("not UTF-8", "population", latin1(POPULATION + POP_ROW.replace("Germany", "Dänemark")), "text/csv", "invalid-encoding"),
                bad("empty file", "population", "", "empty-file"),
                bad("blank file", "population", "\n\n  \n", "empty-file"),
                bad("header only", "population", POPULATION, "no-rows"),
                bad("too many fields", "population", POPULATION + POP_ROW.replace("\n", ",7\n"), "too-many-fields"),
                bad("too few fields", "population", POPULATION + "2020,\"S\",\"SYR\",\"SYR\"\n", "too-few-fields"),
                bad("duplicate column", "population", POPULATION.replace(",hst", ",refugees") + POP_ROW, "duplicate-column"),
                bad("population uploaded as applications", "asylum-applications", POPULATION + POP_ROW, "dataset-mismatch"),
                bad("unit neither P nor C", "asylum-applications", APPLICATIONS + "2020,\"S\",\"SYR\",\"SYR\",\"G\",\"GFR\",\"DEU\",\"G\",\"N\",\"FI\",\"X\",10\n", "invalid-code"),
                bad("garbage procedure code", "asylum-applications", APPLICATIONS + "2020,\"S\",\"SYR\",\"SYR\",\"G\",\"GFR\",\"DEU\",\"G!?\",\"N\",\"FI\",\"P\",10\n", "invalid-code"),
                bad("unit column missing", "asylum-applications", APPLICATIONS.replace(",app_pc", "") + "2020,\"S\",\"SYR\",\"SYR\",\"G\",\"GFR\",\"DEU\",\"G\",\"N\",\"FI\",10\n", "missing-column"),
                bad("empty decision level", "asylum-decisions", DECISIONS + "2020,\"S\",\"SYR\",\"SYR\",\"G\",\"GFR\",\"DEU\",\"G\",\"\",\"P\",1,2,3,4,10\n", "missing-value"),
                bad("JSON array, not an API page", "asylum-applications", "[{\"year\":2020}]", "application/json", "not-an-api-page"),
                bad("JSON object without items", "asylum-applications", "{\"page\":1,\"maxPages\":1}", "application/json", "not-an-api-page"),
                bad("malformed JSON", "asylum-applications", "{\"page\":1,\"items\":[{\"year\":2020,", "application/json", "malformed-json"),
                bad("JSON count that is an object", "asylum-applications", "{\"page\":1,\"maxPages\":1,\"items\":[{\"year\":2020,\"coo_iso\":\"SYR\",\"coa_iso\":\"DEU\",\"procedure_type\":\"G\",\"app_type\":\"N\",\"dec_level\":\"FI\",\"app_pc\":\"P\",\"applied\":{\"n\":1}}]}", "application/json", "not-an-integer"),
                bad("NUL in a name column", "population", POPULATION + POP_ROW.replace("Germany", "Ger\0many"), "nul-byte"),
                bad("NUL in a count", "population", POPULATION + POP_ROW.replace(",100,", ",1\u00000,"), "nul-byte"),
                bad("NUL escaped in JSON", "asylum-applications", JSON_PAGE.replace("\"SYR\"", "\"S\\u0000YR\""), "application/json", "nul-byte"),
                bad("a 1 MB field", "population", POPULATION + POP_ROW.replace(",100,", "," + "9".repeat(1 << 20) + ","), "field-too-long"),
                bad("a row past the record limit", "population", POPULATION.replace(",hst", ",hst,x1,x2,x3,x4")
                        + ("\"" + "a".repeat(4000) + "\",").repeat(19) + "0\n", "record-too-long"),
                bad("a 250k-column header", "population", POPULATION.strip() + ",x".repeat(250_000) + "\n" + POP_ROW, "too-many-columns"),
                bad("a row of endless commas", "population", POPULATION + POP_ROW + ",".repeat(1 << 20), "too-many-fields"),
                bad("gzip bomb", "population", gzipOnce(POPULATION + POP_ROW + "\n".repeat(8 << 20)), "application/gzip", "compression-ratio-too-high"),
                bad("gzip bomb of one endless field", "population", gzipOnce(POPULATION + "2020,\"" + "a".repeat(8 << 20)), "application/gzip", "field-too-long"),
                bad("blank lines only", "population", "\n".repeat(70_000), "empty-file"),
                bad("blank lines before a bad file", "population", "\r\n".repeat(35_000) + POPULATION + POP_ROW.replace(",100,", ",-1,"), "negative-count"),
                bad("deeply nested JSON", "asylum-applications", JSON_PAGE.replace("\"applied\":\"-\"", "\"applied\":" + "[".repeat(100_000) + "]".repeat(100_000)), "application/json", "json-too-deep"),
                bad("over-long JSON string", "asylum-applications", JSON_PAGE.replace("\"SYR\"", "\"" + "S".repeat(1 << 20) + "\""), "application/json", "field-too-long"),
                bad("JSON item with 120k keys", "asylum-applications", JSON_PAGE.replace("\"year\":2020,", manyKeys(120_000) + "\"year\":2020,"), "application/json", "too-many-columns"),
                bad("JSON unknown country", "asylum-applications", "{\"page\":1,\"maxPages\":1,\"items\":[{\"year\":2020,\"coo_iso\":\"SYR\",\"coa_iso\":\"XYZ\",\"procedure_type\":\"G\",\"app_type\":\"N\",\"dec_level\":\"FI\",\"app_pc\":\"P\",\"applied\":\"-\"}]}", "application/json", "unknown-country"));
    }

    /** Dynamic tests rather than a parameterized one: @QuarkusIntegrationTest loses its state in parameterized invocations. */
    @TestFactory
    Stream<DynamicTest> refusedWithItsCodeAndNothingLoaded() {
        return corpus().map(Arguments::get).map(a -> DynamicTest.dynamicTest((String) a[0],
                () -> refusedWithItsCodeAndNothingLoaded((String) a[1], (byte[]) a[2], (String) a[3], (String) a[4])));
    }

    private void refusedWithItsCodeAndNothingLoaded(String dataset, byte[] body, String contentType, String code) {
        String figuresBefore = IngestApi.figureTables(release);
        upload("analyst", release, dataset, body, contentType)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/invalid-file"))
                .body("report.valid", equalTo(false))
                .body("report.errorCount", greaterThan(0))
                .body("report.errors.code", hasItem(code))
                .body("report.errors.message", everyItem(allOf(not(containsString("java.")), not(containsString("Exception")),
                        not(matchesPattern("(?s).*[^\\s'(]{60}.*")))))
                .body("report.errors.column", everyItem(anyOf(nullValue(), matchesPattern(".{0,40}…?"))));
        assertTrue(scalar("SELECT max(length(report::text)) FROM ingest.upload WHERE release_id = " + release) < 50_000,
                "the stored reports quote no value whole");
        assertEquals("ingest.population_r" + release + "=2", figuresBefore, "the good file's staged table");
        assertEquals(figuresBefore, IngestApi.figureTables(release), "nothing loaded: the good file's table and rows stay");
        as("analyst").get("/api/releases/" + release).then().statusCode(200)
                .body("files.size()", equalTo(1))
                .body("files[0].sha256", equalTo(goodChecksum))
                .body("files[0].rows", equalTo(2));
    }

    @org.junit.jupiter.api.Test
    void notReportedIsStoredAsNullAndZeroAsZero() {
        // POP_ROW: refugees 100, asylum_seekers 5, returned_refugees "-", idps empty, returned_idps 0, oip empty
        String where = " FROM ingest.population_r" + release + " WHERE release_id = " + release + " AND asylum = 'DEU'";
        assertEquals(100, scalar("SELECT refugees" + where));
        assertEquals(0, scalar("SELECT returned_idps" + where));
        assertEquals(0, scalar("SELECT count(*)" + where + " AND returned_idps IS NULL"));
        assertNull(nullable("SELECT returned_refugees" + where), "- is not reported");
        assertNull(nullable("SELECT idps" + where), "empty is not reported");
        assertNull(nullable("SELECT other_in_need" + where), "empty is not reported");
    }

    @org.junit.jupiter.api.Test
    void leadingBlankLinesOfAnyLengthBeforeAGoodFileAreSkipped() {
        long other = IngestApi.createRelease("analyst", "Blank lines", LocalDate.of(1990, 1, 1), List.of());
        upload("analyst", other, "population", ("\n".repeat(70_000) + POPULATION + POP_ROW).getBytes(StandardCharsets.UTF_8), "text/csv")
                .statusCode(200).body("rows", equalTo(1));
    }

    private static Long nullable(String sql) {
        try (java.sql.Connection c = org.asylumstats.testing.Postgres.shared().connectAsOwner();
             java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            long value = rs.getLong(1);
            return rs.wasNull() ? null : value;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @org.junit.jupiter.api.Test
    void errorsNameTheLineOfTheFileAsAnEditorNumbersIt() {
        String body = POPULATION + POP_ROW + POP_ROW.replace(",100,", ",many,").replace("DEU", "FRA") + POP_ROW.replace("DEU", "ITA");
        upload("analyst", release, "population", body.getBytes(StandardCharsets.UTF_8), "text/csv").statusCode(422)
                .body("report.errors[0].line", equalTo(3))
                .body("report.errors[0].column", equalTo("refugees"));
    }

    @org.junit.jupiter.api.Test
    void fileOverTheLimitIsRefusedAsTooLarge() {
        byte[] big = new byte[9 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        upload("analyst", release, "population", big, "text/csv")
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://asylum-stats.org/problems/file-too-large"));
        as("analyst").get("/api/releases/" + release).then().body("files[0].sha256", equalTo(goodChecksum));
    }

    @org.junit.jupiter.api.Test
    void sameBadBytesAgainAnswerTheSameReport() {
        byte[] body = (POPULATION + POP_ROW.replace(",100,", ",-1,")).getBytes(StandardCharsets.UTF_8);
        String first = upload("analyst", release, "population", body, "text/csv").statusCode(422).extract().jsonPath().getString("report");
        String second = upload("analyst", release, "population", body, "text/csv").statusCode(422).extract().jsonPath().getString("report");
        assertEquals(first, second);
    }

    private static Arguments bad(String name, String dataset, String body, String code) {
        return Arguments.of(name, dataset, body.getBytes(StandardCharsets.UTF_8), "text/csv", code);
    }

    private static Arguments bad(String name, String dataset, byte[] body, String contentType, String code) {
        return Arguments.of(name, dataset, body, contentType, code);
    }

    private static Arguments bad(String name, String dataset, String body, String contentType, String code) {
        return Arguments.of(name, dataset, body.getBytes(StandardCharsets.UTF_8), contentType, code);
    }

    private static byte[] gzip(String text) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(text.repeat(50).getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzipOnce(String text) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String manyKeys(int n) {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < n; i++) {
            keys.append("\"k").append(i).append("\":1,");
        }
        return keys.toString();
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
