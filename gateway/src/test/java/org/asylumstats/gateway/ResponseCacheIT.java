package org.asylumstats.gateway;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The response cache against the built artifact (the native executable with -Pnative: Caffeine's generated classes). */
@QuarkusIntegrationTest
class ResponseCacheIT extends ResponseCacheTest {
}
