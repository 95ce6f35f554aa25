package org.asylumstats.ingest.core;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings, keeping the first {@value #LIMIT} of each and counting all. */
final class ReportCollector {

    static final int LIMIT = 100;
    /** Messages quote at most {@link Excerpt#MAX_CHARS} characters of a value; this bounds the rest. */
    static final int MAX_MESSAGE_CHARS = 400;

    private final List<Issue> errors = new ArrayList<>();
    private final List<Issue> warnings = new ArrayList<>();
    private long errorCount;
    private long warningCount;

    void error(long line, String column, String code, String message) {
        if (errorCount++ < LIMIT) {
            errors.add(issue(line, column, code, message));
        }
    }

    void warning(long line, String column, String code, String message) {
        if (warningCount++ < LIMIT) {
            warnings.add(issue(line, column, code, message));
        }
    }

    /** The last guard before a report is answered and stored: a column is an excerpt, a message bounded and free of control characters. */
    private static Issue issue(long line, String column, String code, String message) {
        String text = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
        return new Issue(line, Excerpt.of(column), code, text.replaceAll("\\p{Cntrl}", "\uFFFD"));
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
