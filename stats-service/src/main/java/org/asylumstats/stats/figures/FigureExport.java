package org.asylumstats.stats.figures;

import org.asylumstats.stats.catalog.Release;

import java.util.List;

/**
 * Every group of a figures selection, for an export: the rows of {@link Results.Table} (the same
 * values, status and period end), each with the releases it comes from.
 *
 * @param releases     the releases of every reported figure in the selection, in id order
 * @param partialYears years in the selection that their release covers only in part
 */
public record FigureExport(Measure measure, Unit unit, List<Row> rows, List<Release> releases, List<Integer> partialYears) {

    /**
     * @param releases the releases the row's figures come from
     * @param partial  whether the row counts a year that its release covers only in part
     */
    public record Row(Results.Row figures, List<Release> releases, boolean partial) {
    }
}
