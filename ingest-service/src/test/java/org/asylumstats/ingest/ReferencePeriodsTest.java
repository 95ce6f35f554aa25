package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.asylumstats.ingest.core.DatasetLoader;
import org.asylumstats.ingest.problem.Problem;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.scalar;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reference periods on {@code POST /api/releases} (SPEC "Releases and vintages"): shown as given, one
 * per year and ascending, by the create answer, {@code GET /api/releases/{id}} and the list; anything
 * else is a 400 problem+json that names the field and creates nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ReferencePeriodsTest {

    private static final String INVALID_REQUEST = Problem.TYPE_BASE + "invalid-request";
    private static final String INVALID_JSON = Problem.TYPE_BASE + "invalid-json";
    private static final List<Map<String, Object>> MID_2023 = List.of(Map.of("year", 2023, "end", "2023-06-30"));

    @Test
    void aMidYearReleaseShowsItsReferencePeriodEverywhere() {
        long id = create("[{\"year\":2023,\"end\":\"2023-06-30\"}]").statusCode(201)
                .body("referencePeriods", equalTo(MID_2023)).extract().jsonPath().getLong("id");
        as("analyst").get("/api/releases/" + id).then().statusCode(200).body("referencePeriods", equalTo(MID_2023));
        as("reviewer").get("/api/releases").then().statusCode(200).body("find { it.id == " + id + " }.referencePeriods", equalTo(MID_2023));
    }

    @Test
    void withoutReferencePeriodsEveryYearIsWhole() {
        for (String absent : List.of("", ",\"referencePeriods\":null", ",\"referencePeriods\":[]")) {
            long id = as("analyst").contentType("application/json").body("{\"title\":\"Global Trends\",\"publishedOn\":\"2024-06-13\"" + absent + "}")
                    .post("/api/releases").then().statusCode(201).body("referencePeriods", equalTo(List.of()))
                    .extract().jsonPath().getLong("id");
            as("analyst").get("/api/releases/" + id).then().statusCode(200).body("referencePeriods", equalTo(List.of()));
        }
    }

    @Test
    void yearsGivenOutOfOrderComeBackAscending() {
        List<Map<String, Object>> ascending = List.of(Map.of("year", 2022, "end", "2022-09-30"), Map.of("year", 2023, "end", "2023-06-30"));
        long id = create("[{\"year\":2023,\"end\":\"2023-06-30\"},{\"year\":2022,\"end\":\"2022-09-30\"}]").statusCode(201)
                .body("referencePeriods", equalTo(ascending)).extract().jsonPath().getLong("id");
        as("analyst").get("/api/releases/" + id).then().statusCode(200).body("referencePeriods", equalTo(ascending));
    }

    @Test
    void theFirstAndTheLastYearAllowedAreAccepted() {
        int next = DatasetLoader.lastYear();
        create("[{\"year\":" + DatasetLoader.FIRST_YEAR + ",\"end\":\"" + DatasetLoader.FIRST_YEAR + "-06-30\"},{\"year\":" + next
                + ",\"end\":\"" + next + "-12-30\"}]").statusCode(201)
                .body("referencePeriods.year", equalTo(List.of(DatasetLoader.FIRST_YEAR, next)));
    }

    static Stream<Arguments> refused() {
        int next = DatasetLoader.lastYear();
        String years = DatasetLoader.FIRST_YEAR + ".." + next;
        String wrongFormat = "'referencePeriods[0].end' has the wrong type or format";
        return Stream.of(
                Arguments.of("[{\"year\":2023,\"end\":\"2024-06-30\"}]", INVALID_REQUEST, "referencePeriods: the end 2024-06-30 is not inside its year 2023"),
                Arguments.of("[{\"year\":2023,\"end\":\"2022-12-30\"}]", INVALID_REQUEST, "referencePeriods: the end 2022-12-30 is not inside its year 2023"),
                Arguments.of("[{\"year\":2023,\"end\":\"2023-12-31\"}]", INVALID_REQUEST, "referencePeriods: 2023 ends on 31 December, which makes it"
                        + " a whole year; list only the years a release does not cover to their end"),
                Arguments.of("[{\"year\":2023,\"end\":\"2023-06-30\"},{\"year\":2023,\"end\":\"2023-09-30\"}]", INVALID_REQUEST,
                        "referencePeriods: year 2023 is listed twice"),
                Arguments.of("[{\"year\":" + (DatasetLoader.FIRST_YEAR - 1) + ",\"end\":\"" + (DatasetLoader.FIRST_YEAR - 1) + "-06-30\"}]", INVALID_REQUEST,
                        "referencePeriods: year " + (DatasetLoader.FIRST_YEAR - 1) + " is outside " + years),
                Arguments.of("[{\"year\":" + (next + 1) + ",\"end\":\"" + (next + 1) + "-06-30\"}]", INVALID_REQUEST,
                        "referencePeriods: year " + (next + 1) + " is outside " + years),
                Arguments.of("[{\"year\":99999999999,\"end\":\"2023-06-30\"}]", INVALID_JSON, "'referencePeriods[0].year' has the wrong type or format"),
                Arguments.of("[{\"year\":2023,\"end\":\"2023-13-45\"}]", INVALID_JSON, wrongFormat),
                Arguments.of("[{\"year\":2023,\"end\":\"2023-02-29\"}]", INVALID_JSON, wrongFormat),
                Arguments.of("[{\"year\":2023,\"end\":\"30/06/2023\"}]", INVALID_JSON, wrongFormat),
                Arguments.of("[{\"year\":2023,\"end\":\"\"}]", INVALID_JSON, wrongFormat),
                Arguments.of("[{\"year\":2023,\"end\":\"2023-06-30" + "x".repeat(10_000) + "\"}]", INVALID_JSON, wrongFormat),
                // a number would otherwise be read as days since 1970: 19538 is 2023-06-30
                Arguments.of("[{\"year\":2023,\"end\":19538}]", INVALID_JSON, wrongFormat),
                Arguments.of("[{\"year\":2023,\"end\":{\"year\":2023}}]", INVALID_JSON, wrongFormat),
                Arguments.of("[{\"year\":2023,\"end\":true}]", INVALID_JSON, wrongFormat),
                Arguments.of("[{\"year\":2022,\"end\":\"2022-06-30\"},{\"year\":2023,\"end\":\"30/06/2023\"}]", INVALID_JSON,
                        "'referencePeriods[1].end' has the wrong type or format"),
                Arguments.of("[{\"year\":null,\"end\":\"2023-06-30\"}]", INVALID_REQUEST, "referencePeriods[0].year must not be null"),
                Arguments.of("[{\"end\":\"2023-06-30\"}]", INVALID_REQUEST, "referencePeriods[0].year must not be null"),
                Arguments.of("[{\"year\":2023,\"end\":null}]", INVALID_REQUEST, "referencePeriods[0].end must not be null"),
                Arguments.of("[{\"year\":2023}]", INVALID_REQUEST, "referencePeriods[0].end must not be null"),
                Arguments.of("{\"year\":2023,\"end\":\"2023-06-30\"}", INVALID_JSON, "'referencePeriods' has the wrong type or format"),
                Arguments.of("\"2023-06-30\"", INVALID_JSON, "'referencePeriods' has the wrong type or format"),
                Arguments.of("2023", INVALID_JSON, "'referencePeriods' has the wrong type or format"),
                Arguments.of("[2023]", INVALID_JSON, "'referencePeriods[0]' has the wrong type or format"),
                Arguments.of("[\"2023-06-30\"]", INVALID_JSON, "'referencePeriods[0]' has the wrong type or format"),
                Arguments.of("[[2023,\"2023-06-30\"]]", INVALID_JSON, "'referencePeriods[0]' has the wrong type or format"),
                Arguments.of("[null]", INVALID_REQUEST, "referencePeriods[0] must not be null"),
                // the @Size limit is 200 entries: 200 pass it (and are refused for the repeated year), 201 do not
                Arguments.of(repeated(200), INVALID_REQUEST, "referencePeriods: year 2023 is listed twice"),
                Arguments.of(repeated(201), INVALID_REQUEST, "referencePeriods size must be between 0 and 200"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void badReferencePeriodsAreRefusedAndCreateNothing(String referencePeriods, String type, String detail) {
        long before = scalar("SELECT count(*) FROM ingest.release");
        create(referencePeriods).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(type))
                .body("status", equalTo(400))
                .body("detail", equalTo(detail));
        assertEquals(before, scalar("SELECT count(*) FROM ingest.release"), "nothing created");
    }

    @Test
    void theDatabaseRefusesTwoEndsInOneYearOrAnEndOn31December() throws SQLException {
        try (Connection c = Postgres.shared().connectAsOwner()) {
            c.setAutoCommit(false);
            insertRelease(c, "{2023-06-30,2024-03-31}");
            c.rollback();
            for (String ends : List.of("{2023-06-30,2023-09-30}", "{2023-12-31}", "{2022-06-30,2023-12-31}")) {
                SQLException refused = assertThrows(SQLException.class, () -> insertRelease(c, ends), ends);
                assertEquals("23514", refused.getSQLState(), ends + ": " + refused.getMessage());
                assertTrue(refused.getMessage().contains("reference_period_ends_valid"), refused.getMessage());
                c.rollback();
            }
        }
    }

    @Test
    void aReleaseWrittenWithoutReferencePeriodsReadsBackWithNone() throws SQLException {
        long id;
        // as a release from before V7 was written: the column's default stands for it
        try (Connection c = Postgres.shared().connectAsOwner(); PreparedStatement st = c.prepareStatement("INSERT INTO ingest.release"
                + " (title, published_on, state, created_by, created_at) VALUES ('Before V7', DATE '2022-06-16', 'DRAFT', 'analyst', now()) RETURNING id");
             var rs = st.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        as("analyst").get("/api/releases/" + id).then().statusCode(200).body("referencePeriods", equalTo(List.of()));
    }

    private static void insertRelease(Connection c, String ends) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO ingest.release (title, published_on, state, created_by, created_at,"
                + " reference_period_ends) VALUES ('Direct', DATE '2023-10-25', 'DRAFT', 'analyst', now(), ?::date[])")) {
            st.setString(1, ends);
            st.executeUpdate();
        }
    }

    private static String repeated(int entries) {
        return "[" + String.join(",", Collections.nCopies(entries, "{\"year\":2023,\"end\":\"2023-06-30\"}")) + "]";
    }

    private static ValidatableResponse create(String referencePeriods) {
        return as("analyst").contentType("application/json")
                .body("{\"title\":\"Mid-Year Trends\",\"publishedOn\":\"2023-10-25\",\"referencePeriods\":" + referencePeriods + "}")
                .post("/api/releases").then();
    }
}
