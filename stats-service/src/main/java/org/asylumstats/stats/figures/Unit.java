package org.asylumstats.stats.figures;

/** Persons or cases: never added together. */
public enum Unit {
    PERSONS, CASES
}
