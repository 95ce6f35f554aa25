package org.asylumstats.stats.figures;

/** A selection with more groups than one answer may hold in full (an export is never cut). */
public class SelectionTooLargeException extends QueryException {

    private final long rows;
    private final int maxRows;

    public SelectionTooLargeException(long rows, int maxRows) {
        super("the selection has " + rows + " rows, at most " + maxRows + " may be exported: narrow it (fewer groups, years or countries)");
        this.rows = rows;
        this.maxRows = maxRows;
    }

    public long rows() {
        return rows;
    }

    public int maxRows() {
        return maxRows;
    }
}
