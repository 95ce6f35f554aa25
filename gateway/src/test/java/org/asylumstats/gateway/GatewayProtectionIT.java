package org.asylumstats.gateway;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Refused tokens, failing back-ends, rate and body limits against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class GatewayProtectionIT extends GatewayProtectionTest {
}
