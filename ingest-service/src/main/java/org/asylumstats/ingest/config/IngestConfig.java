package org.asylumstats.ingest.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.asylumstats.ingest.core.InputLimits;

import java.time.Duration;

/** Settings of the ingest service ({@code asylumstats.ingest.*}). */
@ConfigMapping(prefix = "asylumstats.ingest")
public interface IngestConfig {

    /** Largest dataset file accepted as uploaded, compressed or not. */
    @WithDefault("512M")
    MemorySize maxUploadBytes();

    /** Largest file once gzip is undone. */
    @WithDefault("512M")
    MemorySize maxInflatedBytes();

    /** Inflated bytes per compressed byte, judged after the first MiB (real UNHCR files: 12). */
    @WithDefault("200")
    int maxCompressionRatio();

    /** Longest CSV field, JSON string, number or key, in characters (real files: 64). */
    @WithDefault("4096")
    int maxFieldChars();

    /** Longest CSV row, in characters (real files: 252). */
    @WithDefault("65536")
    int maxRecordChars();

    /** Most columns of a header, fields of a row and keys of a JSON item (real files: 26). */
    @WithDefault("64")
    int maxColumns();

    /** Deepest nesting of JSON objects and arrays (a UNHCR API page: 3). */
    @WithDefault("16")
    int maxJsonDepth();

    /**
     * Longest time to receive an upload's body, however slowly it trickles in (the gateway gives up
     * on ingest after 120 s anyway); past it the connection is closed.
     */
    @WithDefault("120S")
    Duration maxUploadDuration();

    default InputLimits inputLimits() {
        return new InputLimits(maxUploadBytes().asLongValue(), maxInflatedBytes().asLongValue(), maxCompressionRatio(),
                maxFieldChars(), maxRecordChars(), maxColumns(), maxJsonDepth());
    }
}
