package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** Health answers on the management interface (the probes' port) and nowhere on the public port. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ManagementInterfaceTest {

    @TestHTTPResource(value = "/health/ready", management = true) // relative to the management root, /q
    URL readiness;

    @Test
    void healthIsOnTheManagementInterfaceOnly() {
        given().get(readiness).then().statusCode(200).body("status", containsString("UP"));
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/health").then().statusCode(404);
    }
}
