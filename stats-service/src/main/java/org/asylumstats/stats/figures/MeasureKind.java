package org.asylumstats.stats.figures;

/** A stock is counted at the end of its period (refugees at 31 December); a flow over it (applications in the year). */
public enum MeasureKind {
    STOCK, FLOW
}
