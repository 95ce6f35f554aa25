package org.asylumstats.stats.figures;

import org.asylumstats.ingest.core.Dataset;

/** What is counted: each measure is one count column of one dataset. */
public enum Measure {
    REFUGEES(Dataset.POPULATION, "refugees"),
    ASYLUM_SEEKERS(Dataset.POPULATION, "asylum_seekers"),
    RETURNED_REFUGEES(Dataset.POPULATION, "returned_refugees"),
    IDPS(Dataset.POPULATION, "idps"),
    RETURNED_IDPS(Dataset.POPULATION, "returned_idps"),
    STATELESS(Dataset.POPULATION, "stateless"),
    OTHERS_OF_CONCERN(Dataset.POPULATION, "others_of_concern"),
    OTHER_IN_NEED(Dataset.POPULATION, "other_in_need"),
    HOST_COMMUNITY(Dataset.POPULATION, "host_community"),
    APPLICATIONS(Dataset.ASYLUM_APPLICATIONS, "applied"),
    RECOGNIZED(Dataset.ASYLUM_DECISIONS, "recognized"),
    COMPLEMENTARY_PROTECTION(Dataset.ASYLUM_DECISIONS, "complementary_protection"),
    REJECTED(Dataset.ASYLUM_DECISIONS, "rejected"),
    OTHERWISE_CLOSED(Dataset.ASYLUM_DECISIONS, "otherwise_closed"),
    TOTAL_DECISIONS(Dataset.ASYLUM_DECISIONS, "total_decisions");

    private final Dataset dataset;
    private final String column;

    Measure(Dataset dataset, String column) {
        this.dataset = dataset;
        this.column = column;
        if (dataset.counts().stream().noneMatch(c -> c.column().equals(column))) {
            throw new IllegalStateException(column + " is not a count of " + dataset);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public String column() {
        return column;
    }

    /** Whether the dataset distinguishes persons from cases (population counts persons only). */
    public boolean hasUnit() {
        return dataset.unit().isPresent();
    }
}
