package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.asylumstats.testing.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The allow-list for production (anonymous callers run persisted documents only) and documents from
 * the configured folder (src/test/resources/persisted-documents).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
@TestProfile(PersistedDocumentsOnlyTest.AllowList.class)
class PersistedDocumentsOnlyTest {

    static final Path FOLDER = Path.of("src/test/resources/persisted-documents").toAbsolutePath();

    public static class AllowList implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("asylumstats.stats.persisted-documents.anonymous-only-persisted", "true",
                    "asylumstats.stats.persisted-documents.folder", FOLDER.toString());
        }
    }

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    static String token() {
        return Tokens.of(Keycloak.shared().baseUrl() + "/realms/asylum-stats/protocol/openid-connect/token", "viewer");
    }

    static String id(Path file) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static void assertRequired(Response answer) {
        assertEquals(403, answer.statusCode(), answer::asString);
        assertEquals("PERSISTED_DOCUMENT_REQUIRED", answer.jsonPath().getString("errors[0].extensions.code"), answer::asString);
    }

    @Test
    void anonymousQueryTextIsRefusedOverGetAndPost() {
        assertRequired(given().queryParam("query", "{ releases { id } }").get("/graphql"));
        assertRequired(given().contentType("application/json").body(Map.of("query", "{ releases { id } }")).post("/graphql"));
        assertRequired(given().contentType("application/graphql").body("{ releases { id } }".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/graphql"));
        assertRequired(given().contentType("text/plain").body("{\"query\": \"{ releases { id } }\"}").post("/graphql"));
    }

    @Test
    void anonymousCallersRunPersistedDocumentsAndTheAnswerMayBeShared() throws Exception {
        Response dashboard = given().queryParam("documentId", GraphQlOverGetTest.dashboardId("catalog.graphql")).get("/graphql");
        assertEquals(200, dashboard.statusCode(), dashboard::asString);
        assertNull(dashboard.jsonPath().get("errors"), dashboard::asString);
        assertEquals("public, max-age=60", dashboard.header("Cache-Control"));

        Response folder = given().queryParam("documentId", id(FOLDER.resolve("releases.graphql"))).get("/graphql");
        assertEquals(200, folder.statusCode(), folder::asString);
        assertNull(folder.jsonPath().get("errors"), folder::asString);
        assertEquals("Global Trends 2023", folder.jsonPath().getString("data.releases.find { it.id == '" + PublishedReleases.globalTrends + "' }.title"));
        Response posted = given().contentType("application/json").body(Map.of("documentId", id(FOLDER.resolve("releases.graphql")))).post("/graphql");
        assertEquals(folder.asString(), posted.asString());
    }

    @Test
    void aCallerWithATokenMaySendAnyQueryAndItsAnswerIsPrivate() {
        String token = token();
        Response byGet = given().auth().oauth2(token).queryParam("query", "{ releases { id } }").get("/graphql");
        assertEquals(200, byGet.statusCode(), byGet::asString);
        assertNull(byGet.jsonPath().get("errors"), byGet::asString);
        assertEquals("private, max-age=60", byGet.header("Cache-Control"));
        Response byPost = given().auth().oauth2(token).contentType("application/json").body(Map.of("query", "{ releases { id } }")).post("/graphql");
        assertEquals(200, byPost.statusCode(), byPost::asString);
        assertEquals(byGet.asString(), byPost.asString());
    }

    @Test
    void theParsersTokenLimitHoldsForPersistedDocumentsOverGet() throws Exception {
        // 2,100 tokens do not fit a GET's request line as text (414); as a document they reach the parser, which refuses them
        Path document = FOLDER.resolve("past-the-parser-limit.graphql");
        Response byId = given().queryParam("documentId", id(document)).get("/graphql");
        assertEquals(200, byId.statusCode(), byId::asString);
        assertEquals("Unparseable input document", byId.jsonPath().getString("errors[0].message"), byId::asString);
        Response byText = given().auth().oauth2(token()).contentType("application/json")
                .body(Map.of("query", Files.readString(document))).post("/graphql");
        assertEquals(byText.asString(), byId.asString());
    }
}
