package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.asylumstats.testing.RawUnhcrFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Answers over the real my2023 and gt2023 releases, checked against sums computed from the raw files. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class GraphQlAnswersTest {

    @TestHTTPResource(value = "/health/ready", management = true) // relative to the management root, /q
    URL readiness;

    static final RawUnhcrFile GT_POPULATION = RawUnhcrFile.read("gt2023/population.csv.gz");
    static final RawUnhcrFile MY_POPULATION = RawUnhcrFile.read("my2023/population.csv.gz");

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    static JsonPath graphql(String query) {
        // doubles, not REST Assured's default floats: shares and ratios are checked to 1e-9
        JsonPath answer = new JsonPath(given().contentType("application/json").body(Map.of("query", query))
                .post("/graphql").then().statusCode(200).extract().asString())
                .using(new io.restassured.path.json.config.JsonPathConfig(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
        assertNull(answer.get("errors"), () -> "errors: " + answer.prettify());
        return answer;
    }

    static Long raw(RawUnhcrFile file, String column, String origin, int year) {
        return file.sum(column, Map.of("coo_iso", origin, "year", Integer.toString(year)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SYR", "AFG", "CHN", "UKR"})
    void seriesMatchesTheRawFile(String origin) {
        JsonPath answer = graphql("{ series(measure: ASYLUM_SEEKERS, filter: {origin: [\"" + origin + "\"], years: {from: 2000, to: 2023}}) { year value status release { title } } }");
        List<Map<String, Object>> points = answer.getList("data.series");
        assertEquals(24, points.size());
        for (Map<String, Object> p : points) {
            int year = (Integer) p.get("year");
            Long expected = raw(GT_POPULATION, "asylum_seekers", origin, year);
            Object value = p.get("value");
            assertEquals(expected, value == null ? null : ((Number) value).longValue(), origin + " " + year);
            assertEquals("FINAL", p.get("status"));
        }
    }

    @Test
    void topDestinationsWithSharesAndTotal() {
        JsonPath answer = graphql("{ figures(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}, groupBy: [ASYLUM], first: 5)"
                + " { total totalRows preliminary rows { asylum { code name } value share status } releases { title } caveats } }");
        long total = answer.getLong("data.figures.total");
        assertEquals(raw(GT_POPULATION, "refugees", "SYR", 2023), total);
        List<Map<String, Object>> rows = answer.getList("data.figures.rows");
        assertEquals(5, rows.size());
        long previous = Long.MAX_VALUE;
        for (Map<String, Object> row : rows) {
            String asylum = (String) ((Map<?, ?>) row.get("asylum")).get("code");
            long value = ((Number) row.get("value")).longValue();
            assertEquals(GT_POPULATION.sum("refugees", Map.of("coo_iso", "SYR", "coa_iso", asylum, "year", "2023")), value, asylum);
            assertEquals((double) value / total, ((Number) row.get("share")).doubleValue(), 1e-9);
            assertTrue(value <= previous);
            previous = value;
        }
        assertEquals(List.of("Global Trends 2023"), answer.getList("data.figures.releases.title"));
        JsonPath all = graphql("{ figures(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}, groupBy: [ASYLUM], first: 10000) { totalRows rows { share } } }");
        double shares = all.getList("data.figures.rows.share", Double.class).stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, shares, 1e-9);
    }

    @Test
    void inputTypesCarryTheContractsNamesSoThatVariablesCanBeDeclared() {
        JsonPath answer = given().contentType("application/json").body(Map.of(
                "query", "query($f: FigureFilter, $p: YearRange!) { compare(measure: REFUGEES, filter: $f, period: $p, baseline: {from: 2017, to: 2019}) { ratio } }",
                "variables", Map.of("f", Map.of("origin", List.of("UKR")), "p", Map.of("from", 2022, "to", 2023))))
                .post("/graphql").then().statusCode(200).extract().jsonPath();
        assertNull(answer.get("errors"), answer::prettify);
        assertNotNull(answer.get("data.compare.ratio"));
    }

    @Test
    void compareAndPeak() {
        JsonPath answer = graphql("{ compare(measure: REFUGEES, filter: {origin: [\"UKR\"]}, period: {from: 2022, to: 2023}, baseline: {from: 2017, to: 2019})"
                + " { periodTotal baselineTotal periodYearlyMean baselineYearlyMean ratio }"
                + " peak(measure: REFUGEES, filter: {origin: [\"UKR\"]}) { year value } }");
        long period = raw(GT_POPULATION, "refugees", "UKR", 2022) + raw(GT_POPULATION, "refugees", "UKR", 2023);
        long baseline = raw(GT_POPULATION, "refugees", "UKR", 2017) + raw(GT_POPULATION, "refugees", "UKR", 2018) + raw(GT_POPULATION, "refugees", "UKR", 2019);
        assertEquals(period, answer.getLong("data.compare.periodTotal"));
        assertEquals(baseline, answer.getLong("data.compare.baselineTotal"));
        assertEquals((period / 2.0) / (baseline / 3.0), answer.getDouble("data.compare.ratio"), 1e-9);
        int peakYear = answer.getInt("data.peak.year");
        long peak = answer.getLong("data.peak.value");
        for (int y = 1951; y <= 2023; y++) {
            Long v = raw(GT_POPULATION, "refugees", "UKR", y);
            assertTrue(v == null || v <= peak, "peak " + peakYear + " below " + y);
        }
        assertEquals(raw(GT_POPULATION, "refugees", "UKR", peakYear), peak);
    }

    @Test
    void revisionsAndAsOfShowTheMidYearFigure() {
        JsonPath revisions = graphql("{ revisions(measure: REFUGEES, filter: {origin: [\"AFG\"], years: {from: 2023, to: 2023}}) { year vintages { release { title } value change status } } }");
        List<Map<String, Object>> vintages = revisions.getList("data.revisions[0].vintages");
        assertEquals(2, vintages.size());
        long mid = raw(MY_POPULATION, "refugees", "AFG", 2023);
        long end = raw(GT_POPULATION, "refugees", "AFG", 2023);
        assertEquals(mid, ((Number) vintages.get(0).get("value")).longValue());
        assertEquals("PRELIMINARY", vintages.get(0).get("status"));
        assertEquals(end, ((Number) vintages.get(1).get("value")).longValue());
        assertEquals(end - mid, ((Number) vintages.get(1).get("change")).longValue());
        assertEquals("FINAL", vintages.get(1).get("status"));

        JsonPath asOf = graphql("{ figures(measure: REFUGEES, filter: {origin: [\"AFG\"], years: {from: 2023, to: 2023}}, asOf: \"" + PublishedReleases.midYear + "\") { total preliminary releases { title } } }");
        assertEquals(mid, asOf.getLong("data.figures.total"));
        assertTrue(asOf.getBoolean("data.figures.preliminary"));
    }

    @Test
    void casesAreNeverAddedToPersons() {
        RawUnhcrFile applications = RawUnhcrFile.read("gt2023/asylum_applications.csv.gz");
        JsonPath persons = graphql("{ figures(measure: APPLICATIONS, filter: {asylum: [\"USA\"], years: {from: 2017, to: 2017}}) { unit total caveats } }");
        assertEquals(applications.sum("applied", Map.of("coa_iso", "USA", "year", "2017", "app_pc", "P")), persons.getLong("data.figures.total"));
        assertTrue(persons.getList("data.figures.caveats", String.class).stream().anyMatch(c -> c.contains("CASES")));
        JsonPath cases = graphql("{ figures(measure: APPLICATIONS, filter: {asylum: [\"USA\"], years: {from: 2017, to: 2017}, unit: CASES}) { unit total } }");
        assertEquals("CASES", cases.getString("data.figures.unit"));
        assertEquals(applications.sum("applied", Map.of("coa_iso", "USA", "year", "2017", "app_pc", "C")), cases.getLong("data.figures.total"));
    }

    @Test
    void notReportedStaysNull() {
        JsonPath answer = graphql("{ figures(measure: OTHER_IN_NEED, filter: {years: {from: 2000, to: 2010}}) { total rows { value } caveats } }");
        assertNull(answer.get("data.figures.total"));
        assertTrue(answer.getList("data.figures.caveats", String.class).stream().anyMatch(c -> c.contains("nothing reported")));
    }

    @Test
    void recognitionRateFollowsUnhcrsFormula() {
        RawUnhcrFile decisions = RawUnhcrFile.read("gt2023/asylum_decisions.csv.gz");
        JsonPath answer = graphql("{ recognitionRates(filter: {origin: [\"SYR\"], asylum: [\"DEU\"], years: {from: 2022, to: 2022}}) { recognized complementary rejected totalRecognitionRate } }");
        Map<String, String> f = Map.of("coo_iso", "SYR", "coa_iso", "DEU", "year", "2022", "dec_pc", "P");
        long rec = decisions.sum("dec_recognized", f);
        long comp = decisions.sum("dec_other", f);
        long rej = decisions.sum("dec_rejected", f);
        assertEquals(rec, answer.getLong("data.recognitionRates[0].recognized"));
        assertEquals((double) (rec + comp) / (rec + comp + rej), answer.getDouble("data.recognitionRates[0].totalRecognitionRate"), 1e-12);
    }

    @Test
    void unhcrCodesAreAcceptedAndBadQuestionsGetClearErrors() {
        assertEquals(graphql("{ figures(measure: REFUGEES, filter: {asylum: [\"DEU\"], years: {from: 2020, to: 2020}}) { total } }").getLong("data.figures.total"),
                graphql("{ figures(measure: REFUGEES, filter: {asylum: [\"GFR\"], years: {from: 2020, to: 2020}}) { total } }").getLong("data.figures.total"));
        assertError("{ figures(measure: REFUGEES, filter: {origin: [\"XQZ\"]}) { total } }", "not a known ISO3 or UNHCR country code");
        assertError("{ figures(measure: REFUGEES, filter: {procedure: [\"G\"]}) { total } }", "does not apply to REFUGEES");
        assertError("{ figures(measure: REFUGEES, first: 20000) { total } }", "first must be between");
        assertError("{ figures(measure: REFUGEES, groupBy: [DECISION_LEVEL]) { total } }", "does not apply");
        assertError("{ figures(measure: REFUGEES, asOf: \"999999\") { total } }", "not a published release");
        JsonPath deep = given().contentType("application/json")
                .body(Map.of("query", "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }"))
                .post("/graphql").then().extract().jsonPath();
        assertTrue(deep.getList("errors") != null && !deep.getList("errors").isEmpty(), "depth limit");
    }

    @Test
    void retractionDropsCachedAnswers() {
        assertRetractionReachesTheAnswers();
    }

    /** A retraction notified while an answer is cached: the next answers are the earlier release's. */
    static void assertRetractionReachesTheAnswers() {
        String query = "{ figures(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}) { total releases { title } } }";
        assertEquals(raw(GT_POPULATION, "refugees", "SYR", 2023), graphql(query).getLong("data.figures.total"));
        PublishedReleases.setState(PublishedReleases.globalTrends, "RETRACTED");
        try {
            long expected = raw(MY_POPULATION, "refugees", "SYR", 2023);
            // the cache is dropped when the retraction is notified
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(100))
                    .until(() -> graphql(query).getLong("data.figures.total") == expected);
        } finally {
            PublishedReleases.setState(PublishedReleases.globalTrends, "PUBLISHED");
        }
    }

    @Test
    void anInvalidTokenIsRefusedEvenThoughReadsArePublic() {
        given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").contentType("application/json")
                .body(Map.of("query", "{ countries { code } }")).post("/graphql").then().statusCode(401);
        given().contentType("application/json").body(Map.of("query", "{ countries { code name region } }"))
                .post("/graphql").then().statusCode(200).body("data.countries.size()", org.hamcrest.Matchers.greaterThan(200));
    }

    @Test
    void healthIsOnTheManagementInterfaceOnly() {
        given().get(readiness).then().statusCode(200).body("status", containsString("UP"));
        given().get("/q/health/ready").then().statusCode(404);
    }

    static void assertError(String query, String message) {
        given().contentType("application/json").body(Map.of("query", query)).post("/graphql").then()
                .body("errors[0].message", containsString(message)).body("errors[0].message", notNullValue());
    }
}
