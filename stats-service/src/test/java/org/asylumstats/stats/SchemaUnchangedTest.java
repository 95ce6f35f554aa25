package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The served schema is byte for byte the committed one, stats-service/schema.graphql: the API
 * reference front-end developers read and diff between versions, which no change of the API
 * leaves behind. A deliberate change copies target/served-schema.graphql over it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class SchemaUnchangedTest {

    private static final Path COMMITTED = Path.of("schema.graphql");
    private static final Path SERVED = Path.of("target", "served-schema.graphql");

    @Test
    void theServedSchemaIsTheCommittedOne() throws IOException {
        String served = given().get("/graphql/schema.graphql").then().statusCode(200).extract().asString();
        Files.writeString(SERVED, served, StandardCharsets.UTF_8);
        assertEquals(Files.readString(COMMITTED, StandardCharsets.UTF_8), served,
                "the served schema differs from " + COMMITTED.toAbsolutePath() + "; if the change is meant, copy " + SERVED.toAbsolutePath() + " over it");
    }
}
