package org.asylumstats.stats.catalog;

import java.util.List;
import java.util.Map;

/**
 * Which release's figures count for each dataset and year, as {@code stats.in_force} answered it:
 * per dataset (its path name), the releases in force with the years each one holds.
 */
public record InForce(Map<String, List<ReleaseYears>> byDataset) {

    public static final InForce NOTHING = new InForce(Map.of());

    /** The years (ascending) for which one release is in force. */
    public record ReleaseYears(long release, List<Integer> years) {
    }

    public List<ReleaseYears> of(String dataset) {
        return byDataset.getOrDefault(dataset, List.of());
    }
}
