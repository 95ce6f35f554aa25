package org.asylumstats.ingest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Reference periods against the built artifact: the native executable's JSON reading (the strict date) included with -Pnative. */
@QuarkusIntegrationTest
class ReferencePeriodsIT extends ReferencePeriodsTest {
}
