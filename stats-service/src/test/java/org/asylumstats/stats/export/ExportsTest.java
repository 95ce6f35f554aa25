package org.asylumstats.stats.export;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.asylumstats.stats.PublishedReleases;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.asylumstats.testing.RawUnhcrFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /export/figures against the real releases (my2023, then gt2023): every expected number summed
 * from the raw files or taken from the GraphQL figures answer to the same question. The test profile
 * holds exports to 10,000 rows and JSON-stat cubes to 20,000 cells (application.properties).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class ExportsTest {

    // only the years asked about: the whole files, next to those other test classes hold, filled the test JVM's heap
    private static final RawUnhcrFile GT_POPULATION = RawUnhcrFile.read("gt2023/population.csv.gz", 2022, 2023);
    private static final RawUnhcrFile MY_APPLICATIONS = RawUnhcrFile.read("my2023/asylum_applications.csv.gz", 2022, 2023);
    private static final RawUnhcrFile GT_APPLICATIONS = RawUnhcrFile.read("gt2023/asylum_applications.csv.gz", 2022, 2023);
    private static final String CITED = "UNHCR Refugee Data Finder, CC BY 4.0";
    private static final String LICENCE_LINK = "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"";

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    private static Response export(String query) {
        return given().get("/export/figures?" + query);
    }

    private static List<CSVRecord> csv(String query) {
        Response response = export(query);
        assertEquals(200, response.statusCode(), () -> response.asString());
        try {
            return CSVFormat.DEFAULT.builder().setHeader().get().parse(new StringReader(response.asString())).getRecords();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> header(String query) {
        return List.of(export(query).asString().lines().findFirst().orElseThrow().split(","));
    }

    private static JsonPath graphql(String query) {
        JsonPath answer = new JsonPath(given().contentType("application/json").body(Map.of("query", query))
                .post("/graphql").then().statusCode(200).extract().asString())
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertNull(answer.get("errors"), () -> "errors: " + answer.prettify());
        return answer;
    }

    private static JsonPath jsonStat(String query) {
        Response response = export(query + "&format=json-stat");
        assertEquals(200, response.statusCode(), () -> response.asString());
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        return new JsonPath(response.asString()).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static void refused(String query, String type, String detailPart) {
        Response response = export(query);
        assertEquals(400, response.statusCode(), () -> query + ": " + response.asString());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        JsonPath problem = response.jsonPath();
        assertEquals("https://asylum-stats.org/problems/" + type, problem.getString("type"), query);
        assertEquals(400, problem.getInt("status"));
        assertTrue(problem.getString("detail").contains(detailPart), () -> query + ": " + problem.getString("detail"));
        assertTrue(problem.getString("detail").length() < 400, "a short detail");
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    @Test
    void aCsvExportIsTheGraphQlFiguresAnswerRowForRow() {
        String query = "measure=REFUGEES&origin=SYR&from=2022&to=2023&groupBy=YEAR,ASYLUM";
        List<CSVRecord> rows = csv(query);
        assertEquals(List.of("year", "asylum", "asylumName", "value", "status", "periodEnd", "release"), header(query));
        JsonPath answer = graphql("{ figures(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2022, to: 2023}}, groupBy: [YEAR, ASYLUM],"
                + " first: 10000) { totalRows rows { year asylum { code name } value status periodEnd } } }");
        List<Map<String, Object>> expected = new ArrayList<>(answer.getList("data.figures.rows"));
        // the export lists years in order, each year's groups largest first as figures does
        expected.sort(Comparator.comparingInt(row -> ((Number) row.get("year")).intValue()));
        assertEquals(answer.getInt("data.figures.totalRows"), rows.size());
        assertTrue(rows.size() > 100, "Syrian refugees are in more than 50 countries a year: " + rows.size());
        long[] sums = new long[2];
        for (int i = 0; i < rows.size(); i++) {
            CSVRecord row = rows.get(i);
            Map<String, Object> figure = expected.get(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> asylum = (Map<String, Object>) figure.get("asylum");
            assertEquals(Integer.toString(((Number) figure.get("year")).intValue()), row.get("year"), "row " + i);
            assertEquals(asylum.get("code"), row.get("asylum"), "row " + i);
            assertEquals(asylum.get("name"), row.get("asylumName"), "row " + i);
            assertEquals(figure.get("value") == null ? "" : Long.toString(number(figure.get("value"))), row.get("value"), "row " + i);
            assertEquals(((String) figure.get("status")).toLowerCase(java.util.Locale.ROOT), row.get("status"), "row " + i);
            assertEquals(figure.get("periodEnd"), row.get("periodEnd"), "row " + i);
            assertEquals("Global Trends 2023", row.get("release"));
            if (!row.get("value").isEmpty()) {
                sums[Integer.parseInt(row.get("year")) - 2022] += Long.parseLong(row.get("value"));
            }
        }
        for (int year : List.of(2022, 2023)) {
            assertEquals(GT_POPULATION.sum("refugees", Map.of("coo_iso", "SYR", "year", Integer.toString(year))), sums[year - 2022], "raw " + year);
        }
    }

    @Test
    void notReportedIsAnEmptyCellAndANullNeverAZero() {
        // UNHCR reports "other people in need of international protection" in few countries: the other groups are not reported
        List<CSVRecord> rows = csv("measure=OTHER_IN_NEED&from=2023&to=2023&groupBy=ASYLUM");
        long empty = rows.stream().filter(row -> row.get("value").isEmpty()).count();
        assertTrue(empty > 100, "not reported groups: " + empty);
        assertEquals(GT_POPULATION.sumBy("coa_iso", "oip", Map.of("year", "2023")).size(), rows.size() - empty, "reported groups");
        rows.stream().filter(row -> !row.get("value").isEmpty())
                .forEach(row -> assertEquals(GT_POPULATION.sum("oip", Map.of("year", "2023", "coa_iso", row.get("asylum"))),
                        Long.parseLong(row.get("value")), row.get("asylum")));

        JsonPath cube = jsonStat("measure=OTHER_IN_NEED&from=2023&to=2023&groupBy=ASYLUM");
        List<Object> values = cube.getList("value");
        assertEquals(rows.size(), values.size());
        assertEquals(empty, values.stream().filter(v -> v == null).count());
        assertEquals(rows.stream().filter(row -> row.get("value").equals("0")).count(),
                values.stream().filter(v -> v != null && ((Number) v).doubleValue() == 0).count(), "zeros only where a zero was reported");
    }

    @Test
    void aMidYearReleasesHalfYearIsFlaggedPartialAndPreliminary() {
        List<CSVRecord> rows = csv("measure=APPLICATIONS&from=2022&to=2023&groupBy=YEAR&asOf=" + PublishedReleases.midYear);
        assertEquals(2, rows.size());
        assertEquals("2022", rows.get(0).get("year"));
        assertEquals("final", rows.get(0).get("status"));
        assertEquals("2022-12-31", rows.get(0).get("periodEnd"));
        assertEquals(applications(MY_APPLICATIONS, 2022), Long.parseLong(rows.get(0).get("value")));
        assertEquals("2023", rows.get(1).get("year"));
        assertEquals("preliminary partial", rows.get(1).get("status"));
        assertEquals("2023-06-30", rows.get(1).get("periodEnd"));
        assertEquals(applications(MY_APPLICATIONS, 2023), Long.parseLong(rows.get(1).get("value")));
        assertEquals("Mid-Year Trends 2023", rows.get(1).get("release"));

        // the two years added up span years: no period end, and partial because half of 2023 is in it
        List<CSVRecord> whole = csv("measure=APPLICATIONS&from=2022&to=2023&asOf=" + PublishedReleases.midYear);
        assertEquals(List.of("value", "status", "periodEnd", "release"), header("measure=APPLICATIONS&from=2022&to=2023"));
        assertEquals("", whole.get(0).get("periodEnd"));
        assertEquals("preliminary partial", whole.get(0).get("status"));
        assertEquals(applications(MY_APPLICATIONS, 2022) + applications(MY_APPLICATIONS, 2023), Long.parseLong(whole.get(0).get("value")));

        // now gt2023 covers 2023 whole and final
        List<CSVRecord> current = csv("measure=APPLICATIONS&from=2023&to=2023&groupBy=YEAR");
        assertEquals("final", current.get(0).get("status"));
        assertEquals("2023-12-31", current.get(0).get("periodEnd"));
        assertEquals(applications(GT_APPLICATIONS, 2023), Long.parseLong(current.get(0).get("value")));
    }

    private static long applications(RawUnhcrFile file, int year) {
        return file.sum("applied", Map.of("year", Integer.toString(year), "app_pc", "P"));
    }

    @Test
    void casesAreNeverAddedToPersons() {
        List<CSVRecord> cases = csv("measure=APPLICATIONS&from=2022&to=2022&groupBy=YEAR&unit=CASES");
        assertEquals(GT_APPLICATIONS.sum("applied", Map.of("year", "2022", "app_pc", "C")), Long.parseLong(cases.get(0).get("value")));
        List<CSVRecord> persons = csv("measure=APPLICATIONS&from=2022&to=2022&groupBy=YEAR");
        assertEquals(applications(GT_APPLICATIONS, 2022), Long.parseLong(persons.get(0).get("value")));
    }

    @Test
    void jsonStatIsOneDatasetWithTheSelectionsCubeStatusAndCitation() {
        String query = "measure=APPLICATIONS&origin=SYR,AFG&from=2022&to=2023&groupBy=YEAR,ORIGIN,ASYLUM&asOf=" + PublishedReleases.midYear;
        JsonPath cube = jsonStat(query);
        List<CSVRecord> rows = csv(query);
        assertEquals("2.0", cube.getString("version"));
        assertEquals("dataset", cube.getString("class"));
        assertEquals("Asylum applications (persons)", cube.getString("label"));
        assertEquals("UNHCR Refugee Data Finder", cube.getString("source"));
        assertEquals("2023-10-25", cube.getString("updated"), "the publication date of my2023, the only release used");
        assertEquals(List.of("year", "origin", "asylum"), cube.getList("id"));
        assertEquals(List.of("year"), cube.getList("role.time"));
        assertEquals(List.of("origin", "asylum"), cube.getList("role.geo"));
        List<Integer> size = cube.getList("size").stream().map(s -> ((Number) s).intValue()).toList();
        assertEquals(2, size.get(0));
        assertEquals(2, size.get(1));
        long asylumCountries = rows.stream().map(row -> row.get("asylum")).distinct().count();
        assertEquals(asylumCountries, (long) size.get(2));
        List<Object> values = cube.getList("value");
        assertEquals(size.get(0) * size.get(1) * size.get(2), values.size(), "values = product of sizes");
        assertEquals(List.of("2022", "2023"), List.copyOf(cube.getMap("dimension.year.category.index").keySet()));
        assertEquals(0, number(cube.getMap("dimension.year.category.index").get("2022")));
        assertEquals(1, number(cube.getMap("dimension.year.category.index").get("2023")));
        assertEquals("2023", cube.getMap("dimension.year.category.label").get("2023"));
        assertEquals("Syrian Arab Rep.", cube.getString("dimension.origin.category.label.SYR"));
        assertEquals(0, ((Number) cube.get("dimension.origin.category.index.AFG")).intValue());
        assertEquals("Country of asylum", cube.getString("dimension.asylum.label"));
        // each CSV row is the cube's cell at its categories; the other cells are null
        Map<String, Object> years = cube.getMap("dimension.year.category.index");
        Map<String, Object> origins = cube.getMap("dimension.origin.category.index");
        Map<String, Object> asylums = cube.getMap("dimension.asylum.category.index");
        Map<String, Object> status = cube.getMap("status");
        int cellsSet = 0;
        for (CSVRecord row : rows) {
            int cell = (int) ((number(years.get(row.get("year"))) * size.get(1) + number(origins.get(row.get("origin")))) * size.get(2)
                    + number(asylums.get(row.get("asylum"))));
            Object value = values.get(cell);
            assertEquals(row.get("value"), value == null ? "" : Long.toString(number(value)), "cell " + cell);
            assertEquals(row.get("year").equals("2023") ? "ph" : null, status.get(Integer.toString(cell)), "status of cell " + cell);
            cellsSet++;
        }
        assertEquals(rows.size(), cellsSet);
        assertEquals(rows.size(), status.size() + rows.stream().filter(r -> r.get("year").equals("2022")).count(), "a status for every 2023 cell only");
        assertTrue(values.stream().filter(v -> v == null).count() >= values.size() - rows.size(), "absent combinations are null");
        String citation = cube.getString("extension.citation");
        assertTrue(citation.contains("Mid-Year Trends 2023"), citation);
        assertFalse(citation.contains("Global Trends 2023"), citation);
        assertTrue(citation.endsWith(CITED), citation);
        assertEquals("CC BY 4.0", cube.getString("extension.licence.label"));
        assertEquals("https://creativecommons.org/licenses/by/4.0/", cube.getString("extension.licence.href"));
        assertEquals(List.of(2023), cube.getList("extension.partialYears").stream().map(y -> ((Number) y).intValue()).toList());

        JsonPath current = jsonStat("measure=APPLICATIONS&origin=SYR&from=2022&to=2023");
        assertEquals(List.of("measure"), current.getList("id"), "no groupBy: one measure dimension of one category");
        assertEquals(1, current.getList("value").size());
        assertEquals("2024-06-13", current.getString("updated"));
        assertTrue(current.getString("extension.citation").contains("Global Trends 2023"));
        assertEquals(Map.of(), current.getMap("status"), "final and whole years: no status");
    }

    @Test
    void bothFormatsCarryTheLicenceCitationAndCachingHeaders() {
        Response csv = export("measure=REFUGEES&origin=SYR&from=2023&to=2023&groupBy=ASYLUM");
        assertEquals(200, csv.statusCode());
        assertEquals("text/csv; charset=utf-8", csv.contentType().toLowerCase(java.util.Locale.ROOT));
        assertEquals("attachment; filename=\"refugees.csv\"", csv.header("Content-Disposition"));
        assertEquals(LICENCE_LINK, csv.header("Link"));
        assertTrue(csv.header("Citation").endsWith(CITED), csv.header("Citation"));
        assertEquals("public, max-age=60", csv.header("Cache-Control"));
        String etag = csv.header("ETag");
        assertNotNull(etag);
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), "a strong tag: " + etag);

        // the same question in another spelling has the same tag; another format, another tag
        Response again = export("groupBy=ASYLUM&to=2023&from=2023&origin=SYR&measure=refugees");
        assertEquals(etag, again.header("ETag"));
        Response json = export("measure=REFUGEES&origin=SYR&from=2023&to=2023&groupBy=ASYLUM&format=json-stat");
        assertEquals(LICENCE_LINK, json.header("Link"));
        assertNotEquals(etag, json.header("ETag"));

        Response notModified = given().header("If-None-Match", etag).get("/export/figures?measure=REFUGEES&origin=SYR&from=2023&to=2023&groupBy=ASYLUM");
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.asString());
        assertEquals(etag, notModified.header("ETag"));
        assertEquals("public, max-age=60", notModified.header("Cache-Control"));
        Response otherTag = given().header("If-None-Match", "\"other\"").get("/export/figures?measure=REFUGEES&origin=SYR&from=2023&to=2023&groupBy=ASYLUM");
        assertEquals(200, otherTag.statusCode());
    }

    @Test
    void aRetractionAndAPublicationChangeTheTag() {
        String query = "/export/figures?measure=REFUGEES&origin=SYR&from=2023&to=2023";
        String before = given().get(query).header("ETag");
        PublishedReleases.setState(PublishedReleases.globalTrends, "RETRACTED");
        String retracted;
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !before.equals(given().get(query).header("ETag")));
            Response response = given().header("If-None-Match", before).get(query);
            assertEquals(200, response.statusCode(), "the old tag no longer matches");
            retracted = response.header("ETag");
            assertTrue(response.asString().contains("Mid-Year Trends 2023"), response.asString());
        } finally {
            PublishedReleases.setState(PublishedReleases.globalTrends, "PUBLISHED");
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !retracted.equals(given().get(query).header("ETag")));
        Response republished = given().header("If-None-Match", retracted).get(query);
        assertEquals(200, republished.statusCode(), "the publication changed the tag again");
        assertTrue(republished.asString().contains("Global Trends 2023"));
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        refused("measure=REFUGEE", "invalid-parameter", "measure");
        refused("groupBy=YEAR", "invalid-parameter", "measure: required");
        refused("measure=REFUGEES&groupBy=YEAR,COUNTRY", "invalid-parameter", "groupBy");
        refused("measure=REFUGEES&groupBy=PROCEDURE", "invalid-parameter", "groupBy");
        refused("measure=REFUGEES&from=abc&to=2023", "invalid-parameter", "from: 'abc' is not a year");
        refused("measure=REFUGEES&from=1800&to=2023", "invalid-parameter", "from: year 1800");
        refused("measure=REFUGEES&from=2023&to=99999999999", "invalid-parameter", "to:");
        refused("measure=REFUGEES&from=2023&to=2000", "invalid-parameter", "from: 2023 is after to 2000");
        refused("measure=REFUGEES&from=2023", "invalid-parameter", "to: required");
        refused("measure=REFUGEES&country=SYR", "invalid-parameter", "unknown parameter 'country'");
        refused("measure=REFUGEES&" + "x".repeat(100) + "=1", "invalid-parameter", "unknown parameter '" + "x".repeat(40) + "…'");
        refused("measure=REFUGEES&measure=IDPS", "invalid-parameter", "measure: given 2 times");
        refused("measure=REFUGEES&format=csv&format=csv", "invalid-parameter", "format: given 2 times");
        refused("measure=REFUGEES&origin=QQQ", "invalid-parameter", "origin: 'QQQ'");
        refused("measure=REFUGEES&origin=SYR,,AFG", "invalid-parameter", "origin: an empty value");
        refused("measure=REFUGEES&origin=" + "A".repeat(65), "invalid-parameter", "origin: '" + "A".repeat(40) + "…' is longer than 64");
        refused("measure=REFUGEES&unit=CASES", "invalid-parameter", "unit");
        refused("measure=REFUGEES&unit=HOUSEHOLDS", "invalid-parameter", "unit");
        refused("measure=REFUGEES&sex=FEMALE", "invalid-parameter", "sex");
        refused("measure=DEMOGRAPHICS&ageGroup=3-7", "invalid-parameter", "ageGroup");
        refused("measure=REFUGEES&asOf=abc", "invalid-parameter", "asOf");
        refused("measure=REFUGEES&asOf=999999", "invalid-parameter", "asOf");
        refused("measure=REFUGEES&format=xlsx", "invalid-parameter", "format: 'xlsx' is not csv or json-stat");
        StringBuilder many = new StringBuilder("measure=REFUGEES");
        for (int i = 0; i < 126; i++) {
            many.append("&origin=SYR,AFG"); // repeated and comma-separated: 252 values
        }
        refused(many.toString(), "invalid-parameter", "origin: more than 250 values");
        refused("measure=REFUGEES&origin=" + String.join(",", java.util.Collections.nCopies(251, "SYR")), "invalid-parameter",
                "origin: 251 values, at most 250");
    }

    @Test
    void aSelectionOverTheRowLimitIsRefusedNotCut() {
        // 2020-2023 by year, origin and asylum: over 20,000 groups, more than the test's 10,000
        refused("measure=REFUGEES&from=2020&to=2023&groupBy=YEAR,ORIGIN,ASYLUM", "export-too-large", "at most 10000");
        refused("measure=REFUGEES&from=2020&to=2023&groupBy=YEAR,ORIGIN,ASYLUM&format=json-stat", "export-too-large", "at most 10000");
    }

    @Test
    void aCubeOverTheCellLimitIsRefusedThoughItsRowsFit() {
        // 2023 by origin and asylum: about 6,000 rows, but 205 origins x 178 countries of asylum is about 36,000 cells
        String query = "measure=REFUGEES&from=2023&to=2023&groupBy=ORIGIN,ASYLUM";
        List<CSVRecord> rows = csv(query);
        assertTrue(rows.size() <= 10_000, "the rows fit: " + rows.size());
        long cells = rows.stream().map(r -> r.get("origin")).distinct().count() * rows.stream().map(r -> r.get("asylum")).distinct().count();
        assertTrue(cells > 20_000, "the cube does not: " + cells);
        refused(query + "&format=json-stat", "export-too-large", "more than 20000 cells");
    }
}
