package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests that are not GraphQL as it should be sent: each gets its exact client-error answer, never a 5xx. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class MalformedRequestsTest {

    private static final java.util.regex.Pattern QUALIFIED_CLASS_NAME = java.util.regex.Pattern.compile("\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z]\\w+");
    private static final String UNPARSEABLE = "{\"errors\":[{\"message\":\"Unparseable request\"";

    /** Name, content type, body, the exact status, and how the answer starts (SmallRye's or ours). */
    static Stream<Arguments> bodies() {
        // just past each parser's nesting limit (JSON: 1,000; GraphQL: graphql-java's rule depth)
        String deepVariables = "[".repeat(1_100) + "]".repeat(1_100);
        String deepQuery = "{ releases " + "{ id ".repeat(600) + "}".repeat(600) + " }";
        String badRequest = "{\"errors\":[{\"message\":\"the request is not a GraphQL request";
        return Stream.of(
                Arguments.of("truncated JSON", "application/json", "{\"query\": ", 200, UNPARSEABLE),
                Arguments.of("not JSON", "application/json", "query { releases { id } }", 200, UNPARSEABLE),
                Arguments.of("empty body", "application/json", "", 400, "Missing operation body"),
                Arguments.of("JSON array", "application/json", "[1, 2]", 200, UNPARSEABLE),
                Arguments.of("JSON string", "application/json", "\"{ releases { id } }\"", 200, UNPARSEABLE),
                Arguments.of("query not a string", "application/json", "{\"query\": 5}", 200, "{\"errors\":[{\"message\":\"Missing 'query' field"),
                Arguments.of("query null", "application/json", "{\"query\": null}", 200, "{\"errors\":[{\"message\":\"Missing 'query' field"),
                Arguments.of("variables not an object", "application/json", "{\"query\":\"{ releases { id } }\",\"variables\":\"x\"}", 400, badRequest),
                Arguments.of("variables an array", "application/json", "{\"query\":\"{ releases { id } }\",\"variables\":[1]}", 400, badRequest),
                Arguments.of("extensions not an object (ignored)", "application/json", "{\"query\":\"{ releases { id } }\",\"extensions\":3}", 200, "{\"data\":{\"releases\":"),
                Arguments.of("operationName not a string", "application/json", "{\"query\":\"{ releases { id } }\",\"operationName\":7}", 400, badRequest),
                Arguments.of("deeply nested variables", "application/json", "{\"query\":\"{ releases { id } }\",\"variables\":{\"x\":" + deepVariables + "}}", 400, badRequest),
                Arguments.of("deeply nested query", "application/json", "{\"query\":\"" + deepQuery + "\"}", 200, "{\"errors\":[{\"message\":\"Unparseable input document\""),
                Arguments.of("variable of the wrong type", "application/json",
                        "{\"query\":\"query($f: FigureFilter) { figures(measure: REFUGEES, filter: $f) { total } }\",\"variables\":{\"f\":{\"years\":{\"from\":\"x\",\"to\":[]}}}}",
                        200, "{\"errors\":[{\"message\":\"Variable 'f' has an invalid value"),
                Arguments.of("text/plain", "text/plain", "{\"query\":\"{ releases { id } }\"}", 200, "{\"data\":{\"releases\":"),
                Arguments.of("form", "application/x-www-form-urlencoded", "query=%7B+releases+%7B+id+%7D+%7D", 200, UNPARSEABLE),
                Arguments.of("bad UTF-8", "application/json; charset=utf-8", "{\"query\":\"\u00ff\u00fe\"}", 200,
                        "{\"errors\":[{\"message\":\"Unparseable input document\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void neverAServerError(String name, String contentType, String body, int status, String answerStart) {
        // bytes: REST Assured pretty-prints a String body, quadratically in its nesting (a form it only takes as a String)
        Response response = contentType.startsWith("application/x-www-form-urlencoded")
                ? given().contentType(contentType).body(body).post("/graphql")
                : given().contentType(contentType).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/graphql");
        String answer = response.asString();
        assertEquals(status, response.statusCode(), () -> name + ": " + answer);
        assertTrue(answer.startsWith(answerStart), () -> name + ": " + answer);
        assertFalse(QUALIFIED_CLASS_NAME.matcher(answer).find(), () -> name + " names a class: " + answer);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String huge = "{\"query\":\"{ releases { id } }\",\"variables\":{\"x\":\"" + "a".repeat(300_000) + "\"}}";
        assertEquals(413, given().contentType("application/json").body(huge).post("/graphql").statusCode());
        // within the limit: answered
        String large = "{\"query\":\"{ countries { code } }\",\"variables\":{\"x\":\"" + "a".repeat(200_000) + "\"}}";
        given().contentType("application/json").body(large).post("/graphql").then().statusCode(200)
                .body("data.countries.size()", org.hamcrest.Matchers.greaterThan(200));
    }
}
