package org.asylumstats.stats.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What one generation of publications looks like to a question: the countries, the visible
 * releases (in publication order) and which releases are in force, now or as of a release. Every
 * answer is computed from one snapshot and cached under that snapshot's generation.
 */
public final class Snapshot {

    /** In-force maps "as of" a release kept per snapshot: each is a few hundred (release, year) pairs. */
    static final int AS_OF_HELD = 64;

    private final long generation;
    private final Countries countries;
    private final Map<Long, Release> releases;
    private final InForce current;
    private final LongFunction<InForce> asOfLoader;
    private final String version;
    private final Map<Long, InForce> asOf = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, InForce> eldest) {
            return size() > AS_OF_HELD;
        }
    };

    /**
     * @param releases   visible releases in publication order
     * @param current    what {@code stats.in_force(NULL)} answered
     * @param asOfLoader what {@code stats.in_force(id)} answers, asked the first time a question names the release
     */
    public Snapshot(long generation, Countries countries, Map<Long, Release> releases, InForce current, LongFunction<InForce> asOfLoader) {
        this.generation = generation;
        this.countries = countries;
        this.releases = Collections.unmodifiableMap(new LinkedHashMap<>(releases));
        this.current = current;
        this.asOfLoader = asOfLoader;
        this.version = digest(this.releases, current);
    }

    /**
     * A digest of what the snapshot holds (every visible release with its state, and what is in force):
     * the same on every replica that reads the same database, and different after any publication or
     * retraction that changes what a question can see. HTTP answers derive their ETag from it; the
     * generation cannot serve, being a counter of one process.
     */
    public String version() {
        return version;
    }

    private static String digest(Map<Long, Release> releases, InForce current) {
        StringBuilder canonical = new StringBuilder();
        releases.values().forEach(release -> canonical.append(release).append('\n'));
        new java.util.TreeMap<>(current.byDataset()).forEach((dataset, held) -> canonical.append(dataset).append(held).append('\n'));
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The generation of publications read before this snapshot was loaded. */
    public long generation() {
        return generation;
    }

    public Countries countries() {
        return countries;
    }

    public Release release(long id) {
        return releases.get(id);
    }

    /** Visible releases in publication order. */
    public List<Release> releases() {
        return new ArrayList<>(releases.values());
    }

    /** Published releases in publication order. */
    public List<Release> published() {
        return releases.values().stream().filter(Release::published).toList();
    }

    /** The releases in force now ({@code asOf} null) or as of release {@code asOf} (nothing unless it is published). */
    public InForce inForce(Long asOf) {
        if (asOf == null) {
            return current;
        }
        Release release = releases.get(asOf);
        if (release == null || !release.published()) {
            return InForce.NOTHING;
        }
        synchronized (this.asOf) {
            InForce held = this.asOf.get(asOf);
            if (held != null) {
                return held;
            }
        }
        // loaded outside the lock: two callers may both load it, neither waits on the other's query
        InForce loaded = asOfLoader.apply(asOf);
        synchronized (this.asOf) {
            this.asOf.putIfAbsent(asOf, loaded);
        }
        return loaded;
    }

    /** The release whose figures of {@code dataset} count for {@code year}, now or as of {@code asOf}; null when none does. */
    public Release releaseInForce(String dataset, Long asOf, int year) {
        for (InForce.ReleaseYears held : inForce(asOf).of(dataset)) {
            if (held.years().contains(year)) {
                return releases.get(held.release());
            }
        }
        return null;
    }

    /** How many "as of" maps are held (for the test of the bound). */
    int asOfHeld() {
        synchronized (asOf) {
            return asOf.size();
        }
    }
}
