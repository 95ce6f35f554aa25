package org.asylumstats.stats.catalog;

import org.asylumstats.ingest.core.CountryReference;
import org.asylumstats.stats.figures.QueryException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** The country reference: countries by code (in name order), the codes and aliases callers may type, the regions. */
public record Countries(Map<String, Country> byCode, CountryReference reference, Set<String> regions) {

    /** {@code byCode} in name order; {@code aliases}: alias to canonical code. */
    public static Countries of(Map<String, Country> byCode, Map<String, String> aliases) {
        List<CountryReference.Country> ref = new ArrayList<>();
        byCode.values().forEach(c -> ref.add(new CountryReference.Country(c.code(), c.isoCode(), c.unhcrCode(), ref.size())));
        Set<String> regions = new TreeSet<>();
        byCode.values().stream().map(Country::region).filter(Objects::nonNull).forEach(regions::add);
        return new Countries(Collections.unmodifiableMap(new LinkedHashMap<>(byCode)), new CountryReference(ref, aliases),
                Collections.unmodifiableSet(regions));
    }

    /** Canonical codes for what a caller typed (ISO3 or UNHCR code); unknown codes are an error. */
    public String[] canonicalCodes(String argument, List<String> codes) {
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

    /** The region names asked for; a name that is not a region is an error. */
    public String[] regions(String argument, List<String> names) {
        for (String name : names) {
            if (!regions.contains(name)) {
                throw new QueryException(argument + ": '" + QueryException.prefix(name) + "' is not a region; regions are " + String.join(", ", regions));
            }
        }
        return names.toArray(String[]::new);
    }
}
