package org.asylumstats.ingest.core;

import java.util.List;

/**
 * What validation found in one file: at most {@link ReportCollector#LIMIT} errors and warnings
 * listed, with their totals. A file with any error loads nothing.
 */
public record ValidationReport(
        String dataset,
        String format,
        boolean valid,
        long rows,
        List<Integer> years,
        long errorCount,
        List<Issue> errors,
        long warningCount,
        List<Issue> warnings,
        String sha256,
        long bytes) {

    public ValidationReport withChecksum(String sha256, long bytes) {
        return new ValidationReport(dataset, format, valid, rows, years, errorCount, errors, warningCount, warnings, sha256, bytes);
    }
}
