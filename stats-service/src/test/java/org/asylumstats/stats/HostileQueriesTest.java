package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Questions an attacker would ask: each limit crossed (and a question just within it answered), with the exact error code. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class HostileQueriesTest {

    private static final int NEXT_YEAR = Year.now().getValue() + 1;

    @Inject
    Catalog catalog;

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    static JsonPath ask(String query) {
        return given().contentType("application/json").body(Map.of("query", query))
                .post("/graphql").then().statusCode(200).extract().jsonPath();
    }

    /** The request's only error, asserted to carry {@code code}; returns it. */
    static Map<String, Object> onlyError(JsonPath answer, String code) {
        List<Map<String, Object>> errors = answer.getList("errors");
        assertNotNull(errors, () -> "no error: " + answer.prettify());
        assertEquals(1, errors.size(), answer::prettify);
        @SuppressWarnings("unchecked")
        Map<String, Object> extensions = (Map<String, Object>) errors.get(0).get("extensions");
        assertEquals(code, extensions.get("code"), answer::prettify);
        return errors.get(0);
    }

    static void answered(JsonPath answer) {
        assertNull(answer.get("errors"), answer::prettify);
        assertNotNull(answer.get("data"), answer::prettify);
    }

    @Test
    void yearsOutsideTheStatisticsAreRefusedEverywhereAYearEnters() {
        onlyError(ask("{ figures(measure: REFUGEES, filter: {years: {from: 1, to: 1000000}}) { total caveats } }"), "year-out-of-range");
        onlyError(ask("{ series(measure: REFUGEES, filter: {years: {from: 2000, to: 2147483647}}) { year } }"), "year-out-of-range");
        onlyError(ask("{ series(measure: REFUGEES, filter: {years: {from: 1950, to: 1960}}) { year } }"), "year-out-of-range");
        onlyError(ask("{ revisions(measure: REFUGEES, filter: {years: {from: -5, to: 2000}}) { year } }"), "year-out-of-range");
        onlyError(ask("{ recognitionRates(filter: {years: {from: 2000, to: " + (NEXT_YEAR + 1) + "}}) { year } }"), "year-out-of-range");
        onlyError(ask("{ peak(measure: REFUGEES, filter: {years: {from: 0, to: 2000}}) { year } }"), "year-out-of-range");
        onlyError(ask("{ compare(measure: REFUGEES, period: {from: 2020, to: 2023}, baseline: {from: 1, to: 1000000}) { ratio } }"), "year-out-of-range");
        onlyError(ask("{ compare(measure: REFUGEES, period: {from: 2020, to: 2147483647}, baseline: {from: 2000, to: 2001}) { ratio } }"), "year-out-of-range");
        Map<String, Object> reversed = onlyError(ask("{ figures(measure: REFUGEES, filter: {years: {from: 2020, to: 2010}}) { total } }"), "year-range-reversed");
        assertTrue(((String) reversed.get("message")).contains("from 2020 is after to 2010"), reversed::toString);
        onlyError(ask("{ compare(measure: REFUGEES, period: {from: 2023, to: 2020}, baseline: {from: 2000, to: 2001}) { ratio } }"), "year-range-reversed");
        // the whole range is within the bound: answered, with the missing years in a short caveat
        JsonPath all = ask("{ figures(measure: REFUGEES, filter: {years: {from: 1951, to: " + NEXT_YEAR + "}}) { total caveats }"
                + " series(measure: REFUGEES, filter: {origin: [\"UKR\"], years: {from: 1951, to: " + NEXT_YEAR + "}}) { year } }");
        answered(all);
        assertEquals(NEXT_YEAR - 1951 + 1, all.getList("data.series").size());
    }

    @Test
    void aRequestOverTheRowBudgetIsRefusedBeforeAnythingRuns() {
        // eight aliases of 10,000 rows: 80,000 > 20,000. One alias would fail at execution (unknown
        // country): its error is absent, so nothing was executed.
        String aliases = IntStream.range(0, 8).mapToObj(i -> "t" + i + ": figures(measure: REFUGEES, filter: {origin: [\""
                + (i == 0 ? "XQZ" : "SYR") + "\"]}, groupBy: [ASYLUM, YEAR], first: 10000) { totalRows rows { value } }")
                .collect(Collectors.joining(" "));
        JsonPath refused = ask("{ " + aliases + " }");
        Map<String, Object> error = onlyError(refused, "cost-exceeded");
        assertNull(refused.get("data"));
        assertEquals(80_000, refused.getInt("errors[0].extensions.cost"));
        assertEquals(20_000, refused.getInt("errors[0].extensions.budget"));
        assertTrue(((String) error.get("message")).contains("80000 rows"), error::toString);

        // the same through variables, and nested lists multiplied: 19 aliases x 100 revisions x (1 + 10 vintages)
        String nested = IntStream.range(0, 19).mapToObj(i -> "r" + i + ": revisions(measure: REFUGEES, first: $first) { year vintages { value } }")
                .collect(Collectors.joining(" "));
        JsonPath viaVariables = given().contentType("application/json")
                .body(Map.of("query", "query($first: Int) { " + nested + " }", "variables", Map.of("first", 100)))
                .post("/graphql").then().statusCode(200).extract().jsonPath();
        onlyError(viaVariables, "cost-exceeded");
        assertEquals(19 * 100 * (1 + 10), viaVariables.getInt("errors[0].extensions.cost"));

        // within the budget: two such aliases (exactly 20,000) are answered
        answered(ask("{ a: figures(measure: REFUGEES, filter: {origin: [\"SYR\"]}, groupBy: [ASYLUM, YEAR], first: 10000) { totalRows }"
                + " b: figures(measure: REFUGEES, filter: {origin: [\"AFG\"]}, groupBy: [ASYLUM, YEAR], first: 10000) { totalRows } }"));
    }

    @Test
    void moreTopLevelFieldsThanAllowedAreRefused() {
        String twentyOne = IntStream.range(0, 21).mapToObj(i -> "f" + i + ": figures(measure: REFUGEES, filter: {origin: [\"XQZ\"]}) { total }")
                .collect(Collectors.joining(" "));
        JsonPath refused = ask("{ " + twentyOne + " }");
        onlyError(refused, "too-many-fields");
        assertEquals(21, refused.getInt("errors[0].extensions.fields"));
        // a fragment does not hide its fields
        String spread = IntStream.range(0, 21).mapToObj(i -> "r" + i + ": releases { id }").collect(Collectors.joining(" "));
        onlyError(ask("query { ...Many } fragment Many on Query { " + spread + " }"), "too-many-fields");
        String twenty = IntStream.range(0, 20).mapToObj(i -> "f" + i + ": figures(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}) { total }")
                .collect(Collectors.joining(" "));
        answered(ask("{ " + twenty + " }"));
    }

    @Test
    void listsWithoutARowLimitNowHaveOneAndSayWhenTheyAreCut() {
        JsonPath cut = ask("{ revisions(measure: REFUGEES, filter: {years: {from: 2023, to: 2023}}, groupBy: [ORIGIN], first: 5) { year origin { code } vintages { value } } }");
        Map<String, Object> error = onlyError(cut, "truncated");
        assertEquals(List.of("revisions"), error.get("path"));
        assertEquals(5, cut.getList("data.revisions").size());
        assertNotNull(cut.get("data.revisions[0].origin.code"));

        JsonPath rates = ask("{ recognitionRates(filter: {years: {from: 2022, to: 2022}}, groupBy: [ORIGIN], first: 3) { origin { code } totalRecognitionRate } }");
        onlyError(rates, "truncated");
        assertEquals(3, rates.getList("data.recognitionRates").size());

        // a selection within first is whole: no error
        JsonPath whole = ask("{ revisions(measure: REFUGEES, filter: {origin: [\"AFG\"], years: {from: 2022, to: 2023}}, first: 2) { year } }");
        answered(whole);
        assertEquals(2, whole.getList("data.revisions").size());
        onlyError(ask("{ revisions(measure: REFUGEES, first: 10001) { year } }"), "bad-query");
        onlyError(ask("{ recognitionRates(first: -1) { year } }"), "bad-query");
    }

    @Test
    void filterListsAreBounded() {
        List<String> codes = ask("{ countries { code } }").getList("data.countries.code");
        List<String> many = new ArrayList<>();
        while (many.size() < 251) {
            many.addAll(codes);
        }
        String tooMany = many.subList(0, 251).stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(","));
        Map<String, Object> error = onlyError(ask("{ figures(measure: REFUGEES, filter: {origin: [" + tooMany + "]}) { total } }"), "filter-too-long");
        assertTrue(((String) error.get("message")).startsWith("origin: 251 values, at most 250"), error::toString);
        String withinLimit = many.subList(0, 250).stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(","));
        answered(ask("{ figures(measure: REFUGEES, filter: {asylum: [" + withinLimit + "], years: {from: 2023, to: 2023}}) { total } }"));
        // the demographic filters have the same bounds
        String types = IntStream.range(0, 251).mapToObj(i -> "\"T" + i + "\"").collect(Collectors.joining(","));
        Map<String, Object> tooManyTypes = onlyError(ask("{ figures(measure: DEMOGRAPHICS, filter: {populationType: [" + types + "]}) { total } }"),
                "filter-too-long");
        assertTrue(((String) tooManyTypes.get("message")).startsWith("populationType: 251 values, at most 250"), tooManyTypes::toString);
        Map<String, Object> longAge = onlyError(ask("{ figures(measure: DEMOGRAPHICS, filter: {ageGroup: [\"" + "9".repeat(65) + "\"]}) { total } }"),
                "filter-too-long");
        assertTrue(((String) longAge.get("message")).startsWith("ageGroup: '"), longAge::toString);

        String longValue = "X".repeat(65);
        Map<String, Object> tooLong = onlyError(ask("{ figures(measure: APPLICATIONS, filter: {procedure: [\"" + longValue + "\"]}) { total } }"), "filter-too-long");
        String message = (String) tooLong.get("message");
        assertTrue(message.contains("X".repeat(40)) && !message.contains("X".repeat(41)), message);
        // 64 characters is not a region, but it is within the bound: the ordinary error
        onlyError(ask("{ figures(measure: REFUGEES, filter: {originRegion: [\"" + "Y".repeat(64) + "\"]}) { total } }"), "bad-query");
    }

    @Test
    void theParsersTokenLimitHolds() {
        // a list of 2,100 string tokens; its values are bad (too many), so a parsed document ends in filter-too-long:
        // refused by the parser instead (SmallRye's answer to any document graphql-java will not parse)
        String over = IntStream.range(0, 2_100).mapToObj(i -> "\"SYR\"").collect(Collectors.joining(" "));
        JsonPath refused = ask("{ figures(measure: REFUGEES, filter: {origin: [" + over + "]}) { total } }");
        List<Map<String, Object>> errors = refused.getList("errors");
        assertEquals(1, errors.size(), refused::prettify);
        assertEquals("Unparseable input document", refused.getString("errors[0].message"), refused::prettify);
        assertNull(refused.get("data"));
        // below the limit the document is parsed and reaches execution
        String under = IntStream.range(0, 1_900).mapToObj(i -> "\"SYR\"").collect(Collectors.joining(" "));
        onlyError(ask("{ figures(measure: REFUGEES, filter: {origin: [" + under + "]}) { total } }"), "filter-too-long");
    }

    @Test
    void aQuestionPastTheStatementTimeoutIsAGraphQlErrorNotAServerError() {
        JsonPath answer = ask("{ slowQuestion(seconds: 30) }");
        Map<String, Object> error = onlyError(answer, "query-timeout");
        assertTrue(((String) error.get("message")).contains("5s statement timeout"), error::toString);
        // the service answers the next question
        answered(ask("{ releases { id } }"));
    }

    @Test
    void theCatalogSurvivesReloadsConcurrentWithReads() throws Exception {
        int readers = 4;
        int reads = 300;
        CyclicBarrier start = new CyclicBarrier(readers + 1);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong reloads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        try {
            Future<?> reloader = pool.submit(() -> {
                start.await();
                while (reading.get()) {
                    catalog.releasesChanged();
                    reloads.incrementAndGet();
                }
                return null;
            });
            List<Future<long[]>> readerRuns = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                readerRuns.add(pool.submit(() -> {
                    start.await();
                    // reads go on until this reader has seen reloads happen during them (2 cores: not a given)
                    long first = reloads.get();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    for (int i = 0; i < reads || reloads.get() - first < 100; i++) {
                        assertNotNull(catalog.release(PublishedReleases.globalTrends));
                        assertTrue(catalog.releases().size() >= 2);
                        assertTrue(System.nanoTime() < deadline, "no reload ran during 90 s of reads");
                    }
                    return new long[]{first, reloads.get()};
                }));
            }
            for (Future<long[]> run : readerRuns) {
                long[] seen = run.get(120, TimeUnit.SECONDS);
                assertTrue(seen[1] > seen[0], "the reloads overlapped this reader's reads: " + seen[0] + ".." + seen[1]);
            }
            reading.set(false);
            reloader.get(30, TimeUnit.SECONDS);
        } finally {
            reading.set(false);
            pool.shutdownNow();
        }
        assertNotNull(catalog.release(PublishedReleases.globalTrends), "loaded again after the last reload");
    }
}
