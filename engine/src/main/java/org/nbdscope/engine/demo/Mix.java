package org.nbdscope.engine.demo;

/** The demo disk's only source of randomness: SplitMix64, stable forever (unlike java.util.Random's contract). */
final class Mix {
    private Mix() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The 64-bit word of pseudo-random content at word index {@code index}. */
    static long word(long seed, long index) {
        return mix(seed + index * 0x9e3779b97f4a7c15L);
    }

    /** A deterministic stream for generating the layout. */
    static final class Stream {
        private long state;

        Stream(long seed) { this.state = seed; }

        long next() {
            state += 0x9e3779b97f4a7c15L;
            return mix(state);
        }

        /** Uniform in {@code [0, bound)}. */
        long below(long bound) {
            return Long.remainderUnsigned(next(), bound);
        }

        double unit() {
            return (next() >>> 11) * 0x1.0p-53;
        }
    }
}
