package org.asylumstats.stats.graphql;

import org.asylumstats.stats.catalog.Country;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/** A country as the API shows it. */
@Name("Country")
public record CountryType(@NonNull String code, @NonNull String unhcrCode, @NonNull String name, String region, String subregion) {

    static CountryType of(Country c) {
        return c == null ? null : new CountryType(c.code(), c.unhcrCode(), c.name(), c.region(), c.subregion());
    }
}
