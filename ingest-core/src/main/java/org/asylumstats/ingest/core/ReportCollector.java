package org.asylumstats.ingest.core;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings, keeping the first {@value #LIMIT} of each and counting all. */
final class ReportCollector {

    static final int LIMIT = 100;

    private final List<Issue> errors = new ArrayList<>();
    private final List<Issue> warnings = new ArrayList<>();
    private long errorCount;
    private long warningCount;

    void error(long line, String column, String code, String message) {
        if (errorCount++ < LIMIT) {
            errors.add(new Issue(line, column, code, message));
        }
    }

    void warning(long line, String column, String code, String message) {
        if (warningCount++ < LIMIT) {
            warnings.add(new Issue(line, column, code, message));
        }
    }

    boolean hasErrors() {
        return errorCount > 0;
    }

    ValidationReport report(Dataset dataset, String format, long rows, List<Integer> years) {
        boolean valid = errorCount == 0;
        return new ValidationReport(dataset.pathName(), format, valid, valid ? rows : 0, years,
                errorCount, List.copyOf(errors), warningCount, List.copyOf(warnings), null, 0);
    }
}
