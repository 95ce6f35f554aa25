package org.asylumstats.system;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.asylumstats.testing.RawUnhcrFile;
import org.awaitility.Awaitility;
import org.asylumstats.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system driven only through the gateway with real Keycloak tokens: an analyst's release,
 * a reviewer's publication, a front-end's questions (by POST, by GET under an ETag that each publication
 * and retraction changes, by persisted document id), exports in CSV and JSON-stat, a revision, a
 * retraction, and faults.
 */
@Order(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserJourneysTest {

    private static final RawUnhcrFile MY = RawUnhcrFile.read("my2023/population.csv.gz", 2020, 2023);
    private static final RawUnhcrFile GT = RawUnhcrFile.read("gt2023/population.csv.gz", 2020, 2023);
    private static final RawUnhcrFile GT_DEMOGRAPHICS = RawUnhcrFile.read("gt2023/demographics.csv.gz", 2023, 2023);
    private static final RawUnhcrFile GT_SOLUTIONS = RawUnhcrFile.read("gt2023/solutions.csv.gz", 2014, 2023);
    private static final RawUnhcrFile MY_SOLUTIONS = RawUnhcrFile.read("my2023/solutions.csv.gz", 2023, 2023);
    private static final String SYR_2023 = "{ figures(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}%s) { total preliminary releases { title } } }";

    private static final String LICENCE_LINK = "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"";
    private static final String CITED_SOURCE = "UNHCR Refugee Data Finder, CC BY 4.0";

    private static RunningSystem system;
    private static long midYear;
    private static long globalTrends;
    /** The ETag of the same GET question while each release was the latest: a publication or a retraction changes it. */
    private static String tagWithMidYear;
    private static String tagWithGlobalTrends;
    private static String exportTagWithGlobalTrends;

    @BeforeAll
    static void start() throws Exception {
        system = new RunningSystem();
        RestAssured.baseURI = system.gateway();
        RestAssured.port = -1;
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Tokens.of(system.tokenEndpoint(), user));
    }

    /** Applications in 2023: partial while Mid-Year Trends 2023 is the latest release that holds them, whole once Global Trends is. */
    private static final String PARTIAL_2023 = "{ release(id: \"%d\") { referencePeriods { year end } }"
            + " series(measure: APPLICATIONS, filter: {years: {from: 2023, to: 2023}}) { partial periodEnd }"
            + " figures(measure: APPLICATIONS, filter: {years: {from: 2023, to: 2023}}) { partialYears caveats }"
            + " compare(measure: APPLICATIONS, period: {from: 2022, to: 2023}, baseline: {from: 2020, to: 2021}) { partialYears caveats } }";

    static JsonPath graphql(String query) {
        JsonPath answer = new JsonPath(given().contentType("application/json").body(Map.of("query", query))
                .post("/graphql").then().statusCode(200).extract().asString());
        assertNull(answer.get("errors"), () -> answer.prettify());
        return answer;
    }

    static long raw(RawUnhcrFile file, String origin, int year) {
        return file.sum("refugees", Map.of("coo_iso", origin, "year", Integer.toString(year)));
    }

    private static long release(String folder, String title, String publishedOn, List<Integer> preliminary) {
        return system.submittedRelease(folder, title, publishedOn, preliminary, Map.of());
    }

    @Test
    @Order(1)
    void analystUploadsReviewerPublishesFrontEndReads() {
        midYear = system.midYear2023();
        as("analyst").post("/api/releases/" + midYear + "/publish").then().statusCode(403);
        given().post("/api/releases/" + midYear + "/publish").then().statusCode(401);
        as("reviewer").post("/api/releases/" + midYear + "/publish").then().statusCode(200).body("state", equalTo("PUBLISHED"));
        JsonPath answer = graphql(String.format(SYR_2023, ""));
        assertEquals(raw(MY, "SYR", 2023), answer.getLong("data.figures.total"));
        assertEquals(true, answer.getBoolean("data.figures.preliminary"));
        // the half year: its release says so, and so does every answer that counts it
        as("reviewer").get("/api/releases/" + midYear).then().statusCode(200)
                .body("referencePeriods[0].year", equalTo(2023)).body("referencePeriods[0].end", equalTo("2023-06-30"));
        JsonPath half = graphql(String.format(PARTIAL_2023, midYear));
        assertEquals(List.of(Map.of("year", 2023, "end", "2023-06-30")), half.getList("data.release.referencePeriods"));
        assertEquals(true, half.getBoolean("data.series[0].partial"));
        assertEquals("2023-06-30", half.getString("data.series[0].periodEnd"));
        assertEquals(List.of(2023), half.getList("data.figures.partialYears"));
        assertEquals(List.of(2023), half.getList("data.compare.partialYears"));
        for (String origin : List.of("AFG", "UKR", "CHN")) {
            JsonPath series = graphql("{ series(measure: REFUGEES, filter: {origin: [\"" + origin + "\"], years: {from: 2020, to: 2023}}) { year value } }");
            for (int i = 0; i < 4; i++) {
                assertEquals(raw(MY, origin, 2020 + i), series.getLong("data.series[" + i + "].value"), origin + " " + (2020 + i));
            }
        }
        tagWithMidYear = getQuestion(String.format(SYR_2023, "")).header("ETag");
    }

    @Test
    @Order(2)
    void theFinalReleaseRevisesAndAsOfStillAnswersTheOldNumbers() {
        globalTrends = release("gt2023", "Global Trends 2023", "2024-06-13", List.of());
        as("reviewer").post("/api/releases/" + globalTrends + "/publish").then().statusCode(200);
        JsonPath current = graphql(String.format(SYR_2023, ""));
        assertEquals(raw(GT, "SYR", 2023), current.getLong("data.figures.total"));
        assertEquals(false, current.getBoolean("data.figures.preliminary"));
        // the same GET question now has another answer, under another tag: a cache revalidating gets the new one
        Response afterPublication = getQuestion(String.format(SYR_2023, ""));
        assertEquals(raw(GT, "SYR", 2023), afterPublication.jsonPath().getLong("data.figures.total"));
        tagWithGlobalTrends = afterPublication.header("ETag");
        assertNotEquals(tagWithMidYear, tagWithGlobalTrends, "the publication changed the tag");
        pastSharedCaches().queryParam("query", String.format(SYR_2023, "")).header("If-None-Match", tagWithMidYear).get("/graphql").then()
                .statusCode(200).header("ETag", tagWithGlobalTrends);
        JsonPath revisions = graphql("{ revisions(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}) { vintages { value change status release { title } } } }");
        assertEquals(raw(MY, "SYR", 2023), revisions.getLong("data.revisions[0].vintages[0].value"));
        assertEquals(raw(GT, "SYR", 2023) - raw(MY, "SYR", 2023), revisions.getLong("data.revisions[0].vintages[1].change"));
        JsonPath asOf = graphql(String.format(SYR_2023, ", asOf: \"" + midYear + "\""));
        assertEquals(raw(MY, "SYR", 2023), asOf.getLong("data.figures.total"));
        // 30 June to 31 December: the vintages say the period changed, and the year is whole now
        JsonPath periods = graphql("{ revisions(measure: APPLICATIONS, filter: {years: {from: 2023, to: 2023}}) { vintages { periodEnd comparable changePercent } } }");
        assertEquals(List.of("2023-06-30", "2023-12-31"), periods.getList("data.revisions[0].vintages.periodEnd"));
        assertEquals(List.of(true, false), periods.getList("data.revisions[0].vintages.comparable"));
        assertNull(periods.get("data.revisions[0].vintages[1].changePercent"));
        JsonPath whole = graphql(String.format(PARTIAL_2023, midYear));
        assertEquals(false, whole.getBoolean("data.series[0].partial"));
        assertEquals(List.of(), whole.getList("data.compare.partialYears"));
    }

    @Test
    @Order(3)
    void getQuestionsAnswerAsPostDoesUnderATagThatRevalidates() {
        String question = String.format(SYR_2023, "");
        Response first = getQuestion(question);
        assertEquals(whole(graphql(question)), whole(first.jsonPath()), "GET answers as POST does");
        String tag = first.header("ETag");
        assertTrue(tag != null && tag.matches("\"[^\"]+\""), "a strong tag: " + tag);
        assertEquals("public, max-age=60", first.header("Cache-Control"));
        assertEquals(tag, getQuestion(question).header("ETag"), "the same question, the same tag, while nothing is published");

        Response revalidated = given().queryParam("query", question).header("If-None-Match", tag).get("/graphql");
        assertEquals(304, revalidated.statusCode());
        assertEquals("", revalidated.asString(), "no body");
        assertEquals(tag, revalidated.header("ETag"));
        assertEquals("public, max-age=60", revalidated.header("Cache-Control"));
        assertNull(given().contentType("application/json").body(Map.of("query", question)).post("/graphql").then().statusCode(200)
                .extract().header("ETag"), "POST answers are not tagged");

        // a user with a token gets the same answer; it carries a max-age too
        Response withToken = as("analyst").queryParam("query", question).get("/graphql").then().statusCode(200).extract().response();
        assertEquals(whole(first.jsonPath()), whole(withToken.jsonPath()));
        assertTrue(withToken.header("Cache-Control").endsWith("max-age=60"), withToken.header("Cache-Control"));

        // the dashboard's documents by their id answer as their text does
        String explore = "{\"measure\":\"REFUGEES\",\"filter\":{\"origin\":[\"SYR\"],\"years\":{\"from\":2014,\"to\":2023}},"
                + "\"yearFilter\":{\"origin\":[\"SYR\"],\"years\":{\"from\":2023,\"to\":2023}},\"groupBy\":[\"ASYLUM\"],\"first\":10,"
                + "\"period\":{\"from\":2014,\"to\":2023},\"baseline\":{\"from\":2017,\"to\":2019}}";
        String years = "\"years\":{\"from\":2014,\"to\":2023}";
        Map<String, String> documents = Map.of("catalog", "{}", "explore", explore,
                "revisions", "{\"measure\":\"REFUGEES\",\"filter\":{\"origin\":[\"SYR\"]," + years + "}}",
                "demographics", "{\"filter\":{\"origin\":[\"SDN\"],\"asylum\":[\"TCD\"],\"populationType\":[\"REF\"],\"years\":{\"from\":2023,\"to\":2023}}}",
                "solutions", "{\"filter\":{" + years + "},\"yearFilter\":{\"years\":{\"from\":2023,\"to\":2023}},\"first\":10}");
        documents.forEach((name, variables) -> {
            String id = DashboardDocuments.id(name);
            assertEquals(id, DashboardDocuments.sha256(given().get("/dashboard/graphql/" + name + ".graphql").then().statusCode(200)
                    .extract().asByteArray()), name + ": the page hashes the bytes the repository holds");
            Response byId = given().queryParam("documentId", id).queryParam("variables", variables).get("/graphql").then().statusCode(200)
                    .extract().response();
            assertNull(byId.jsonPath().get("errors"), () -> name + ": " + byId.asString());
            assertNotNull(byId.header("ETag"), name);
            Map<String, Object> asVariables = new JsonPath(variables).getMap("$");
            JsonPath byText = new JsonPath(given().contentType("application/json").body(Map.of("query", DashboardDocuments.text(name), "variables", asVariables))
                    .post("/graphql").then().statusCode(200).extract().asString());
            assertEquals(whole(byText), whole(byId.jsonPath()), name);
            JsonPath postedId = new JsonPath(given().contentType("application/json").body(Map.of("documentId", id, "variables", asVariables))
                    .post("/graphql").then().statusCode(200).extract().asString());
            assertEquals(whole(byText), whole(postedId), name + " by id in a POST body");
        });

        // an id nobody registered: a GraphQL error that no cache keeps
        Response unknown = given().queryParam("documentId", DashboardDocuments.sha256("{ countries { code } }".getBytes(StandardCharsets.UTF_8)))
                .get("/graphql").then().statusCode(200).extract().response();
        assertEquals("PERSISTED_DOCUMENT_NOT_FOUND", unknown.jsonPath().getString("errors[0].extensions.code"), unknown.asString());
        assertNull(unknown.jsonPath().get("data"), unknown.asString());
        assertEquals("no-store", unknown.header("Cache-Control"));
        assertNull(unknown.header("ETag"));
    }

    /** Naturalisations in India 2014-2023: 2020 has rows in the raw files, none of them with a figure. */
    private static final Map<String, String> NATURALISATION_IN_INDIA = Map.of("measure", "NATURALISATION", "groupBy", "YEAR",
            "asylum", "IND", "from", "2014", "to", "2023");

    @Test
    @Order(4)
    void exportsAreTheRawFilesSumsAsCsvAndJsonStatWithNotReportedLeftEmpty() {
        int year = GT_SOLUTIONS.header().indexOf("year");
        int asylum = GT_SOLUTIONS.header().indexOf("coa_iso");
        List<String> years = GT_SOLUTIONS.rows().stream().filter(r -> r[asylum].equals("IND")).map(r -> r[year]).distinct().sorted().toList();
        List<Long> sums = years.stream().map(y -> GT_SOLUTIONS.sum("naturalisation", Map.of("coa_iso", "IND", "year", y))).toList();
        assertTrue(years.contains("2020") && sums.get(years.indexOf("2020")) == null && sums.stream().filter(Objects::nonNull).count() >= 5,
                "the selection has a year with rows and nothing reported: " + years + " " + sums);

        Response csv = export(NATURALISATION_IN_INDIA, "csv");
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        assertEquals("attachment; filename=\"naturalisation.csv\"", csv.header("Content-Disposition"));
        assertEquals(LICENCE_LINK, csv.header("Link"));
        assertEquals("public, max-age=60", csv.header("Cache-Control"));
        ExportedCsv table = ExportedCsv.parse(csv.asString());
        assertEquals(List.of("year", "value", "status", "periodEnd", "release"), table.header());
        assertEquals(years, table.column("year"));
        assertEquals(sums.stream().map(v -> v == null ? "" : v.toString()).toList(), table.column("value"), "not reported is empty, never 0");
        assertEquals(years.stream().map(y -> "final").toList(), table.column("status"));
        assertEquals(years.stream().map(y -> y + "-12-31").toList(), table.column("periodEnd"));
        assertEquals(years.stream().map(y -> "Global Trends 2023").toList(), table.column("release"));
        exportTagWithGlobalTrends = csv.header("ETag");
        Response revalidated = given().queryParams(NATURALISATION_IN_INDIA).queryParam("format", "csv")
                .header("If-None-Match", exportTagWithGlobalTrends).get("/export/figures");
        assertEquals(304, revalidated.statusCode());
        assertEquals("", revalidated.asString());
        assertEquals(exportTagWithGlobalTrends, revalidated.header("ETag"));
        assertEquals(csv.asString(), as("analyst").queryParams(NATURALISATION_IN_INDIA).queryParam("format", "csv").get("/export/figures")
                .then().statusCode(200).extract().asString(), "the same file with a token");

        Response statAnswer = export(NATURALISATION_IN_INDIA, "json-stat");
        assertTrue(statAnswer.contentType().startsWith("application/json"), statAnswer.contentType());
        assertEquals(LICENCE_LINK, statAnswer.header("Link"));
        assertNotNull(statAnswer.header("ETag"));
        JsonPath stat = statAnswer.jsonPath();
        assertEquals("2.0", stat.getString("version"));
        assertEquals("dataset", stat.getString("class"));
        assertEquals(List.of("year"), stat.getList("id"));
        assertEquals(List.of(years.size()), stat.getList("size"));
        assertEquals(years, jsonStatCategories(stat, "year"));
        assertEquals(sums, stat.getList("value").stream().map(v -> v == null ? null : ((Number) v).longValue()).toList(), "null where not reported");
        for (int i = 0; i < years.size(); i++) {
            assertNull(jsonStatStatus(stat, i), "final whole years carry no status: " + years.get(i));
        }
        assertNotNull(stat.getString("label"));
        assertNotNull(stat.getString("updated"));
        assertTrue(stat.getString("source").contains("UNHCR"), stat.getString("source"));
        assertTrue(stat.getString("extension.citation").contains("Global Trends 2023") && stat.getString("extension.citation").contains(CITED_SOURCE),
                stat.getString("extension.citation"));
        assertNotNull(stat.get("extension.licence"));
    }

    /** The whole answer, to compare two as data (not as bytes). */
    static Object whole(JsonPath answer) {
        return answer.get("$");
    }

    /**
     * A GET question through the gateway, anonymous; 200. It asks past the gateway's shared cache (which may
     * keep an answer for its max-age after a publication), so that what is checked is what is current.
     */
    static Response getQuestion(String query) {
        return pastSharedCaches().queryParam("query", query).get("/graphql").then().statusCode(200).extract().response();
    }

    /** An export through the gateway, anonymous, past its shared cache; 200. */
    static Response export(Map<String, String> selection, String format) {
        return pastSharedCaches().queryParams(selection).queryParam("format", format).get("/export/figures").then().statusCode(200)
                .extract().response();
    }

    /** A request that caches on the way must not answer from what they keep (RFC 9111 no-cache). */
    static RequestSpecification pastSharedCaches() {
        return given().header("Cache-Control", "no-cache");
    }

    /** A JSON-stat dimension's category ids in their order (the index is an array or an object of positions). */
    static List<String> jsonStatCategories(JsonPath stat, String dimension) {
        Object index = stat.get("dimension." + dimension + ".category.index");
        if (index instanceof List<?> ids) {
            return ids.stream().map(String::valueOf).toList();
        }
        Map<?, ?> positions = (Map<?, ?>) index;
        return positions.entrySet().stream().sorted(Comparator.comparingInt(e -> ((Number) e.getValue()).intValue()))
                .map(e -> String.valueOf(e.getKey())).toList();
    }

    /** The status of the value at {@code position}: JSON-stat allows one string for all, an array, or an object by position. */
    static String jsonStatStatus(JsonPath stat, int position) {
        Object status = stat.get("status");
        if (status == null || status instanceof String) {
            return (String) status;
        }
        if (status instanceof List<?> each) {
            return (String) each.get(position);
        }
        return (String) ((Map<?, ?>) status).get(Integer.toString(position));
    }

    @Test
    @Order(5)
    void demographicsAndResettlementAnswerTheRawFilesSums() {
        // refugees from Sudan in Chad at the end of 2023, by age group: both sexes' bands, and the unknown age
        // of each sex together with the persons counted without any breakdown
        Map<String, String> sudanInChad = Map.of("year", "2023", "coo_iso", "SDN", "coa_iso", "TCD", "pop_type", "REF");
        JsonPath byAge = graphql("{ figures(measure: DEMOGRAPHICS, groupBy: [AGE_GROUP], first: 10, filter: {origin: [\"SDN\"], asylum: [\"TCD\"],"
                + " populationType: [\"REF\"], years: {from: 2023, to: 2023}}) { total rows { ageGroup value } } }");
        long total = rawOrZero(GT_DEMOGRAPHICS, "total", sudanInChad);
        long withoutBreakdown = total - rawOrZero(GT_DEMOGRAPHICS, "f_total", sudanInChad) - rawOrZero(GT_DEMOGRAPHICS, "m_total", sudanInChad);
        assertTrue(withoutBreakdown > 0, "the selection has persons without a breakdown: " + withoutBreakdown);
        assertEquals(total, byAge.getLong("data.figures.total"));
        Map<String, String> bands = Map.of("0-4", "0_4", "5-11", "5_11", "12-17", "12_17", "18-59", "18_59", "60+", "60", "UNKNOWN", "other");
        List<Map<String, Object>> rows = byAge.getList("data.figures.rows");
        assertEquals(bands.size(), rows.size(), rows.toString());
        for (Map<String, Object> row : rows) {
            String band = bands.get((String) row.get("ageGroup"));
            long expected = rawOrZero(GT_DEMOGRAPHICS, "f_" + band, sudanInChad) + rawOrZero(GT_DEMOGRAPHICS, "m_" + band, sudanInChad)
                    + (band.equals("other") ? withoutBreakdown : 0);
            assertEquals(expected, ((Number) row.get("value")).longValue(), "age group " + row.get("ageGroup"));
        }

        // resettlement arrivals in 2023 by resettlement country (the country of asylum), largest first
        JsonPath resettlement = graphql("{ figures(measure: RESETTLEMENT, groupBy: [ASYLUM], first: 5, filter: {years: {from: 2023, to: 2023}})"
                + " { total rows { asylum { code } value } } }");
        Map<String, Long> byCountry = GT_SOLUTIONS.sumBy("coa_iso", "resettlement", Map.of("year", "2023"));
        List<Map.Entry<String, Long>> top = byCountry.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5).toList();
        assertEquals(top.stream().map(Map.Entry::getKey).toList(), resettlement.getList("data.figures.rows.asylum.code"));
        assertEquals(top.stream().map(Map.Entry::getValue).toList(),
                resettlement.getList("data.figures.rows.value", Long.class));
        assertEquals(byCountry.values().stream().mapToLong(Long::longValue).sum(), resettlement.getLong("data.figures.total"));

        // as the mid-year release had it: January to June only, and said so
        JsonPath firstHalf = graphql("{ series(measure: RESETTLEMENT, asOf: \"" + midYear + "\", filter: {years: {from: 2023, to: 2023}})"
                + " { value partial periodEnd } }");
        assertEquals(MY_SOLUTIONS.sum("resettlement", Map.of("year", "2023")), firstHalf.getLong("data.series[0].value"));
        assertEquals(true, firstHalf.getBoolean("data.series[0].partial"));
        assertEquals("2023-06-30", firstHalf.getString("data.series[0].periodEnd"));
    }

    private static long rawOrZero(RawUnhcrFile file, String column, Map<String, String> filters) {
        Long sum = file.sum(column, filters);
        return sum == null ? 0 : sum;
    }

    @Test
    @Order(6)
    void retractionMakesTheEarlierFiguresCurrentAgain() {
        as("reviewer").post("/api/releases/" + globalTrends + "/retract").then().statusCode(403);
        as("admin").post("/api/releases/" + globalTrends + "/retract").then().statusCode(200).body("state", equalTo("RETRACTED"));
        assertEquals(raw(MY, "SYR", 2023), eventually(String.format(SYR_2023, ""), raw(MY, "SYR", 2023)));
        assertEquals(true, graphql(String.format(PARTIAL_2023, midYear)).getBoolean("data.series[0].partial"), "the half year is back");
        assertNotEquals(tagWithGlobalTrends, getQuestion(String.format(SYR_2023, "")).header("ETag"), "the retraction changed the tag");
        assertNotEquals(exportTagWithGlobalTrends, export(NATURALISATION_IN_INDIA, "csv").header("ETag"), "the retraction changed the export's tag");

        // the mid-year release is current again: its 2023 resettlement is preliminary and covers January to June only
        Map<String, String> resettlement2023 = Map.of("measure", "RESETTLEMENT", "groupBy", "YEAR", "from", "2023", "to", "2023");
        ExportedCsv csv = ExportedCsv.parse(export(resettlement2023, "csv").asString());
        assertEquals(List.of("2023"), csv.column("year"));
        assertEquals(List.of(Long.toString(MY_SOLUTIONS.sum("resettlement", Map.of("year", "2023")))), csv.column("value"));
        assertEquals(List.of("preliminary partial"), csv.column("status"));
        assertEquals(List.of("2023-06-30"), csv.column("periodEnd"));
        assertEquals(List.of("Mid-Year Trends 2023"), csv.column("release"));
        JsonPath stat = export(resettlement2023, "json-stat").jsonPath();
        assertEquals("ph", jsonStatStatus(stat, 0), "preliminary and a part of the year: " + stat.prettify());
    }

    @Test
    @Order(7)
    void statsServiceDownThen503ThenBackWithoutStaleAnswers() throws Exception {
        system.kill("stats-service");
        long t0 = System.currentTimeMillis();
        given().contentType("application/json").body(Map.of("query", "{ releases { id } }")).post("/graphql").then()
                .statusCode(503).contentType("application/problem+json");
        org.junit.jupiter.api.Assertions.assertTrue(System.currentTimeMillis() - t0 < 5_000, "503 quickly");
        // a publication while stats-service is down
        long again = release("gt2023", "Global Trends 2023 (re-issued)", "2024-06-14", List.of());
        as("reviewer").post("/api/releases/" + again + "/publish").then().statusCode(200);
        system.start("stats-service");
        system.awaitReady("stats-service");
        assertEquals(raw(GT, "SYR", 2023), eventually(String.format(SYR_2023, ""), raw(GT, "SYR", 2023)));
    }

    @Test
    @Order(8)
    void aBoundedLoadRunThroughTheGatewayHasNoErrors() throws Exception {
        List<String> queries = List.of(
                "{ series(measure: REFUGEES, filter: {origin: [\"%s\"], years: {from: 2000, to: 2023}}) { year value status } }",
                "{ figures(measure: ASYLUM_SEEKERS, filter: {origin: [\"%s\"], years: {from: 2023, to: 2023}}, groupBy: [ASYLUM], first: 10) { total rows { asylum { name } value share } } }",
                "{ compare(measure: REFUGEES, filter: {origin: [\"%s\"]}, period: {from: 2021, to: 2023}, baseline: {from: 2017, to: 2019}) { ratio } }",
                "{ revisions(measure: REFUGEES, filter: {origin: [\"%s\"], years: {from: 2022, to: 2023}}) { year vintages { value } } }");
        List<String> origins = List.of("SYR", "AFG", "UKR", "VEN", "SSD", "MMR", "COD", "SDN");
        int total = 2_000;
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
        long[] latencies = new long[total];
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
        for (int w = 0; w < 16; w++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < total; ) {
                    String query = String.format(queries.get(i % queries.size()), origins.get(i / queries.size() % origins.size()));
                    long t0 = System.nanoTime();
                    try {
                        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.gateway() + "/graphql"))
                                .timeout(java.time.Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\":\"" + query.replace("\"", "\\\"") + "\"}")).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200 || response.body().contains("\"errors\"")) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t0;
                }
                return null;
            }));
        }
        for (var w : workers) {
            w.get(5, java.util.concurrent.TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        java.util.Arrays.sort(latencies);
        System.out.printf("load run through the gateway: %d requests, 16 clients, %.1f s, %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors%n",
                total, seconds, total / seconds, latencies[total / 2] / 1e6, latencies[total * 99 / 100] / 1e6, errors.get());
        assertEquals(0, errors.get(), "errors in the load run");
    }

    @Test
    @Order(9)
    void postgresStoppedDuringAnUploadLosesNothingAndLoadsNothingHalf() throws Exception {
        long release = as("analyst").contentType("application/json")
                .body(Map.of("title", "Interrupted", "publishedOn", "1990-01-01", "preliminaryYears", List.of()))
                .post("/api/releases").then().statusCode(201).extract().jsonPath().getLong("id");
        byte[] big = syntheticPopulation(1_500_000);
        String token = Tokens.of(system.tokenEndpoint(), "analyst");
        var upload = java.util.concurrent.CompletableFuture.supplyAsync(() -> given().auth().oauth2(token)
                .contentType("application/gzip").body(big).put("/api/releases/" + release + "/datasets/population").statusCode());
        // stop the database while the file is being copied in, not before or after
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(UserJourneysTest::copyRunning);
        system.stopPostgres();
        int status = upload.get(2, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals(503, status, "the interrupted upload answers 503 database-unavailable");
        // publication while the database is down fails cleanly too
        as("reviewer").post("/api/releases/" + midYear + "/publish").then().statusCode(503)
                .body("type", equalTo("https://asylum-stats.org/problems/database-unavailable"));
        system.startPostgres();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> as("analyst").get("/api/releases/" + release).statusCode() == 200);
        as("analyst").get("/api/releases/" + release).then().statusCode(200).body("files.size()", equalTo(0));
        try (var c = system.postgres.connectAsOwner(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM stats.population WHERE release_id = " + release)) {
            rs.next();
            assertEquals(0, rs.getLong(1), "no row of the interrupted file stayed");
        }
        assertEquals(raw(GT, "SYR", 2023), eventually(String.format(SYR_2023, ""), raw(GT, "SYR", 2023)));
    }

    /** A valid population file of {@code rows} distinct keys (gzip), big enough to take seconds to load. */
    private static byte[] syntheticPopulation(int rows) throws java.io.IOException {
        List<String> codes = List.of("AFG", "ALB", "DZA", "AGO", "ARG", "ARM", "AUS", "AUT", "AZE", "BGD", "BLR", "BEL", "BEN", "BTN", "BOL",
                "BIH", "BWA", "BRA", "BGR", "BFA", "BDI", "KHM", "CMR", "CAN", "CAF", "TCD", "CHL", "CHN", "COL", "COD", "COG", "CRI", "CIV",
                "HRV", "CUB", "CYP", "CZE", "DNK", "DJI", "DOM", "ECU", "EGY", "SLV", "ERI", "EST", "ETH", "FIN", "FRA", "GAB", "GMB", "GEO",
                "DEU", "GHA", "GRC", "GTM", "GIN", "HTI", "HND", "HUN", "IND", "IDN", "IRN", "IRQ", "IRL", "ISR", "ITA", "JPN", "JOR", "KAZ",
                "KEN", "KWT", "KGZ", "LAO", "LVA", "LBN", "LBR", "LBY", "LTU", "LUX", "MDG", "MWI", "MYS", "MLI", "MRT", "MEX", "MDA", "MNG",
                "MNE", "MAR", "MOZ", "MMR", "NAM", "NPL", "NLD", "NZL", "NIC", "NER", "NGA", "NOR", "PAK", "PAN", "PRY", "PER", "PHL", "POL");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(bytes), java.nio.charset.StandardCharsets.UTF_8))) {
            out.write("year,coo_iso,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n");
            int n = codes.size();
            for (int i = 0; i < rows; i++) {
                out.write((1951 + i / (n * n)) + "," + codes.get(i / n % n) + "," + codes.get(i % n) + "," + (i % 1000) + ",0,0,0,0,0,0,,0\n");
            }
        }
        return bytes.toByteArray();
    }

    @Test
    @Order(10)
    void aHungStatsServiceTimesOutQuicklyWithoutHoldingTheRestOfTheSystem() throws Exception {
        String question = "{ releases { id } }";
        system.pause("stats-service"); // SIGSTOP: connections are accepted by the kernel, nothing answers
        try {
            long t0 = System.nanoTime();
            given().contentType("application/json").body(Map.of("query", question)).post("/graphql").then()
                    .statusCode(504).contentType("application/problem+json");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 15, "answered after " + seconds + " s; the stats timeout is 5 s");
            // the other back-end is not held up by the hung one
            as("analyst").get("/api/releases").then().statusCode(200);
        } finally {
            system.resume("stats-service");
        }
        given().contentType("application/json").body(Map.of("query", question)).post("/graphql").then().statusCode(200);
    }

    @Test
    @Order(11)
    void issuedTokensOutliveAKeycloakOutageButNewLoginsFailCleanly() {
        String issued = Tokens.of(system.tokenEndpoint(), "analyst");
        system.keycloak.close();
        given().auth().oauth2(issued).get("/api/releases").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Tokens.fetch(system.tokenEndpoint(), "reviewer"));
    }

    /** The answer's total, polled until it equals {@code expected} (cache drops arrive by NOTIFY) or 10 s pass. */
    private static long eventually(String query, long expected) {
        long[] seen = {-1};
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Long total = new JsonPath(given().contentType("application/json").body(Map.of("query", query)).post("/graphql").asString())
                        .getLong("data.figures.total");
                seen[0] = total == null ? -1 : total;
                return seen[0] == expected;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller's assertion reports the last value seen
        }
        return seen[0];
    }

    /** Whether a COPY (the upload being loaded) is running in PostgreSQL right now. */
    private static boolean copyRunning() throws java.sql.SQLException {
        try (var c = system.postgres.connectAsOwner(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query ILIKE 'COPY%'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
