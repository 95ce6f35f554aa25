package org.asylumstats.ingest.core;

import java.util.Arrays;

/**
 * An open-addressing set of longs: the duplicate-key check keeps one packed long per row
 * (8–16 bytes) instead of a boxed key object (~100 bytes).
 */
final class LongHashSet {

    private static final long EMPTY = Long.MIN_VALUE;

    private long[] slots;
    private int size;

    /** An empty set of {@code capacity} slots (a power of two), doubled whenever half full. */
    LongHashSet(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("the capacity must be a power of two: " + capacity);
        }
        slots = new long[capacity];
        Arrays.fill(slots, EMPTY);
    }

    /** Adds {@code value} (never {@link Long#MIN_VALUE}); false when it was already there. */
    boolean add(long value) {
        if (size * 2 >= slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == EMPTY) {
                slots[i] = value;
                size++;
                return true;
            }
            if (slots[i] == value) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        Arrays.fill(slots, EMPTY);
        size = 0;
        for (long v : old) {
            if (v != EMPTY) {
                add(v);
            }
        }
    }

    private static int mix(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
