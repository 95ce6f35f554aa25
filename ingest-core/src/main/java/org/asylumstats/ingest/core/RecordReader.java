package org.asylumstats.ingest.core;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;

/** Reads the rows of one file format. */
interface RecordReader extends Closeable {

    /** snake-case-csv, labelled-csv or api-json. */
    String format();

    /** The canonical field names the file carries (known after the header or first item). */
    Set<String> fields();

    /** Header fields that map to nothing known (reported as warnings). */
    Set<String> unknownFields();

    /** The next row, or null at the end. */
    SourceRecord next() throws IOException;
}
