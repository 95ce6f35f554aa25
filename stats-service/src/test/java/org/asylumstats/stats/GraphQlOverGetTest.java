package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.asylumstats.testing.RepositoryFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GraphQL over GET and persisted documents: answers as POST gives them, an ETag that changes with
 * what is current, 304 on revalidation, the exact refusals of the contract, and every limit of POST
 * applying to GET.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class GraphQlOverGetTest {

    static final Path DASHBOARD_DOCUMENTS = RepositoryFiles.resolve("gateway/src/main/resources/META-INF/resources/dashboard/graphql");
    static final String SERIES = "query($o: [String!]) { series(measure: REFUGEES, filter: {origin: $o, years: {from: 2015, to: 2023}}) { year value status } }";

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    static Response get(Map<String, ?> params) {
        return given().queryParams(params).get("/graphql");
    }

    static Response post(Map<String, ?> body) {
        return given().contentType("application/json").body(body).post("/graphql");
    }

    static String tag(Map<String, ?> params) {
        Response answer = get(params);
        assertEquals(200, answer.statusCode(), answer::asString);
        String etag = answer.header("ETag");
        assertNotNull(etag, answer::asString);
        return etag;
    }

    static void assertError(Response answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer::asString);
        assertEquals(code, answer.jsonPath().getString("errors[0].extensions.code"), answer::asString);
    }

    /** The id of a dashboard document, computed here from the file's bytes. */
    static String dashboardId(String name) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(DASHBOARD_DOCUMENTS.resolve(name))));
    }

    /** The status line of a GET sent as is (for request targets HTTP client libraries refuse to send). */
    static String rawStatusLine(String target) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void getAnswersAsPostDoes() {
        List<Map<String, String>> questions = List.of(
                Map.of("query", "{ releases { id title state } countries { code name region } }"),
                Map.of("query", SERIES, "variables", "{\"o\": [\"SYR\", \"AFG\"]}"),
                Map.of("query", "query A { measures { measure } } query B { releases { id } }", "operationName", "B"),
                Map.of("query", "{ figures(measure: REFUGEES, filter: {origin: [\"XQZ\"]}) { total } }"),
                Map.of("query", "{ nosuchfield }"));
        for (Map<String, String> question : questions) {
            Map<String, Object> body = new HashMap<>(question);
            if (question.containsKey("variables")) {
                body.put("variables", new JsonPath(question.get("variables")).getMap(""));
            }
            Response byGet = get(question);
            Response byPost = post(body);
            assertEquals(200, byGet.statusCode(), byGet::asString);
            assertEquals(byPost.asString(), byGet.asString(), question.toString());
            assertTrue(byGet.contentType().startsWith("application/json"), byGet.contentType());
            assertNull(byPost.header("ETag"), "POST answers carry no tag");
        }
    }

    @Test
    void theTagIsStableAndARevalidationWithItIsAnsweredWith304() {
        Map<String, String> question = Map.of("query", SERIES, "variables", "{\"o\": [\"UKR\"]}");
        Response first = get(question);
        String etag = first.header("ETag");
        assertTrue(etag.matches("\"[A-Za-z0-9_-]{24}\""), etag);
        assertEquals("public, max-age=60", first.header("Cache-Control"));
        assertEquals(etag, tag(question));
        assertNotEquals(etag, tag(Map.of("query", SERIES, "variables", "{\"o\": [\"SYR\"]}")), "another question, another tag");

        for (String ifNoneMatch : List.of(etag, "\"elsewhere\", " + etag, "W/" + etag, "*")) {
            Response revalidated = given().header("If-None-Match", ifNoneMatch).queryParams(question).get("/graphql");
            assertEquals(304, revalidated.statusCode(), ifNoneMatch);
            assertEquals("", revalidated.asString());
            assertEquals(etag, revalidated.header("ETag"));
            assertEquals("public, max-age=60", revalidated.header("Cache-Control"));
        }
        Response stale = given().header("If-None-Match", "\"elsewhere\"").queryParams(question).get("/graphql");
        assertEquals(200, stale.statusCode());
        assertEquals(first.asString(), stale.asString());
    }

    @Test
    void aRetractionAndAPublicationEachChangeTheTag() {
        Map<String, String> question = Map.of("query", "{ figures(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}) { total } }");
        String published = tag(question);
        PublishedReleases.setState(PublishedReleases.globalTrends, "RETRACTED");
        String retracted;
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> !tag(question).equals(published));
            retracted = tag(question);
            // the old tag no longer revalidates: the new answer is sent
            given().header("If-None-Match", published).queryParams(question).get("/graphql").then().statusCode(200);
        } finally {
            PublishedReleases.setState(PublishedReleases.globalTrends, "PUBLISHED");
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> !tag(question).equals(retracted));
    }

    @Test
    void eachDashboardDocumentRunsByIdAsItsTextDoes() throws Exception {
        Map<String, String> variables = Map.of(
                "catalog.graphql", "{}",
                "explore.graphql", "{\"measure\":\"REFUGEES\",\"filter\":{\"origin\":[\"SYR\"],\"years\":{\"from\":2015,\"to\":2023}},"
                        + "\"yearFilter\":{\"origin\":[\"SYR\"],\"years\":{\"from\":2023,\"to\":2023}},\"groupBy\":[\"ASYLUM\"],\"first\":5,"
                        + "\"period\":{\"from\":2022,\"to\":2023},\"baseline\":{\"from\":2017,\"to\":2019}}",
                "revisions.graphql", "{\"measure\":\"REFUGEES\",\"filter\":{\"origin\":[\"AFG\"],\"years\":{\"from\":2022,\"to\":2023}}}",
                "demographics.graphql", "{\"filter\":{\"origin\":[\"SYR\"],\"years\":{\"from\":2023,\"to\":2023}}}",
                "solutions.graphql", "{\"filter\":{\"years\":{\"from\":2015,\"to\":2023}},\"yearFilter\":{\"years\":{\"from\":2023,\"to\":2023}},\"first\":5}");
        try (var files = Files.list(DASHBOARD_DOCUMENTS)) {
            assertEquals(variables.keySet(), files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".graphql"))
                    .collect(Collectors.toSet()), "every dashboard document is exercised here");
        }
        for (var document : variables.entrySet()) {
            String text = Files.readString(DASHBOARD_DOCUMENTS.resolve(document.getKey()), StandardCharsets.UTF_8);
            String id = dashboardId(document.getKey());
            Response byId = get(Map.of("documentId", id, "variables", document.getValue()));
            assertEquals(200, byId.statusCode(), byId::asString);
            assertNull(byId.jsonPath().get("errors"), () -> document.getKey() + ": " + byId.asString());
            assertEquals(get(Map.of("query", text, "variables", document.getValue())).asString(), byId.asString(), document.getKey());
            assertNotNull(byId.header("ETag"));
            assertEquals("public, max-age=60", byId.header("Cache-Control"));
            // and in a POST body
            Map<String, Object> body = Map.of("documentId", id, "variables", new JsonPath(document.getValue()).getMap(""));
            Response posted = post(body);
            assertEquals(byId.asString(), posted.asString(), document.getKey());
            assertNull(posted.header("ETag"));
        }
    }

    @Test
    void anUnknownDocumentIdIsAGraphQlErrorThatIsNotKept() {
        String unknown = "sha256:" + "0".repeat(64);
        Response answer = get(Map.of("documentId", unknown));
        assertError(answer, 200, "PERSISTED_DOCUMENT_NOT_FOUND");
        assertEquals("no-store", answer.header("Cache-Control"));
        assertNull(answer.header("ETag"));
        assertError(post(Map.of("documentId", unknown)), 200, "PERSISTED_DOCUMENT_NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:XYZ", "md5:0123", "", "sha256:", "0000000000000000000000000000000000000000000000000000000000000000",
            "sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000",
            "sha256:000000000000000000000000000000000000000000000000000000000000000", // 63 digits
            "sha256:00000000000000000000000000000000000000000000000000000000000000000"}) // 65 digits
    void aMalformedDocumentIdIsABadRequest(String id) {
        Response answer = get(Map.of("documentId", id));
        assertError(answer, 400, "bad-request");
        assertNull(answer.header("ETag"));
        assertTrue(answer.jsonPath().getString("errors[0].message").length() < 150, answer::asString);
        assertError(post(Map.of("documentId", id)), 400, "bad-request");
    }

    @Test
    void bothQueryAndDocumentIdOrNeitherIsABadRequest() throws Exception {
        String id = dashboardId("catalog.graphql");
        assertError(get(Map.of("query", "{ releases { id } }", "documentId", id)), 400, "bad-request");
        assertError(get(Map.of()), 400, "bad-request");
        assertError(get(Map.of("operationName", "Catalog")), 400, "bad-request");
        assertError(post(Map.of("query", "{ releases { id } }", "documentId", id)), 400, "bad-request");
        assertError(post(Map.of("documentId", 5)), 400, "bad-request");
        // POST without either keeps SmallRye's answer
        assertTrue(post(Map.of("variables", Map.of())).asString().startsWith("{\"errors\":[{\"message\":\"Missing 'query' field in the request\""));
    }

    @Test
    void requestsSmallRyeCouldNotTakeApartAreBadRequestsOverGetToo() throws Exception {
        assertError(get(Map.of("query", "{ releases { id } }", "variables", "[1]")), 400, "bad-request");
        assertError(get(Map.of("query", "{ releases { id } }", "variables", "not json")), 400, "bad-request");
        // JSON nested past its parser's limit (1,000 levels) needs 6,000 bytes of %5B and %5D: past the request line (414)
        assertEquals(414, given().queryParam("query", "{ releases { id } }").queryParam("variables", "[".repeat(1_001) + "]".repeat(1_001))
                .get("/graphql").statusCode());
        assertError(given().queryParam("query", "{ releases { id } }").queryParam("query", "{ countries { code } }").get("/graphql"), 400, "bad-request");
        assertEquals("HTTP/1.1 400 Bad Request", rawStatusLine("/graphql?query=%zz")); // a client library will not send it
        assertError(post(Map.of("documentId", "sha256:" + "0".repeat(64), "variables", List.of(1))), 400, "bad-request");
        assertError(post(Map.of("documentId", "sha256:" + "0".repeat(64), "operationName", 7)), 400, "bad-request");
        // a document with a comment line is not cut at it (SmallRye's GET handler deleted newlines: all comment)
        Response commented = get(Map.of("query", "# the releases\n{ releases { id } }"));
        assertNull(commented.jsonPath().get("errors"), commented::asString);
        // '+' and '%' inside the document survive
        Response literal = get(Map.of("query", "{ figures(measure: REFUGEES, filter: {origin: [\"A+B%2\"]}) { total } }"));
        assertTrue(literal.jsonPath().getString("errors[0].message").contains("A+B%2"), literal::asString);
    }

    @Test
    void mutationsAndSubscriptionsAreNotRunOverGet() {
        for (String operation : List.of("mutation { publish }", "subscription { changes }", "mutation M { x }")) {
            Response refused = get(Map.of("query", operation));
            assertEquals(405, refused.statusCode(), refused::asString);
            assertEquals("POST", refused.header("Allow"));
            assertNull(refused.header("ETag"));
        }
        Response chosen = get(Map.of("query", "query Q { releases { id } } mutation M { x }", "operationName", "M"));
        assertEquals(405, chosen.statusCode(), chosen::asString);
        Response query = get(Map.of("query", "query Q { releases { id } } mutation M { x }", "operationName", "Q"));
        assertEquals(200, query.statusCode(), query::asString);
    }

    /** Each limit crossed over GET: the same answer as POST, with its exact code, and (being deterministic) cacheable. */
    @Test
    void everyLimitOfPostAppliesToGet() {
        String costly = IntStream.range(0, 8).mapToObj(i -> "t" + i + ": figures(measure: REFUGEES, filter: {origin: [\"SYR\"]}, groupBy: [ASYLUM, YEAR], first: 10000) { totalRows }")
                .collect(Collectors.joining(" "));
        String wide = IntStream.range(0, 21).mapToObj(i -> "r" + i + ": releases { id }").collect(Collectors.joining(" "));
        String complex = "{ releases { " + "id ".repeat(401) + "} }";
        Map<String, String> limits = new LinkedHashMap<>();
        limits.put("{ " + costly + " }", "cost-exceeded");
        limits.put("{ " + wide + " }", "too-many-fields");
        limits.put("{ figures(measure: DEMOGRAPHICS, filter: {ageGroup: [\"" + "Y".repeat(65) + "\"]}) { total } }", "filter-too-long");
        limits.put("{ figures(measure: REFUGEES, filter: {years: {from: 1, to: 1000000}}) { total } }", "year-out-of-range");
        limits.put("{ figures(measure: REFUGEES, first: 20000) { total } }", "bad-query");
        limits.put("{ figures(measure: REFUGEES, first: 3000000000) { total } }", "int-out-of-range");
        limits.put("{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }", null); // depth
        limits.put(complex, null); // field complexity
        for (var limit : limits.entrySet()) {
            Response byGet = get(Map.of("query", limit.getKey()));
            assertEquals(200, byGet.statusCode(), byGet::asString);
            assertEquals(post(Map.of("query", limit.getKey())).asString(), byGet.asString());
            assertNotNull(byGet.jsonPath().get("errors"), byGet::asString);
            if (limit.getValue() != null) {
                assertEquals(limit.getValue(), byGet.jsonPath().getString("errors[0].extensions.code"), byGet::asString);
            }
            assertNotNull(byGet.header("ETag"), () -> "a deterministic refusal may be kept: " + byGet.asString());
        }
    }

    @Test
    // slowQuestion is a test-only field (SlowQuestionApi): the built artifact does not have it
    @io.quarkus.test.junit.DisabledOnIntegrationTest
    void aQuestionPastTheStatementTimeoutOverGetIsAnErrorThatIsNotKept() {
        Response answer = get(Map.of("query", "{ slowQuestion(seconds: 30) }"));
        assertError(answer, 200, "query-timeout");
        assertEquals("no-store", answer.header("Cache-Control"));
        assertNull(answer.header("ETag"));
    }

    @Test
    void aRequestLineOverTheHttpLimitIs414() {
        String query = "{ releases { id } }" + " ".repeat(4_200);
        assertEquals(414, given().queryParam("query", query).get("/graphql").statusCode());
        // within the limit (4,096 bytes, "GET /graphql?query=... HTTP/1.1" included): answered; a '+' is a space
        given().urlEncodingEnabled(false).get("/graphql?query=%7B+releases+%7B+id+%7D+%7D" + "+".repeat(3_900)).then().statusCode(200);
    }

    @Test
    void anInvalidTokenIsRefusedOverGetToo() {
        given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").queryParam("query", "{ releases { id } }")
                .get("/graphql").then().statusCode(401);
    }
}
