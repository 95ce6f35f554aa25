package org.asylumstats.stats.figures;

/** Whether a figure comes from a release that marks its year preliminary. */
public enum FigureStatus {
    PRELIMINARY, FINAL
}
