package org.asylumstats.ingest.core;

/**
 * Bounds on what one uploaded file may make the service hold or compute, so that a hostile file
 * costs no more than a large honest one. UNHCR's real files stay far inside them: at most 26
 * columns, 252-character lines, 64-character names and a 12:1 gzip ratio.
 *
 * @param maxFileBytes          the file as uploaded, compressed or not
 * @param maxInflatedBytes      the file after gzip is undone
 * @param maxCompressionRatio   inflated bytes per compressed byte, checked once {@link #RATIO_GRACE_BYTES} are inflated
 * @param maxFieldChars         one CSV field, JSON string, number or key
 * @param maxRecordChars        one CSV record (a row, quoted line breaks included)
 * @param maxColumns            columns of the header, fields of a row, keys of a JSON item
 * @param maxJsonDepth          nesting of JSON objects and arrays
 */
public record InputLimits(long maxFileBytes, long maxInflatedBytes, int maxCompressionRatio, int maxFieldChars,
                          int maxRecordChars, int maxColumns, int maxJsonDepth) {

    /** Small files compress unevenly (a header and a few repeated rows): the ratio is judged after this much. */
    public static final long RATIO_GRACE_BYTES = 1L << 20;

    public InputLimits {
        if (maxFileBytes <= 0 || maxInflatedBytes <= 0 || maxCompressionRatio <= 0 || maxFieldChars <= 0
                || maxRecordChars < maxFieldChars || maxColumns <= 0 || maxJsonDepth <= 0) {
            throw new IllegalArgumentException("input limits must be positive, a record at least a field: " + this);
        }
    }

    /** The defaults for a file limit: inflated size equal to it, ratio 200:1, 4 KiB fields, 64 KiB records, 64 columns, depth 16. */
    public static InputLimits defaults(long maxFileBytes) {
        return new InputLimits(maxFileBytes, maxFileBytes, 200, 4096, 65_536, 64, 16);
    }
}
