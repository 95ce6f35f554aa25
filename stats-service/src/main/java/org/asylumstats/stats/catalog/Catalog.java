package org.asylumstats.stats.catalog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.asylumstats.ingest.core.CountryReference;
import org.asylumstats.stats.figures.QueryException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Countries and visible releases held in memory: a few hundred rows that every answer refers to,
 * so that resolving them never costs a query per row. Releases are reloaded on every change.
 * Each method reads one snapshot once: a change heard meanwhile never leaves it half-read.
 */
@ApplicationScoped
public class Catalog {

    private record Countries(Map<String, Country> byCode, CountryReference reference, Set<String> regions) {
    }

    /** Releases as loaded in one generation of changes. */
    private record Releases(long generation, Map<Long, Release> byId) {
    }

    private volatile Countries countries;
    private final AtomicReference<Releases> releases = new AtomicReference<>();
    private final AtomicLong generation = new AtomicLong();

    public Country country(String code) {
        return code == null ? null : snapshot().byCode().get(code);
    }

    public Collection<Country> countries() {
        return snapshot().byCode().values();
    }

    public Release release(long id) {
        return currentReleases().get(id);
    }

    /** Visible releases in publication order. */
    public List<Release> releases() {
        return new ArrayList<>(currentReleases().values());
    }

    /** Canonical codes for what a caller typed (ISO3 or UNHCR code); unknown codes are an error. */
    public String[] canonicalCodes(String argument, List<String> codes) {
        CountryReference reference = snapshot().reference();
        String[] canonical = new String[codes.size()];
        for (int i = 0; i < canonical.length; i++) {
            CountryReference.Country c = reference.byAnyCode(codes.get(i).strip());
            if (c == null) {
                throw new QueryException(argument + ": '" + QueryException.prefix(codes.get(i)) + "' is not a known ISO3 or UNHCR country code");
            }
            canonical[i] = c.code();
        }
        return canonical;
    }

    public String[] regions(String argument, List<String> names) {
        Set<String> regions = snapshot().regions();
        for (String name : names) {
            if (!regions.contains(name)) {
                throw new QueryException(argument + ": '" + QueryException.prefix(name) + "' is not a region; regions are " + String.join(", ", regions));
            }
        }
        return names.toArray(String[]::new);
    }

    /** Drops the releases (called when a publication or retraction is heard of). */
    public void releasesChanged() {
        generation.incrementAndGet();
        releases.set(null);
    }

    private Countries snapshot() {
        Countries loaded = countries;
        if (loaded == null) {
            loaded = QuarkusTransaction.requiringNew().call(Catalog::loadCountries);
            countries = loaded;
        }
        return loaded;
    }

    /**
     * The releases of the current generation. A load that overlapped a change is handed to its caller
     * (who asked before the change) but never served to later ones: its generation is stale.
     */
    private Map<Long, Release> currentReleases() {
        long current = generation.get();
        Releases loaded = releases.get();
        if (loaded != null && loaded.generation() == current) {
            return loaded.byId();
        }
        Map<Long, Release> byId = QuarkusTransaction.requiringNew().call(() -> {
            Map<Long, Release> map = new LinkedHashMap<>();
            Release.<Release>list("order by publishedOn, publicationSeq").forEach(r -> map.put(r.id, r));
            return map;
        });
        releases.accumulateAndGet(new Releases(current, byId),
                (seen, fresh) -> seen != null && seen.generation() >= fresh.generation() ? seen : fresh);
        return byId;
    }

    private static Countries loadCountries() {
        Map<String, Country> byCode = new LinkedHashMap<>();
        Country.<Country>list("order by name").forEach(c -> byCode.put(c.code, c));
        List<CountryReference.Country> ref = new ArrayList<>();
        byCode.values().forEach(c -> ref.add(new CountryReference.Country(c.code, c.isoCode, c.unhcrCode, ref.size())));
        Map<String, String> aliases = new HashMap<>();
        Country.getEntityManager().createNativeQuery("SELECT alias, code FROM stats.country_alias", Object[].class)
                .getResultList().forEach(row -> aliases.put((String) ((Object[]) row)[0], (String) ((Object[]) row)[1]));
        Set<String> regionNames = new TreeSet<>();
        byCode.values().stream().map(c -> c.region).filter(Objects::nonNull).forEach(regionNames::add);
        return new Countries(byCode, new CountryReference(ref, aliases), regionNames);
    }
}
