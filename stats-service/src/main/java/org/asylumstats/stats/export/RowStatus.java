package org.asylumstats.stats.export;

import org.asylumstats.stats.figures.FigureExport;
import org.asylumstats.stats.figures.FigureStatus;

/** A row's status in an export: preliminary (subject to revision) and partial (its year covered only in part) are separate facts. */
final class RowStatus {

    private RowStatus() {
    }

    /** The CSV {@code status} column: final, preliminary, partial or "preliminary partial". */
    static String word(FigureExport.Row row) {
        boolean preliminary = row.figures().status() == FigureStatus.PRELIMINARY;
        if (preliminary) {
            return row.partial() ? "preliminary partial" : "preliminary";
        }
        return row.partial() ? "partial" : "final";
    }

    /** JSON-stat's status of the value: p preliminary, h partial year, ph both; null when final. */
    static String code(FigureExport.Row row) {
        String code = (row.figures().status() == FigureStatus.PRELIMINARY ? "p" : "") + (row.partial() ? "h" : "");
        return code.isEmpty() ? null : code;
    }
}
