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

    /** The same report with a finding about the file as a whole listed first (the list stays bounded). */
    public ValidationReport withWarning(Issue warning) {
        List<Issue> listed = new java.util.ArrayList<>(List.of(warning));
        listed.addAll(warnings.subList(0, Math.min(warnings.size(), ReportCollector.LIMIT - 1)));
        return new ValidationReport(dataset, format, valid, rows, years, errorCount, errors, warningCount + 1, List.copyOf(listed), sha256, bytes);
    }

    public ValidationReport withChecksum(String sha256, long bytes) {
        return new ValidationReport(dataset, format, valid, rows, years, errorCount, errors, warningCount, warnings, sha256, bytes);
    }
}
