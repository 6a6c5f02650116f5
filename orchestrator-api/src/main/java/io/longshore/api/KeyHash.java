package io.longshore.api;

/**
 * The 64-bit hashes consistent hashing places keys and ring points with: FNV-1a over the
 * characters, finished with MurmurHash3's 64-bit mixer so that similar keys land far apart. A
 * {@link String} and any other {@link CharSequence} of the same characters hash alike.
 * Stateless.
 */
final class KeyHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** 2^64 / the golden ratio: spreads consecutive integers over the whole range. */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private KeyHash() {
    }

    /** The hash of {@code key}'s characters. */
    static long of(CharSequence key) {
        long h = FNV_OFFSET;
        int length = key.length();
        for (int i = 0; i < length; i++) {
            h = (h ^ key.charAt(i)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** MurmurHash3's fmix64: every input bit affects every output bit. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
