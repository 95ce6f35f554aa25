package org.asylumstats.stats.catalog;

import java.util.Map;

/** Where the catalog is read from (the database; a stand-in in unit tests). */
public interface CatalogSource {

    Countries countries();

    /**
     * The visible releases in publication order and what is in force now, read together (one
     * snapshot of the database), so that every release in force is among the releases.
     */
    Publications publications();

    /** {@code stats.in_force(asOf)}: what was in force once release {@code asOf} was published. */
    InForce inForceAsOf(long asOf);

    record Publications(Map<Long, Release> releases, InForce current) {
    }
}
