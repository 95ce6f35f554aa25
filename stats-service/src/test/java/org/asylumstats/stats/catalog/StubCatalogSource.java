package org.asylumstats.stats.catalog;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** A catalog without a database: a few countries, and the releases and in-force map a test hands it per load. */
public final class StubCatalogSource implements CatalogSource {

    public static final Countries COUNTRIES = Countries.of(sampleCountries(), Map.of("SY", "SYR"));

    private final IntFunction<Publications> publications;
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicInteger asOfLoads = new AtomicInteger();

    /** Nothing published. */
    public StubCatalogSource() {
        this(load -> new Publications(Map.of(), InForce.NOTHING));
    }

    /** {@code publications}: what the n-th load (from 1) reads. */
    public StubCatalogSource(IntFunction<Publications> publications) {
        this.publications = publications;
    }

    public static Release published(long id, List<Integer> preliminaryYears) {
        return new Release(id, "Release " + id, "UNHCR", LocalDate.of(2024, 1, 1).plusDays(id), preliminaryYears, "PUBLISHED",
                List.of("population", "asylum-applications", "asylum-decisions"), List.of());
    }

    public static Map<Long, Release> releases(Release... releases) {
        Map<Long, Release> byId = new LinkedHashMap<>();
        for (Release r : releases) {
            byId.put(r.id(), r);
        }
        return byId;
    }

    @Override
    public Countries countries() {
        return COUNTRIES;
    }

    @Override
    public Publications publications() {
        return publications.apply(loads.incrementAndGet());
    }

    /** As of a release: that release alone, in force for 2023. */
    @Override
    public InForce inForceAsOf(long asOf) {
        asOfLoads.incrementAndGet();
        return new InForce(Map.of("population", List.of(new InForce.ReleaseYears(asOf, List.of(2023)))));
    }

    public int loads() {
        return loads.get();
    }

    public int asOfLoads() {
        return asOfLoads.get();
    }

    private static Map<String, Country> sampleCountries() {
        Map<String, Country> byCode = new LinkedHashMap<>();
        byCode.put("AFG", new Country("AFG", "AFG", "AFG", "Afghanistan", "Asia and the Pacific", "Southern Asia"));
        byCode.put("DEU", new Country("DEU", "DEU", "GFR", "Germany", "Europe", "Western Europe"));
        byCode.put("SYR", new Country("SYR", "SYR", "SYR", "Syrian Arab Rep.", "Middle East and North Africa", "Western Asia"));
        return byCode;
    }
}
