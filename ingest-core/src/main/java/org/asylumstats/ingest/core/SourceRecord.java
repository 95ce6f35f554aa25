package org.asylumstats.ingest.core;

import java.util.Map;

/**
 * One row of an input file: its values by canonical field name ("-" and empty still as written),
 * and how many values it had against how many the header named.
 */
record SourceRecord(long line, Map<String, String> values, int valueCount, int expectedCount) {
}
