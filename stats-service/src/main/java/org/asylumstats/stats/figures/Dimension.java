package org.asylumstats.stats.figures;

import org.asylumstats.ingest.core.Dataset;

/**
 * What rows may be grouped by: the procedure dimensions exist only in the asylum datasets, sex, age
 * group and population type only in demographics.
 */
public enum Dimension {
    YEAR("f.year"),
    ORIGIN("f.origin"),
    ASYLUM("f.asylum"),
    ORIGIN_REGION("co.region"),
    ASYLUM_REGION("ca.region"),
    PROCEDURE("f.procedure", "procedure"),
    APPLICATION_TYPE("f.application_type", "application_type"),
    DECISION_LEVEL("f.decision_level", "decision_level"),
    SEX("c.sex", Dataset.DEMOGRAPHICS),
    AGE_GROUP("c.age_group", Dataset.DEMOGRAPHICS),
    POPULATION_TYPE("f.population_type", "population_type");

    private final String sql;
    private final String codeColumn;
    private final Dataset only;

    /** A dimension every dataset has. */
    Dimension(String sql) {
        this(sql, (String) null);
    }

    /** A dimension of the datasets with this code column. */
    Dimension(String sql, String codeColumn) {
        this.sql = sql;
        this.codeColumn = codeColumn;
        this.only = null;
    }

    /** A dimension of the sex x age cells of one dataset's rows (see {@link AgeGroup}). */
    Dimension(String sql, Dataset only) {
        this.sql = sql;
        this.codeColumn = null;
        this.only = only;
    }

    String sql() {
        return sql;
    }

    /** Whether it needs a row split into its sex x age cells. */
    boolean cells() {
        return only != null;
    }

    boolean appliesTo(Dataset dataset) {
        if (only != null) {
            return dataset == only;
        }
        return codeColumn == null || dataset.codes().stream().anyMatch(c -> c.column().equals(codeColumn));
    }
}
