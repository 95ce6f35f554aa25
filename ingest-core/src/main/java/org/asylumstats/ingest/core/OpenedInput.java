package org.asylumstats.ingest.core;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A file body made readable: gzip undone when the bytes say so (within the inflated size and
 * ratio limits), a UTF-8 byte-order mark and leading blank lines skipped, strict UTF-8 decoding
 * (a wrong encoding is reported, never guessed), and whether it is JSON.
 *
 * @param firstLine the line of the file the reader starts on (after skipped blank lines)
 */
record OpenedInput(Reader reader, boolean json, boolean compressed, long firstLine) {

    static OpenedInput open(InputStream body, InputLimits limits) throws IOException {
        LimitedInputStream counted = new LimitedInputStream(body, limits.maxFileBytes(), "file");
        BufferedInputStream raw = new BufferedInputStream(counted, 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 < 0) {
            throw new UnreadableInputException("empty-file", 1, "the file is empty");
        }
        boolean compressed = b0 == 0x1f && b1 == 0x8b;
        InputStream plain = raw;
        if (compressed) {
            try {
                plain = new InflationGuard(new GZIPInputStream(raw, 1 << 16), counted, limits);
            } catch (ZipException | java.io.EOFException e) {
                throw new UnreadableInputException("malformed-gzip", 0, "the gzip header is damaged or truncated");
            }
        }
        PushbackInputStream text = new PushbackInputStream(new BufferedInputStream(new GzipErrors(plain), 1 << 16), 3);
        byte[] bom = text.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB && (bom[2] & 0xff) == 0xBF)) {
            text.unread(bom);
        }
        // read through (not mark over) leading white space: any amount of it is only a cost of reading
        long line = 1;
        int first;
        while ((first = text.read()) == ' ' || first == '\t' || first == '\r' || first == '\n') {
            if (first == '\n') {
                line++;
            }
        }
        if (first < 0) {
            throw new UnreadableInputException("empty-file", 1, "the file holds no data");
        }
        text.unread(first);
        Reader reader = new InputStreamReader(text, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        return new OpenedInput(reader, first == '{' || first == '[', compressed, line);
    }

    /** Stops inflating past the inflated size limit, or past the ratio limit once the grace is used up (gzip bombs). */
    private static final class InflationGuard extends FilterInputStream {
        private final LimitedInputStream compressed;
        private final InputLimits limits;
        private long inflated;

        InflationGuard(InputStream inflating, LimitedInputStream compressed, InputLimits limits) {
            super(inflating);
            this.compressed = compressed;
            this.limits = limits;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                inflated += n;
                if (inflated > limits.maxInflatedBytes()) {
                    throw new UnreadableInputException("file-too-large", 0,
                            "the decompressed file is larger than the limit of " + limits.maxInflatedBytes() + " bytes");
                }
                if (inflated > InputLimits.RATIO_GRACE_BYTES && inflated > compressed.count() * limits.maxCompressionRatio()) {
                    throw new UnreadableInputException("compression-ratio-too-high", 0,
                            "the file inflates more than " + limits.maxCompressionRatio() + " times its compressed size");
                }
            }
            return n;
        }
    }

    /** Turns the JDK's zlib errors of a damaged or truncated gzip stream into a report code. */
    private static final class GzipErrors extends FilterInputStream {
        GzipErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | java.io.EOFException e) {
                throw damaged();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | java.io.EOFException e) {
                throw damaged();
            }
        }

        private static UnreadableInputException damaged() {
            return new UnreadableInputException("malformed-gzip", 0, "the gzip stream is damaged or truncated");
        }
    }
}
