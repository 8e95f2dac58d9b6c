package org.nbdscope.app.gui.model;

import java.util.Arrays;

/**
 * The changed byte ranges between a saved scan and a new one, as the heat-map draws them: sorted,
 * non-overlapping {@code [from, to)} ranges, each with a direction. Built from the engine's diff of the two
 * scans; the heat-map only asks which directions touch a cell, walking forward as cells go up.
 */
public final class ChangeMarks {
    /** The range now holds data where it held none (hole or allocated zero before). */
    public static final int TO_DATA = 1;
    /** The range held data and now holds none (a hole or allocated zero). */
    public static final int FROM_DATA = 2;
    /** Any other change: hole and allocated zero swapped, or one side not scanned. */
    public static final int OTHER = 4;

    private final long[] from;
    private final long[] to;
    private final int[] mark;
    private int cursor;

    /** Ranges sorted by start, not overlapping; {@code mark} holds one of the constants per range. */
    public ChangeMarks(long[] from, long[] to, int[] mark) {
        if (from.length != to.length || from.length != mark.length) {
            throw new IllegalArgumentException("ranges need as many ends and marks as starts");
        }
        for (int i = 0; i < from.length; i++) {
            if (to[i] <= from[i] || (i > 0 && from[i] < to[i - 1])) {
                throw new IllegalArgumentException("range " + i + " [" + from[i] + ", " + to[i] + ") is empty or out of order");
            }
        }
        this.from = from.clone();
        this.to = to.clone();
        this.mark = mark.clone();
    }

    public static ChangeMarks none() {
        return new ChangeMarks(new long[0], new long[0], new int[0]);
    }

    public int count() { return from.length; }

    public boolean isEmpty() { return from.length == 0; }

    /** Restarts the forward walk of {@link #marksIn} (before each frame). */
    void rewind() { cursor = 0; }

    /**
     * The marks of the ranges overlapping {@code [a, b)}, OR-ed together (0 when none); calls during one
     * walk must come with rising {@code a}, as a frame draws its cells. A call with a lower {@code a} searches again.
     */
    int marksIn(long a, long b) {
        if (from.length == 0) return 0;
        if (cursor > 0 && cursor <= from.length && to[cursor - 1] > a) cursor = firstEndingAfter(a);
        while (cursor < from.length && to[cursor] <= a) cursor++;
        int m = 0;
        for (int i = cursor; i < from.length && from[i] < b; i++) m |= mark[i];
        return m;
    }

    /** Bytes of the ranges with this mark inside {@code [a, b)}. */
    long bytesIn(long a, long b, int which) {
        long n = 0;
        for (int i = firstEndingAfter(a); i < from.length && from[i] < b; i++) {
            if ((mark[i] & which) != 0) n += Math.min(b, to[i]) - Math.max(a, from[i]);
        }
        return n;
    }

    private int firstEndingAfter(long a) {
        int i = Arrays.binarySearch(to, a);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
