package org.asylumstats.stats.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Countries, visible releases and what is in force, held in memory: a few hundred rows that every
 * answer refers to, so that resolving them never costs a query per row.
 * <p>
 * The one counter of publication generations lives here: {@link #releasesChanged()} starts a new
 * generation, and {@link #snapshot()} records the generation it read <em>before</em> loading. A
 * change heard during a load therefore leaves that snapshot (and the answers computed from it,
 * which the answer cache keys with the snapshot's generation) under the old generation, where no
 * later question looks.
 */
@ApplicationScoped
public class Catalog {

    private final CatalogSource source;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private volatile Countries countries;

    @Inject
    public Catalog(CatalogSource source) {
        this.source = source;
    }

    /** The snapshot of the current generation, loaded if none is held for it. */
    public Snapshot snapshot() {
        long current = generation.get();
        Snapshot held = snapshot.get();
        if (held != null && held.generation() == current) {
            return held;
        }
        CatalogSource.Publications publications = source.publications();
        Snapshot loaded = new Snapshot(current, countriesReference(), publications.releases(), publications.current(), source::inForceAsOf);
        // a slower load of an older generation never replaces a newer one
        snapshot.accumulateAndGet(loaded, (seen, fresh) -> seen != null && seen.generation() >= fresh.generation() ? seen : fresh);
        return loaded;
    }

    /** Called when a publication or retraction is heard of: a new generation begins. */
    public void releasesChanged() {
        generation.incrementAndGet();
        snapshot.set(null);
    }

    public Country country(String code) {
        return code == null ? null : countriesReference().byCode().get(code);
    }

    public Collection<Country> countries() {
        return countriesReference().byCode().values();
    }

    public Release release(long id) {
        return snapshot().release(id);
    }

    /** Visible releases in publication order. */
    public List<Release> releases() {
        return snapshot().releases();
    }

    /** Countries never change while the service runs (migrations write them). */
    private Countries countriesReference() {
        Countries loaded = countries;
        if (loaded == null) {
            loaded = source.countries();
            countries = loaded;
        }
        return loaded;
    }
}
