package org.asylumstats.stats.figures;

/** The sex of persons in demographics; UNKNOWN: persons counted without a sex breakdown. */
public enum Sex {
    FEMALE, MALE, UNKNOWN
}
