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
import java.util.Set;
import java.util.TreeSet;

/**
 * Countries and visible releases held in memory: a few hundred rows that every answer refers to,
 * so that resolving them never costs a query per row. Releases are reloaded on every change.
 */
@ApplicationScoped
public class Catalog {

    private volatile Map<String, Country> countries;
    private volatile CountryReference reference;
    private volatile Set<String> regions;
    private volatile Map<Long, Release> releases;

    public Country country(String code) {
        ensureLoaded();
        return code == null ? null : countries.get(code);
    }

    public Collection<Country> countries() {
        ensureLoaded();
        return countries.values();
    }

    public Release release(long id) {
        ensureLoaded();
        return releases.get(id);
    }

    /** Visible releases in publication order. */
    public List<Release> releases() {
        ensureLoaded();
        return new ArrayList<>(releases.values());
    }

    /** Canonical codes for what a caller typed (ISO3 or UNHCR code); unknown codes are an error. */
    public String[] canonicalCodes(String argument, List<String> codes) {
        ensureLoaded();
        String[] canonical = new String[codes.size()];
        for (int i = 0; i < canonical.length; i++) {
            CountryReference.Country c = reference.byAnyCode(codes.get(i).strip());
            if (c == null) {
                throw new QueryException(argument + ": '" + codes.get(i) + "' is not a known ISO3 or UNHCR country code");
            }
            canonical[i] = c.code();
        }
        return canonical;
    }

    public String[] regions(String argument, List<String> names) {
        ensureLoaded();
        for (String name : names) {
            if (!regions.contains(name)) {
                throw new QueryException(argument + ": '" + name + "' is not a region; regions are " + String.join(", ", regions));
            }
        }
        return names.toArray(String[]::new);
    }

    /** Drops the releases (called when a publication or retraction is heard of). */
    public void releasesChanged() {
        releases = null;
    }

    private void ensureLoaded() {
        if (countries == null) {
            QuarkusTransaction.requiringNew().run(() -> {
                Map<String, Country> byCode = new LinkedHashMap<>();
                Country.<Country>list("order by name").forEach(c -> byCode.put(c.code, c));
                List<CountryReference.Country> ref = new ArrayList<>();
                byCode.values().forEach(c -> ref.add(new CountryReference.Country(c.code, c.isoCode, c.unhcrCode, ref.size())));
                Map<String, String> aliases = new HashMap<>();
                Country.getEntityManager().createNativeQuery("SELECT alias, code FROM stats.country_alias", Object[].class)
                        .getResultList().forEach(row -> aliases.put((String) ((Object[]) row)[0], (String) ((Object[]) row)[1]));
                Set<String> regionNames = new TreeSet<>();
                byCode.values().stream().map(c -> c.region).filter(java.util.Objects::nonNull).forEach(regionNames::add);
                reference = new CountryReference(ref, aliases);
                regions = regionNames;
                countries = byCode;
            });
        }
        if (releases == null) {
            QuarkusTransaction.requiringNew().run(() -> {
                Map<Long, Release> byId = new LinkedHashMap<>();
                Release.<Release>list("order by publishedOn, publicationSeq").forEach(r -> byId.put(r.id, r));
                releases = byId;
            });
        }
    }
}
