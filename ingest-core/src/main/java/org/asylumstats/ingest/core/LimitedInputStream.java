package org.asylumstats.ingest.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Stops reading past a byte limit: guards against oversized files and gzip bombs alike. */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final String what;
    private long count;

    LimitedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    private void count(int n) throws UnreadableInputException {
        count += n;
        if (count > limit) {
            throw new UnreadableInputException("file-too-large", 0,
                    "the " + what + " is larger than the limit of " + limit + " bytes");
        }
    }
}
