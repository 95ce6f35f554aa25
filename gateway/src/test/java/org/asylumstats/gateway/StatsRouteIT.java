package org.asylumstats.gateway;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The stats-service route (GET, exports, caching headers, CORS) against the built artifact (native with -Pnative). */
@QuarkusIntegrationTest
class StatsRouteIT extends StatsRouteTest {
}
