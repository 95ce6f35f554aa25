package org.asylumstats.ingest.core;

/**
 * One row of an input file: its values by header position ({@link HeaderMapping#column}; "-" and
 * empty still as written), and how many values it had against how many the header named.
 */
record SourceRecord(long line, String[] values, int valueCount, int expectedCount) {

    /** The value at a header position, or null when the row has none there (or the position is -1). */
    String value(int column) {
        return column >= 0 && column < values.length ? values[column] : null;
    }
}
