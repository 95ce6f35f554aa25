package org.asylumstats.stats.figures;

import org.asylumstats.ingest.core.Dataset;

/** What rows may be grouped by; the procedure dimensions exist only in the asylum datasets. */
public enum Dimension {
    YEAR("f.year", null),
    ORIGIN("f.origin", null),
    ASYLUM("f.asylum", null),
    ORIGIN_REGION("co.region", null),
    ASYLUM_REGION("ca.region", null),
    PROCEDURE("f.procedure", "procedure"),
    APPLICATION_TYPE("f.application_type", "application_type"),
    DECISION_LEVEL("f.decision_level", "decision_level");

    private final String sql;
    private final String codeColumn;

    Dimension(String sql, String codeColumn) {
        this.sql = sql;
        this.codeColumn = codeColumn;
    }

    String sql() {
        return sql;
    }

    boolean appliesTo(Dataset dataset) {
        return codeColumn == null || dataset.codes().stream().anyMatch(c -> c.column().equals(codeColumn));
    }
}
