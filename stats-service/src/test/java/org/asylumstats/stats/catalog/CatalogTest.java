package org.asylumstats.stats.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The catalog's snapshots: one load per generation of publications, "as of" maps loaded once and held within a bound. */
class CatalogTest {

    private static InForce inForce(long release) {
        return new InForce(Map.of("population", List.of(new InForce.ReleaseYears(release, List.of(2022, 2023)))));
    }

    @Test
    void aSnapshotIsLoadedOncePerGeneration() {
        StubCatalogSource source = new StubCatalogSource(load -> new CatalogSource.Publications(
                StubCatalogSource.releases(StubCatalogSource.published(load, List.of())), inForce(load)));
        Catalog catalog = new Catalog(source);
        Snapshot first = catalog.snapshot();
        assertSame(first, catalog.snapshot());
        assertEquals(1, source.loads());
        catalog.releasesChanged();
        Snapshot second = catalog.snapshot();
        assertEquals(2, source.loads());
        assertEquals(first.generation() + 1, second.generation());
        assertEquals(2L, second.inForce(null).of("population").getFirst().release());
    }

    @Test
    void inForceAsOfAReleaseIsLoadedOnceAndHeldWithinABound() {
        Release[] published = new Release[Snapshot.AS_OF_HELD + 1];
        for (int i = 0; i < published.length; i++) {
            published[i] = StubCatalogSource.published(i + 1, List.of());
        }
        StubCatalogSource source = new StubCatalogSource(load -> new CatalogSource.Publications(StubCatalogSource.releases(published), inForce(1)));
        Snapshot snapshot = new Catalog(source).snapshot();
        assertEquals(7L, snapshot.inForce(7L).of("population").getFirst().release());
        assertSame(snapshot.inForce(7L), snapshot.inForce(7L));
        assertEquals(1, source.asOfLoads());
        for (Release r : published) {
            snapshot.inForce(r.id());
        }
        assertEquals(Snapshot.AS_OF_HELD, snapshot.asOfHeld());
        assertEquals(Snapshot.AS_OF_HELD + 1, source.asOfLoads());
        assertSame(InForce.NOTHING, snapshot.inForce(999L), "not a published release: nothing in force, nothing loaded");
        assertEquals(Snapshot.AS_OF_HELD + 1, source.asOfLoads());
    }
}
