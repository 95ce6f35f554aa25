package org.asylumstats.gateway;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Routing and streaming against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class GatewayRoutingIT extends GatewayRoutingTest {
}
