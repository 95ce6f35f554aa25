package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Year;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.asylumstats.stats.HostileQueriesTest.answered;
import static org.asylumstats.stats.HostileQueriesTest.ask;
import static org.asylumstats.stats.HostileQueriesTest.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Int input that is not a 32-bit integer is refused with {@code int-out-of-range} before anything runs,
 * as a literal or a variable; SmallRye let {@code first: 99999999999999} through as 276447231 and
 * {@code to: 4294969273} as 1977.
 * <p>
 * Each refused request also asks a field that fails when executed (an unknown country): only the
 * refusal comes back and no data, so no field (and no SQL) ran.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class IntInputsTest {

    private static final int NEXT_YEAR = Year.now().getValue() + 1;
    private static final String FAILS_IF_EXECUTED = " probe: figures(measure: REFUGEES, filter: {origin: [\"XQZ\"]}) { total }";

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    /** A request whose JSON body is written out, so that numbers such as {@code 1e3} reach the server as sent. */
    private static JsonPath askWith(String query, String variablesJson) {
        String body = "{\"query\":\"" + query.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"variables\":" + variablesJson + "}";
        return given().contentType("application/json").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/graphql").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> refusedBeforeExecution(JsonPath answer) {
        Map<String, Object> error = onlyError(answer, "int-out-of-range");
        assertNull(answer.get("data"), answer::prettify);
        String message = (String) error.get("message");
        assertTrue(message.contains("is not an Int, a whole number from -2147483648 to 2147483647"), message);
        return error;
    }

    private static String firstAsked(String first) {
        return "figures(measure: REFUGEES, filter: {origin: [\"SYR\"]}, groupBy: [ASYLUM, YEAR], first: " + first + ") { totalRows }";
    }

    private static String seriesTo(String to) {
        return "series(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 1951, to: " + to + "}}) { year }";
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999", "2147483648", "-2147483649", "1e3", "1.5", "\"12\""})
    void aLiteralThatIsNotAnIntIsRefused(String literal) {
        Map<String, Object> onFirst = refusedBeforeExecution(ask("{ " + firstAsked(literal) + FAILS_IF_EXECUTED + " }"));
        assertTrue(((String) onFirst.get("message")).startsWith("first: "), onFirst::toString);
        Map<String, Object> onYears = refusedBeforeExecution(ask("{ " + seriesTo(literal) + FAILS_IF_EXECUTED + " }"));
        assertTrue(((String) onYears.get("message")).startsWith("filter.years.to: "), onYears::toString);
        // in a variable's default value, a list, and a fragment too
        refusedBeforeExecution(ask("query($first: Int = " + literal + ") { " + firstAsked("$first") + FAILS_IF_EXECUTED + " }"));
        refusedBeforeExecution(ask("{ ...F" + FAILS_IF_EXECUTED + " } fragment F on Query { " + seriesTo(literal) + " }"));
        refusedBeforeExecution(ask("{ compare(measure: REFUGEES, period: {from: 2020, to: 2021}, baseline: {from: " + literal
                + ", to: 2001}) { ratio }" + FAILS_IF_EXECUTED + " }"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999", "2147483648", "-2147483649", "1.5", "\"12\"", "1e10", "2147483647.5"})
    void aVariableThatIsNotAnIntIsRefused(String json) {
        refusedBeforeExecution(askWith("query($first: Int) { " + firstAsked("$first") + FAILS_IF_EXECUTED + " }", "{\"first\": " + json + "}"));
        Map<String, Object> onTo = refusedBeforeExecution(askWith("query($to: Int!) { " + seriesTo("$to") + FAILS_IF_EXECUTED + " }",
                "{\"to\": " + json + "}"));
        assertTrue(((String) onTo.get("message")).startsWith("$to: "), onTo::toString);
        // inside an input object given whole as a variable
        Map<String, Object> nested = refusedBeforeExecution(askWith("query($filter: FigureFilter) { series(measure: REFUGEES, filter: $filter) { year }"
                + FAILS_IF_EXECUTED + " }", "{\"filter\": {\"origin\": [\"SYR\"], \"years\": {\"from\": 1951, \"to\": " + json + "}}}"));
        assertTrue(((String) nested.get("message")).startsWith("$filter.years.to: "), nested::toString);
    }

    @Test
    void theRefusalQuotesAShortPrefixOfTheValue() {
        String digits = "9".repeat(200);
        String message = (String) refusedBeforeExecution(ask("{ " + firstAsked(digits) + " }")).get("message");
        assertTrue(message.contains("9".repeat(40)) && !message.contains("9".repeat(41)), message);
        String text = "x".repeat(200);
        message = (String) refusedBeforeExecution(askWith("query($first: Int) { " + firstAsked("$first") + " }",
                "{\"first\": \"" + text + "\"}")).get("message");
        assertTrue(message.contains("x".repeat(39)) && !message.contains("x".repeat(40)), message);
    }

    @Test
    void intsWithinTheRangeGetTheOrdinaryAnswerOrError() {
        answered(ask("{ " + firstAsked("10000") + " }"));
        answered(askWith("query($first: Int) { " + firstAsked("$first") + " }", "{\"first\": 10000}"));
        // a JSON number is a number however it is written: 1e3 is 1000, as graphql-java's and graphql-js's Int take it
        answered(askWith("query($first: Int) { " + firstAsked("$first") + " }", "{\"first\": 1e3}"));
        answered(askWith("query($first: Int) { " + firstAsked("$first") + " }", "{\"first\": 1000.0}"));
        // the largest Int is an Int: refused by the row budget (priced as itself, not wrapped) and the years' bounds, not by its type
        JsonPath maxFirst = ask("{ " + firstAsked("2147483647") + " }");
        onlyError(maxFirst, "cost-exceeded");
        assertEquals(Integer.MAX_VALUE, maxFirst.getInt("errors[0].extensions.cost"));
        onlyError(askWith("query($first: Int) { " + firstAsked("$first") + " }", "{\"first\": 2147483647}"), "cost-exceeded");
        onlyError(ask("{ revisions(measure: REFUGEES, first: 2147483647) { year } }"), "cost-exceeded");
        onlyError(ask("{ " + seriesTo("2147483647") + " }"), "year-out-of-range");
        onlyError(askWith("query($to: Int!) { " + seriesTo("$to") + " }", "{\"to\": 2147483647}"), "year-out-of-range");
        onlyError(askWith("query($to: Int!) { " + seriesTo("$to") + " }", "{\"to\": 1e3}"), "year-out-of-range");
        onlyError(askWith("query($first: Int) { " + firstAsked("$first") + " }", "{\"first\": -2147483648}"), "bad-query");
        // the year a wrapped 4294969273 became is answered when asked for as itself
        JsonPath to1977 = ask("{ " + seriesTo("1977") + " }");
        answered(to1977);
        assertEquals(1977 - 1951 + 1, to1977.getList("data.series").size());
        JsonPath all = askWith("query($filter: FigureFilter) { series(measure: REFUGEES, filter: $filter) { year } }",
                "{\"filter\": {\"origin\": [\"SYR\"], \"years\": {\"from\": 1951, \"to\": " + NEXT_YEAR + "}}}");
        answered(all);
        assertEquals(NEXT_YEAR - 1951 + 1, all.getList("data.series").size());
    }
}
