package org.asylumstats.stats.catalog;

/** A country of the reference (stats.country). code: ISO3 where it has one, else UNHCR's code. */
public record Country(String code, String isoCode, String unhcrCode, String name, String region, String subregion) {
}
