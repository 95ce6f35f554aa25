package org.asylumstats.ingest.core;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A file body made readable: gzip undone when the bytes say so, a UTF-8 byte-order mark skipped,
 * strict UTF-8 decoding (a wrong encoding is reported, never guessed), and whether it is JSON.
 */
record OpenedInput(Reader reader, boolean json, boolean compressed) {

    static OpenedInput open(InputStream body, long maxBytes) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(new LimitedInputStream(body, maxBytes, "file"), 1 << 16);
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
                plain = new BufferedInputStream(
                        new LimitedInputStream(new GZIPInputStream(raw, 1 << 16), maxBytes * 20, "decompressed file"), 1 << 16);
            } catch (ZipException e) {
                throw new UnreadableInputException("malformed-gzip", 0, "the gzip header is damaged: " + e.getMessage());
            }
        }
        plain = new GzipErrors(plain);
        plain.mark(4);
        byte[] bom = plain.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB && (bom[2] & 0xff) == 0xBF)) {
            plain.reset();
        }
        plain.mark(4096);
        int first;
        do {
            first = plain.read();
        } while (first == ' ' || first == '\t' || first == '\r' || first == '\n');
        plain.reset();
        if (first < 0) {
            throw new UnreadableInputException("empty-file", 1, "the file holds no data");
        }
        Reader reader = new InputStreamReader(plain, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        return new OpenedInput(reader, first == '{' || first == '[', compressed);
    }

    /** Turns the JDK's zlib errors of a damaged or truncated gzip stream into a report code. */
    private static final class GzipErrors extends java.io.FilterInputStream {
        GzipErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | java.io.EOFException e) {
                throw damaged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | java.io.EOFException e) {
                throw damaged(e);
            }
        }

        private static UnreadableInputException damaged(IOException e) {
            return new UnreadableInputException("malformed-gzip", 0, "the gzip stream is damaged or truncated: " + e.getMessage());
        }
    }
}
