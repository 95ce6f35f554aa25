package org.asylumstats.system;

import io.restassured.path.json.JsonPath;
import org.asylumstats.testing.RawUnhcrFile;
import org.asylumstats.testing.RepositoryFiles;
import org.asylumstats.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile review, replayed through the gateway of the running system: GraphQL questions made to
 * cost, files made to hurt a parser, headers and tokens that lie, clients that trickle, a WebSocket
 * tunnel. Each case expects its exact status and problem type (or GraphQL error code); afterwards
 * the three services are still up and ready and still answer correctly. Then 200 mixed uploads on
 * keep-alive connections next to readers must give no 5xx at all.
 */
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileCorpusTest {

    private static final String PROBLEMS = "https://asylum-stats.org/problems/";
    private static final String POPULATION_HEADER = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,"
            + "returned_refugees,idps,returned_idps,stateless,ooc,oip,hst";
    private static final String DEMOGRAPHICS_HEADER = "\"year\",\"coo_name\",\"coo\",\"coo_iso\",\"coa_name\",\"coa\",\"coa_iso\","
            + "\"pop_type\",\"location\",\"loc_type\",\"acc_type\",\"f_0_4\",\"f_5_11\",\"f_12_17\",\"f_18_59\",\"f_60\",\"f_other\","
            + "\"f_total\",\"m_0_4\",\"m_5_11\",\"m_12_17\",\"m_18_59\",\"m_60\",\"m_other\",\"m_total\",\"total\"";
    private static final String SOLUTIONS_HEADER = "\"year\",\"coo_name\",\"coo\",\"coo_iso\",\"coa_name\",\"coa\",\"coa_iso\","
            + "\"returned_refugees\",\"resettlement\",\"naturalisation\",\"returned_idps\"";
    private static final String GOOD_ROW = "2023,Syrian Arab Rep.,SYR,SYR,Germany,GFR,DEU,100,0,0,0,0,0,0,,0";

    private static RunningSystem system;
    private static HttpClient http;
    private static String analyst;
    private static long draft;

    @BeforeAll
    static void start() throws Exception {
        system = new RunningSystem();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        analyst = Tokens.of(system.tokenEndpoint(), "analyst");
        long published = system.submittedRelease("gt2023", "Global Trends 2023", "2024-06-13", List.of(), Map.of());
        given().baseUri(system.gateway()).auth().oauth2(Tokens.of(system.tokenEndpoint(), "reviewer"))
                .post("/api/releases/" + published + "/publish").then().statusCode(200);
        draft = given().baseUri(system.gateway()).auth().oauth2(analyst).contentType("application/json")
                .body(Map.of("title", "Hostile uploads", "source", "tests", "publishedOn", "2024-01-01", "preliminaryYears", List.of()))
                .post("/api/releases").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    // ---------------------------------------------------------------- the corpus

    @TestFactory
    @Order(1)
    Stream<DynamicTest> corpus() {
        List<DynamicTest> cases = new ArrayList<>();
        graphqlCases(cases);
        getAndExportCases(cases);
        gatewayCases(cases);
        tokenCases(cases);
        uploadCases(cases);
        slowClientCases(cases);
        assertTrue(cases.size() >= 40, "the corpus has " + cases.size() + " cases");
        return cases.stream();
    }

    private static void graphqlCases(List<DynamicTest> cases) {
        String figures = "{ figures(measure: REFUGEES, filter: {years: {from: %d, to: %d}}) { total caveats } }";
        cases.add(graphql("years up to a million", figures.formatted(1, 1_000_000), "year-out-of-range"));
        cases.add(graphql("years up to 2^31-1", figures.formatted(1951, Integer.MAX_VALUE), "year-out-of-range"));
        cases.add(graphql("series over 50,000 years",
                "{ series(measure: REFUGEES, filter: {years: {from: 1, to: 50000}}) { year value } }", "year-out-of-range"));
        cases.add(graphql("compare with a baseline before 1951",
                "{ compare(measure: REFUGEES, period: {from: 2020, to: 2023}, baseline: {from: 1900, to: 1910}) { ratio } }", "year-out-of-range"));
        cases.add(graphql("a reversed year range", figures.formatted(2023, 2010), "year-range-reversed"));
        cases.add(graphql("8 aliases of first: 10000",
                "{ " + aliases(8, "figures(measure: REFUGEES, groupBy: [ORIGIN, ASYLUM, YEAR], first: 10000) { totalRows }") + " }", "cost-exceeded"));
        cases.add(graphql("130 aliases of first: 1",
                "{ " + aliases(130, "figures(measure: REFUGEES, first: 1) { total }") + " }", "too-many-fields"));
        cases.add(graphql("first: a million", "{ figures(measure: REFUGEES, groupBy: [ORIGIN], first: 1000000) { totalRows } }", "cost-exceeded"));
        cases.add(graphql("first: 10,001 (over the most a list returns)",
                "{ figures(measure: REFUGEES, groupBy: [ORIGIN], first: 10001) { totalRows } }", "bad-query"));
        cases.add(graphql("first beyond 32 bits (would wrap to 276,447,231)",
                "{ figures(measure: REFUGEES, groupBy: [ORIGIN], first: 99999999999999) { totalRows } }", "int-out-of-range"));
        cases.add(graphql("a year beyond 32 bits (would wrap to 1977)", figures.formatted(1951, 4294969273L), "int-out-of-range"));
        cases.add(graphql("first: negative", "{ figures(measure: REFUGEES, groupBy: [ORIGIN], first: -5) { totalRows } }", "bad-query"));
        cases.add(graphql("revisions of everything, first: a million",
                "{ revisions(measure: REFUGEES, groupBy: [ORIGIN, ASYLUM, YEAR], first: 1000000) { year } }", "cost-exceeded"));
        String manyCodes = IntStream.range(0, 3000).mapToObj(i -> "\"C" + i + "\"").collect(Collectors.joining(","));
        // as a literal, 3,000 codes are more than the parser's 2,000 tokens; as a variable they reach the filter's own bound
        cases.add(graphqlRefused("a 3,000-code origin list", "{ figures(measure: REFUGEES, filter: {origin: [" + manyCodes + "]}) { total } }",
                "unparseable input document"));
        cases.add(graphql("a 3,000-code origin list as a variable", "query($origin: [String]) { figures(measure: REFUGEES, filter: {origin: $origin}) { total } }",
                "{\"origin\": [" + manyCodes + "]}", "filter-too-long"));
        cases.add(graphql("a 5,000-character country code",
                "{ figures(measure: REFUGEES, filter: {origin: [\"" + "X".repeat(5000) + "\"]}) { total } }", "filter-too-long"));
        cases.add(graphql("a release id that is not one", "{ figures(measure: REFUGEES, asOf: \"x'; DROP\") { total } }", "bad-query"));
        cases.add(graphqlRefused("a 2,100-token document",
                "{ figures(measure: REFUGEES) { " + "total ".repeat(2100) + "} }", "unparseable"));
        cases.add(graphqlRefused("a query 12 levels deep",
                "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }", "depth"));
    }

    /** GraphQL over GET and the exports, refused: the status and code each promises, nothing kept by a cache. */
    private static void getAndExportCases(List<DynamicTest> cases) {
        String countries = "query=" + URLEncoder.encode("{ countries { code } }", StandardCharsets.UTF_8);
        cases.add(graphqlGet("a documentId that is not sha256", "documentId=md5%3A0123456789abcdef", 400, "bad-request"));
        cases.add(graphqlGet("a documentId in upper-case hex", "documentId=sha256%3A" + "AB".repeat(32), 400, "bad-request"));
        cases.add(graphqlGet("a documentId of 65 hex digits", "documentId=sha256%3A" + "a".repeat(65), 400, "bad-request"));
        cases.add(graphqlGet("a 2,000-character documentId", "documentId=sha256%3A" + "x".repeat(2000), 400, "bad-request"));
        cases.add(DynamicTest.dynamicTest("GraphQL over GET: a query string past the 4 KiB request line", () -> {
            HttpResponse<String> answer = send(get("/graphql?" + countries + "&variables=" + "%20".repeat(1500)).build());
            assertEquals(414, answer.statusCode(), answer.body());
        }));
        cases.add(graphqlGet("both a query and a documentId", countries + "&documentId=sha256%3A" + "a".repeat(64), 400, "bad-request"));
        cases.add(graphqlGet("neither a query nor a documentId", "variables=%7B%7D", 400, "bad-request"));
        cases.add(graphqlGet("an unregistered documentId", "documentId=sha256%3A" + "0".repeat(64), 200, "PERSISTED_DOCUMENT_NOT_FOUND"));
        for (String operation : List.of("mutation { releases { id } }", "subscription { releases { id } }")) {
            cases.add(DynamicTest.dynamicTest("GraphQL over GET: a " + operation.split(" ")[0] + " is refused", () -> {
                HttpResponse<String> answer = send(get("/graphql?query=" + URLEncoder.encode(operation, StandardCharsets.UTF_8)).build());
                assertEquals(405, answer.statusCode(), answer.body());
                assertEquals("POST", answer.headers().firstValue("Allow").orElse(""));
                assertFalse(answer.headers().firstValue("ETag").isPresent(), "a refusal is not tagged");
            }));
        }
        cases.add(exportRefused("an unknown parameter", "measure=REFUGEES&colour=red", "invalid-parameter", "colour"));
        cases.add(exportRefused("no measure", "groupBy=YEAR", "invalid-parameter", "measure"));
        cases.add(exportRefused("a measure that is none", "measure=REFUGEES%27%3B%20DROP", "invalid-parameter", "measure"));
        cases.add(exportRefused("a 2,000-character measure", "measure=" + "X".repeat(2000), "invalid-parameter", "measure"));
        cases.add(exportRefused("a dimension that is none", "measure=REFUGEES&groupBy=YEAR,COLOUR", "invalid-parameter", "groupBy"));
        cases.add(exportRefused("a year without the other", "measure=REFUGEES&from=2020", "invalid-parameter", "to"));
        cases.add(exportRefused("a year that is no number", "measure=REFUGEES&from=twenty&to=2023", "invalid-parameter", "from"));
        cases.add(exportRefused("a format nobody reads", "measure=REFUGEES&format=xlsx", "invalid-parameter", "format"));
        // every year, origin and asylum of the population file: 126,402 groups, over the 100,000 an export holds
        cases.add(exportRefused("126,402 rows", "measure=REFUGEES&groupBy=YEAR,ORIGIN,ASYLUM", "export-too-large", "at most 100000"));
    }

    /** A GET question refused (or an unknown document): its status and GraphQL error code, never kept by a cache. */
    private static DynamicTest graphqlGet(String name, String parameters, int status, String code) {
        return DynamicTest.dynamicTest("GraphQL over GET: " + name, () -> {
            HttpResponse<String> answer = send(get("/graphql?" + parameters).build());
            assertEquals(status, answer.statusCode(), answer.body());
            assertEquals(code, new JsonPath(answer.body()).getString("errors[0].extensions.code"), answer.body());
            assertFalse(answer.headers().firstValue("ETag").isPresent(), "a refusal is not tagged");
            assertTrue(answer.body().length() < 1_000, "the error quotes a prefix at most: " + answer.body().length());
        });
    }

    /** An export refused as problem+json, its detail naming what was wrong and quoting at most 40 characters of it. */
    private static DynamicTest exportRefused(String name, String parameters, String type, String named) {
        return DynamicTest.dynamicTest("export: " + name, () -> {
            HttpResponse<String> answer = send(get("/export/figures?" + parameters).build());
            assertProblem(answer.statusCode(), answer.body(), 400, type);
            assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertTrue(new JsonPath(answer.body()).getString("detail").contains(named), answer.body());
            assertFalse(answer.body().contains("X".repeat(41)), "quotes 40 characters at most: " + answer.body().length());
            assertFalse(answer.headers().firstValue("ETag").isPresent(), "a refusal is not tagged");
        });
    }

    private static void gatewayCases(List<DynamicTest> cases) {
        cases.add(graphqlRefused("malformed JSON body on /graphql", null, "unparseable request"));
        cases.add(DynamicTest.dynamicTest("variables that are not an object", () -> {
            HttpResponse<String> answer = send(post("/graphql", "application/json", "{\"query\":\"{ countries { code } }\",\"variables\":[1,2]}").build());
            assertEquals(400, answer.statusCode(), answer.body());
            assertEquals("bad-request", new JsonPath(answer.body()).getString("errors[0].extensions.code"), answer.body());
            assertFalse(answer.body().matches("(?s).*(java\\.|Exception).*"), answer.body());
        }));
        cases.add(DynamicTest.dynamicTest("a chunked 200 KB body on /graphql (64 KiB limit)", () -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(system.gateway() + "/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                            ("{\"query\":\"{ countries { code } }\",\"x\":\"" + "a".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8))))
                    .build();
            HttpResponse<String> answer = send(request);
            assertProblem(answer.statusCode(), answer.body(), 413, "body-too-large");
        }));
        cases.add(DynamicTest.dynamicTest("Content-Length beyond the /graphql limit", () -> {
            Hostile.Answer answer = Hostile.exchange(system.gatewayPort, "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200000\r\n", "{".getBytes(StandardCharsets.UTF_8), 30_000);
            assertProblem(answer.status(), answer.body(), 413, "body-too-large");
        }));
        cases.add(DynamicTest.dynamicTest("a WebSocket upgrade on /graphql is not tunnelled", () -> {
            Hostile.Answer answer = Hostile.exchange(system.gatewayPort, "GET /graphql HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: graphql-transport-ws\r\n", null, 30_000);
            assertNotEquals(101, answer.status(), answer.head());
            assertProblem(answer.status(), answer.body(), 400, "websocket-not-supported");
        }));
        cases.add(DynamicTest.dynamicTest("a WebSocket upgrade on /api is not tunnelled", () -> {
            Hostile.Answer answer = Hostile.exchange(system.gatewayPort, "GET /api/releases HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nAuthorization: Bearer " + analyst + "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n", null, 30_000);
            assertProblem(answer.status(), answer.body(), 400, "websocket-not-supported");
        }));
        cases.add(DynamicTest.dynamicTest("a 20 KB header", () -> {
            Hostile.Answer answer = Hostile.exchange(system.gatewayPort, "GET /graphql?query=%7Bcountries%7Bcode%7D%7D HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Junk: " + "j".repeat(20_000) + "\r\n", null, 30_000);
            assertEquals(431, answer.status(), answer.head());
        }));
        cases.add(DynamicTest.dynamicTest("a 10 KB request line", () -> {
            Hostile.Answer answer = Hostile.exchange(system.gatewayPort, "GET /graphql?q=" + "q".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n", null, 30_000);
            assertEquals(414, answer.status(), answer.head());
        }));
        cases.add(http("metrics are not on the public port", get("/q/metrics"), 404, null));
        cases.add(http("readiness is not on the public port", get("/q/health/ready"), 404, null));
        cases.add(http("a dot-dot path to the management endpoints", get("/api/../q/metrics"), 404, null));
        cases.add(DynamicTest.dynamicTest("an over-long X-Request-Id is replaced, not echoed", () -> {
            String forged = "r".repeat(500);
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(system.gateway() + "/graphql"))
                    .header("Content-Type", "application/json").header("X-Request-Id", forged)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ countries { code } }\"}")).build());
            assertEquals(200, answer.statusCode());
            String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
            assertNotEquals(forged, id);
            assertTrue(id.length() <= 128, id);
        }));
        cases.add(DynamicTest.dynamicTest("/api answers are never cached", () -> {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(system.gateway() + "/api/releases"))
                    .header("Authorization", "Bearer " + analyst).GET().build());
            assertEquals(200, answer.statusCode());
            assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""));
        }));
    }

    private static void tokenCases(List<DynamicTest> cases) {
        String[] parts = analyst.split("\\.");
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        String otherSignature = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[256]);
        String elevated = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"analyst\"", "\"admin\"")
                        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        cases.add(http("a token with alg none", get("/api/releases").header("Authorization", "Bearer " + unsigned), 401, null));
        cases.add(http("a token with a forged signature", get("/api/releases").header("Authorization", "Bearer " + otherSignature), 401, null));
        cases.add(http("a token whose roles were edited", get("/api/releases").header("Authorization", "Bearer " + elevated), 401, null));
        cases.add(http("a bearer that is no JWT", get("/api/releases").header("Authorization", "Bearer " + "x".repeat(3000)), 401, null));
        cases.add(DynamicTest.dynamicTest("positive control: the genuine token is accepted", () ->
                assertEquals(200, send(get("/api/releases").header("Authorization", "Bearer " + analyst).build()).statusCode())));
        cases.add(DynamicTest.dynamicTest("a viewer's token on /api", () -> {
            HttpResponse<String> answer = send(get("/api/releases")
                    .header("Authorization", "Bearer " + Tokens.of(system.tokenEndpoint(), "viewer")).build());
            assertEquals(403, answer.statusCode());
        }));
    }

    private static void uploadCases(List<DynamicTest> cases) {
        String population = "/api/releases/%d/datasets/population";
        cases.add(upload("a 1 MiB gzip that inflates to an endless field", "application/gzip",
                Hostile.bomb(POPULATION_HEADER + "\n2023,\"", 'A', 1 << 20), 422, "field-too-long"));
        cases.add(upload("a 1 MiB gzip of blank lines (about 1 GB inflated)", "application/gzip",
                Hostile.bomb("", '\n', 1 << 20), 422, "compression-ratio-too-high"));
        cases.add(DynamicTest.dynamicTest("a 1 MB field is quoted by a short prefix only", () -> {
            String csv = POPULATION_HEADER + "\n2023,\"" + "N".repeat(1_000_000) + "\",SYR,SYR,Germany,GFR,DEU,1,0,0,0,0,0,0,,0\n";
            HttpResponse<String> answer = send(analystRequest(population.formatted(draft)).header("Content-Type", "text/csv")
                    .PUT(HttpRequest.BodyPublishers.ofString(csv)).build());
            assertProblem(answer.statusCode(), answer.body(), 422, "invalid-file");
            assertTrue(new JsonPath(answer.body()).getList("report.errors.code").contains("field-too-long"), answer.body());
            assertTrue(answer.body().length() < 4_000, "the report quotes a prefix, not the field: " + answer.body().length() + " characters");
        }));
        cases.add(upload("a 250,000-column header", "text/csv",
                (POPULATION_HEADER + ",x".repeat(250_000) + "\n" + GOOD_ROW + "\n").getBytes(StandardCharsets.UTF_8), 422, "too-many-columns"));
        cases.add(upload("a JSON item with 120,000 keys", "application/json",
                apiPage(IntStream.range(0, 120_000).mapToObj(i -> "\"k" + i + "\":1").collect(Collectors.joining(","))), 422, "too-many-columns"));
        cases.add(upload("JSON nested 5,000 deep", "application/json",
                apiPage("\"year\":" + "[".repeat(5000) + "]".repeat(5000)), 422, "json-too-deep"));
        cases.add(upload("a JSON string of 5 MB", "application/json",
                ("{\"items\":[{\"year\":\"" + "9".repeat(5_000_000) + "\"}]}").getBytes(StandardCharsets.UTF_8), 422, "field-too-long"));
        cases.add(upload("NUL inside a count", "text/csv",
                (POPULATION_HEADER + "\n2023,Syrian Arab Rep.,SYR,SYR,Germany,GFR,DEU,1\u00000,0,0,0,0,0,0,,0\n").getBytes(StandardCharsets.UTF_8),
                422, "nul-byte"));
        cases.add(upload("NUL inside a name column", "text/csv",
                (POPULATION_HEADER + "\n2023,Syrian\u0000Arab Rep.,SYR,SYR,Germany,GFR,DEU,10,0,0,0,0,0,0,,0\n").getBytes(StandardCharsets.UTF_8),
                422, "nul-byte"));
        cases.add(upload("70 KB of blank lines and nothing else", "text/csv",
                "\n".repeat(70_000).getBytes(StandardCharsets.UTF_8), 422, "empty-file"));
        cases.add(upload("a truncated gzip", "application/gzip",
                java.util.Arrays.copyOf(Hostile.gzip((POPULATION_HEADER + "\n" + GOOD_ROW + "\n").getBytes(StandardCharsets.UTF_8)), 20), 422, "malformed-gzip"));
        cases.add(upload("bytes that are not UTF-8", "text/csv",
                concat((POPULATION_HEADER + "\n2023,").getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0xC3, (byte) 0x28},
                        ",SYR,SYR,Germany,GFR,DEU,1,0,0,0,0,0,0,,0\n".getBytes(StandardCharsets.UTF_8)), 422, "invalid-encoding"));
        cases.add(upload("a record of 80,000 characters in 20 fields", "text/csv",
                (POPULATION_HEADER + "\n" + ("x".repeat(4_000) + ",").repeat(20) + "\n").getBytes(StandardCharsets.UTF_8), 422, "record-too-long"));
        demographicsAndSolutionsCases(cases);
        cases.add(http("an unknown dataset", analystRequest("/api/releases/" + draft + "/datasets/passwords")
                .header("Content-Type", "text/csv").PUT(HttpRequest.BodyPublishers.ofString("a\n1\n")), 404, null));
        cases.add(http("an upload as XML", analystRequest(population.formatted(draft)).header("Content-Type", "application/xml")
                .PUT(HttpRequest.BodyPublishers.ofString("<x/>")), 415, null));
        cases.add(http("a release title with a NUL byte", analystRequest("/api/releases").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Mid\\u0000Year\",\"source\":\"s\",\"publishedOn\":\"2024-01-01\",\"preliminaryYears\":[]}")),
                400, "invalid-request"));
        cases.add(DynamicTest.dynamicTest("a release body of the wrong types names no Java class", () -> {
            HttpResponse<String> answer = send(analystRequest("/api/releases").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":{\"a\":1},\"publishedOn\":[1],\"preliminaryYears\":\"x\"}")).build());
            assertEquals(400, answer.statusCode(), answer.body());
            assertFalse(answer.body().matches("(?s).*(java\\.|org\\.|com\\.fasterxml|Exception).*"), answer.body());
        }));
        for (String[] periods : new String[][]{
                {"a reference period ending outside its year", "[{\"year\":2023,\"end\":\"2024-06-30\"}]", "invalid-request"},
                {"a reference period ending on 31 December", "[{\"year\":2023,\"end\":\"2023-12-31\"}]", "invalid-request"},
                {"a year with two reference periods", "[{\"year\":2023,\"end\":\"2023-06-30\"},{\"year\":2023,\"end\":\"2023-03-31\"}]", "invalid-request"},
                {"a reference period with a malformed date", "[{\"year\":2023,\"end\":\"2023-13-45\"}]", null}}) {
            cases.add(http(periods[0], analystRequest("/api/releases").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Mid-Year\",\"publishedOn\":\"2024-01-01\",\"referencePeriods\":" + periods[1] + "}")),
                    400, periods[2]));
        }
        cases.add(http("a release body that is not JSON", analystRequest("/api/releases").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{title: ")), 400, null));
        cases.add(DynamicTest.dynamicTest("another analyst's release", () -> {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(system.gateway() + population.formatted(draft)))
                    .header("Authorization", "Bearer " + Tokens.of(system.tokenEndpoint(), "analyst2")).header("Content-Type", "text/csv")
                    .PUT(HttpRequest.BodyPublishers.ofString(POPULATION_HEADER + "\n" + GOOD_ROW + "\n")).build());
            assertProblem(answer.statusCode(), answer.body(), 403, "not-owner");
        }));
    }

    private static void slowClientCases(List<DynamicTest> cases) {
        cases.add(DynamicTest.dynamicTest("a request head trickled one line a second is cut off", () -> {
            String[] lines = new String[120];
            lines[0] = "GET /graphql?query=%7Bcountries%7Bcode%7D%7D HTTP/1.1";
            for (int i = 1; i < lines.length; i++) {
                lines[i] = "X-Slow-" + i + ": 1";
            }
            Hostile.Answer answer = Hostile.trickleHead(system.gatewayPort, lines, 1_000, 60_000);
            assertTrue(answer.status() == 408 || answer.status() == -1, "the gateway cut the slow head: " + answer.status());
        }));
        cases.add(DynamicTest.dynamicTest("an upload body trickled one byte a second is cut off at the gateway", () -> {
            Hostile.Answer answer = Hostile.trickleBody(system.gatewayPort, "PUT /api/releases/" + draft + "/datasets/population HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: Bearer " + analyst + "\r\nContent-Type: text/csv\r\n", 1_000, 1_000, 90_000);
            assertTrue(answer.status() == 408 || answer.status() == -1, "the gateway cut the slow body: " + answer.status() + " " + answer.body());
        }));
        cases.add(DynamicTest.dynamicTest("an upload body trickled straight to ingest-service is cut off there too", () -> {
            Hostile.Answer answer = Hostile.trickleBody(system.ingestPort, "PUT /api/releases/" + draft + "/datasets/population HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: Bearer " + analyst + "\r\nContent-Type: text/csv\r\n", 1_000, 1_000, 90_000);
            assertTrue(answer.status() == 408 || answer.status() == -1, "ingest cut the slow body: " + answer.status() + " " + answer.body());
        }));
    }

    // ---------------------------------------------------------------- after the corpus

    @Test
    @Order(2)
    void afterTheCorpusEveryServiceIsUpReadyAndStillRight() {
        for (int port : system.managementPorts()) {
            given().baseUri("http://localhost").port(port).get("/q/health/ready").then().statusCode(200);
        }
        RawUnhcrFile gt = RawUnhcrFile.read("gt2023/population.csv.gz");
        long expected = gt.sum("refugees", Map.of("coo_iso", "SYR", "year", "2023"));
        JsonPath answer = new JsonPath(given().baseUri(system.gateway()).contentType("application/json")
                .body(Map.of("query", "{ figures(measure: REFUGEES, filter: {origin: [\"SYR\"], years: {from: 2023, to: 2023}}) { total } }"))
                .post("/graphql").then().statusCode(200).extract().asString());
        assertEquals(expected, answer.getLong("data.figures.total"));
    }

    /** UNHCR's empty cell stays "not reported" (NULL, then null) and a reported 0 stays 0, in the database and through the API. */
    @Test
    @Order(2)
    void notReportedIsNullAndZeroIsZeroInTheDatabaseAndTheApi() throws Exception {
        // gt2023 population: 1951, Unknown origin in Australia: other_in_need empty, host_community 0
        try (var c = system.postgres.connectAsOwner(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT other_in_need, host_community FROM stats.population"
                     + " WHERE year = 1951 AND asylum = 'AUS' AND refugees = 180000")) {
            assertTrue(rs.next(), "the row is stored");
            assertNull(rs.getObject(1));
            assertEquals(0L, ((Number) rs.getObject(2)).longValue());
        }
        String question = "{ figures(measure: %s, filter: {origin: [\"UNK\"], asylum: [\"AUS\"], years: {from: 1951, to: 1951}}) { total } }";
        JsonPath notReported = graphqlAnswer(question.formatted("OTHER_IN_NEED"));
        assertNull(notReported.get("data.figures.total"), notReported.prettify());
        JsonPath zero = graphqlAnswer(question.formatted("HOST_COMMUNITY"));
        assertEquals(0L, zero.getLong("data.figures.total"), zero.prettify());
    }

    private static JsonPath graphqlAnswer(String query) {
        return new JsonPath(given().baseUri(system.gateway()).contentType("application/json").body(Map.of("query", query))
                .post("/graphql").then().statusCode(200).extract().asString());
    }

    /**
     * 200 uploads through the gateway on keep-alive connections, a third valid, a third invalid on
     * line 2 (answered before ingest has read the body), a third invalid near the end, while four
     * readers query: not one 5xx.
     */
    @Test
    @Order(4)
    void mixedUploadsOnKeepAliveConnectionsNextToReadersGiveNo5xx() throws Exception {
        List<String> lines = firstLines("gt2023/population.csv.gz", 4_001);
        String valid = String.join("\n", lines) + "\n";
        String badLineTwo = lines.get(0) + "\n2023,x,NOPE,NOPE,y,Z,ZZZ,-1,0,0,0,0,0,0,,0\n" + String.join("\n", lines.subList(1, lines.size())) + "\n";
        String badNearTheEnd = valid + "2023,x,NOPE,NOPE,y,Z,ZZZ,-1,0,0,0,0,0,0,,0\n";
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean uploading = new AtomicBoolean(true);
        HttpClient keepAlive = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch readersStarted = new CountDownLatch(4);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                int reader = r;
                readers.add(pool.submit(() -> {
                    readersStarted.countDown();
                    int i = 0;
                    while (uploading.get()) {
                        String query = "{ figures(measure: REFUGEES, groupBy: [ASYLUM], first: " + (1 + (reader * 7 + i++) % 20) + ") { total rows { value } } }";
                        record(keepAlive, HttpRequest.newBuilder(URI.create(system.gateway() + "/graphql")).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"" + query.replace("\"", "\\\"") + "\"}")).build(), statuses, failures);
                    }
                }));
            }
            readersStarted.await();
            for (int i = 0; i < 200; i++) {
                String body = switch (i % 3) {
                    case 0 -> valid;
                    case 1 -> badLineTwo;
                    default -> badNearTheEnd;
                };
                int status = record(keepAlive, analystRequest("/api/releases/" + draft + "/datasets/population")
                        .header("Content-Type", "text/csv").PUT(HttpRequest.BodyPublishers.ofString(body)).build(), statuses, failures);
                assertEquals(i % 3 == 0 ? 200 : 422, status, () -> "upload " + failures);
            }
            uploading.set(false);
            for (Future<?> reader : readers) {
                reader.get();
            }
        } finally {
            uploading.set(false);
            pool.shutdownNow();
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " 5xx or broken exchanges: " + failures.subList(0, Math.min(5, failures.size())));
        assertTrue(statuses.getOrDefault(200, new AtomicInteger()).get() > 200, () -> "readers and uploads overlapped: " + statuses);
    }

    private static int record(HttpClient client, HttpRequest request, Map<Integer, AtomicInteger> statuses, List<String> failures) {
        try {
            HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (answer.statusCode() >= 500) {
                failures.add(request.uri().getPath() + " " + answer.statusCode() + " " + answer.body());
            }
            return answer.statusCode();
        } catch (IOException e) {
            failures.add(request.uri().getPath() + " " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // ---------------------------------------------------------------- how cases are made

    private static DynamicTest graphql(String name, String query, String code) {
        return graphql(name, query, null, code);
    }

    private static DynamicTest graphql(String name, String query, String variables, String code) {
        return DynamicTest.dynamicTest("GraphQL: " + name, () -> {
            String body = variables == null ? json(query) : json(query).replaceAll("}$", ",\"variables\":" + variables.replace("$", "\\$") + "}");
            HttpResponse<String> answer = send(post("/graphql", "application/json", body).build());
            assertEquals(200, answer.statusCode(), answer.body());
            JsonPath json = new JsonPath(answer.body());
            assertNotNull(json.get("errors"), answer.body());
            assertEquals(code, json.getString("errors[0].extensions.code"), answer.body());
            assertTrue(answer.body().length() < 8_000, "the error quotes a prefix, not the question");
        });
    }

    /**
     * A document refused before it runs (parser or validation limits): an error whose message says why.
     * A null query sends a body that is not JSON at all.
     */
    private static DynamicTest graphqlRefused(String name, String query, String why) {
        return DynamicTest.dynamicTest("GraphQL: " + name, () -> {
            HttpResponse<String> answer = send(post("/graphql", "application/json", query == null ? "{\"query\": " : json(query)).build());
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 400, answer.statusCode() + " " + answer.body());
            JsonPath json = new JsonPath(answer.body());
            assertNotNull(json.get("errors"), answer.body());
            assertTrue(json.getString("errors[0].message").toLowerCase().contains(why), answer.body());
            assertNull(json.get("data.figures"), answer.body());
        });
    }

    private static DynamicTest http(String name, HttpRequest.Builder request, int status, String problemType) {
        return DynamicTest.dynamicTest(name, () -> {
            HttpResponse<String> answer = send(request.build());
            if (problemType == null) {
                assertEquals(status, answer.statusCode(), answer.body());
            } else {
                assertProblem(answer.statusCode(), answer.body(), status, problemType);
            }
        });
    }

    /** Demographics and solutions files that break their rules: a 422 with the rule's code, nothing loaded. */
    private static void demographicsAndSolutionsCases(List<DynamicTest> cases) {
        String row = "2023,\"Sudan\",\"SUD\",\"SDN\",\"Chad\",\"CHD\",\"TCD\",\"%s\",\"Abeche\",\"U\",\"I\",1,2,3,4,5,0,%d,0,5,7,0,0,0,12,%d\n";
        cases.add(refusedUpload("f_ bands that do not add up to f_total", "demographics",
                csv(DEMOGRAPHICS_HEADER + "\n" + row.formatted("REF", 16, 28)), "bands-do-not-add-up"));
        cases.add(refusedUpload("a pop_type outside the code list", "demographics",
                csv(DEMOGRAPHICS_HEADER + "\n" + row.formatted("XYZ", 15, 27)), "unknown-code"));
        String resettled = "2023,\"Syrian Arab Rep.\",\"SYR\",\"SYR\",\"Germany\",\"GFR\",\"DEU\",,%d,,\n";
        cases.add(refusedUpload("the same year, origin and asylum twice", "solutions",
                csv(SOLUTIONS_HEADER + "\n" + resettled.formatted(10) + resettled.formatted(20)), "duplicate-key"));
    }

    private static byte[] csv(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static DynamicTest upload(String name, String contentType, byte[] body, int status, String reportCode) {
        return DynamicTest.dynamicTest("upload: " + name, () -> {
            HttpResponse<String> answer = send(analystRequest("/api/releases/" + draft + "/datasets/population")
                    .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertProblem(answer.statusCode(), answer.body(), status, "invalid-file");
            assertTrue(new JsonPath(answer.body()).getList("report.errors.code").contains(reportCode), answer.body());
            assertTrue(answer.body().length() < 16_000, "the report quotes prefixes only: " + answer.body().length());
        });
    }

    /** A CSV upload of {@code dataset} refused whole: 422 invalid-file, its report naming only {@code reportCode}, no file kept. */
    private static DynamicTest refusedUpload(String name, String dataset, byte[] body, String reportCode) {
        return DynamicTest.dynamicTest("upload " + dataset + ": " + name, () -> {
            HttpResponse<String> answer = send(analystRequest("/api/releases/" + draft + "/datasets/" + dataset)
                    .header("Content-Type", "text/csv").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertProblem(answer.statusCode(), answer.body(), 422, "invalid-file");
            JsonPath report = new JsonPath(answer.body());
            assertEquals(List.of(reportCode), report.getList("report.errors.code").stream().distinct().toList(), answer.body());
            assertEquals(false, report.getBoolean("report.valid"), answer.body());
            HttpResponse<String> release = send(analystRequest("/api/releases/" + draft).GET().build());
            assertEquals(200, release.statusCode(), release.body());
            assertFalse(new JsonPath(release.body()).getList("files.dataset").contains(dataset), "nothing loaded: " + release.body());
        });
    }

    private static void assertProblem(int status, String body, int expectedStatus, String type) {
        assertEquals(expectedStatus, status, body);
        assertEquals(PROBLEMS + type, new JsonPath(body).getString("type"), body);
        assertFalse(body.matches("(?s).*(java\\.|Exception|localhost:|127\\.0\\.0\\.1).*"), "the problem leaks internals: " + body);
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(system.gateway() + path)).GET();
    }

    private static HttpRequest.Builder post(String path, String contentType, String body) {
        return HttpRequest.newBuilder(URI.create(system.gateway() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder analystRequest(String path) {
        return HttpRequest.newBuilder(URI.create(system.gateway() + path)).header("Authorization", "Bearer " + analyst);
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String json(String query) {
        return "{\"query\":\"" + query.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private static String aliases(int count, String field) {
        return IntStream.range(0, count).mapToObj(i -> "a" + i + ": " + field).collect(Collectors.joining(" "));
    }

    private static byte[] apiPage(String itemFields) {
        return ("{\"page\":1,\"maxPages\":1,\"total\":{\"page\":1},\"items\":[{" + itemFields + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** The header and the first rows of a sample file: a small valid upload. */
    private static List<String> firstLines(String relative, int count) throws IOException {
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(RepositoryFiles.sampleData(relative))), StandardCharsets.UTF_8))) {
            return in.lines().limit(count).toList();
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
