package org.nbdscope.engine.report;

import java.util.Arrays;

import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.extent.ExtentMap;

/**
 * Draws a heat-map of an {@link ExtentMap} into ARGB pixels without a display: the byte range is cut into
 * equal cells, filled row by row like a disk map, each cell coloured by mixing the shares of data, zero,
 * hole and unknown in it ({@link HeatMapColors#mix}), exactly as the app's heat-map draws it. Cells that
 * changed in an {@link ExtentDiff} can be outlined.
 */
public final class HeatMapRaster {
    private HeatMapRaster() {}

    /**
     * Cell geometry: squares of {@code cell} pixels with {@code gap} pixels between them.
     * {@link #APP} is the app's (7 + 1); {@link #DENSE} gives one cell per pixel.
     */
    public record Layout(int cell, int gap) {
        public static final Layout APP = new Layout(7, 1);
        public static final Layout DENSE = new Layout(1, 0);

        public Layout {
            if (cell < 1 || cell > 256 || gap < 0 || gap > 64) throw new IllegalArgumentException("bad cell layout " + cell + "+" + gap);
        }

        public int pitch() { return cell + gap; }
    }

    /** Pixels of an image: {@code width} by {@code height}, row by row, ARGB. */
    public record Raster(int width, int height, int[] argb, int columns, int rows) {
        public int pixel(int x, int y) { return argb[y * width + x]; }
    }

    /** The largest raster drawn (64 megapixels). */
    public static final long MAX_PIXELS = 1L << 26;

    /** The whole map. */
    public static Raster render(ExtentMap map, int width, int height, Layout layout, HeatMapColors colors) {
        return render(map, 0, map.size(), width, height, layout, colors, null);
    }

    /**
     * Draws {@code [from, to)} of {@code map}; with a {@code diff}, cells with changed bytes are outlined in
     * {@link HeatMapColors#changed()} (painted, when cells are under 3 pixels).
     */
    public static Raster render(ExtentMap map, long from, long to, int width, int height, Layout layout, HeatMapColors colors,
                                ExtentDiff diff) {
        if (width < 1 || height < 1 || (long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " must be 1x1 to " + MAX_PIXELS + " pixels");
        }
        int pitch = layout.pitch();
        int cols = Math.max(1, width / pitch), rows = Math.max(1, height / pitch);
        int cells = cols * rows;
        int[] px = new int[width * height];
        Arrays.fill(px, colors.background());
        if (map.size() == 0 || to <= from) return new Raster(width, height, px, cols, rows);
        long span = to - from;
        if (span < cells) {
            cells = (int) span;
            rows = Math.ceilDiv(cells, cols);
        }
        float[] shares = new float[4 * cells];
        map.rebin(from, to, cells, shares);
        float[] changed = null;
        if (diff != null && diff.size() == map.size()) {
            changed = new float[cells];
            diff.rebin(from, to, cells, changed);
        }
        int cell = Math.min(layout.cell(), Math.min(width, height));
        for (int i = 0; i < cells; i++) {
            int x0 = (i % cols) * pitch, y0 = (i / cols) * pitch;
            if (x0 + cell > width || y0 + cell > height) continue;
            int c = colors.mix(shares, 4 * i);
            boolean outline = changed != null && changed[i] > 0;
            for (int y = 0; y < cell; y++) {
                int row = (y0 + y) * width + x0;
                if (outline && (cell < 3 || y == 0 || y == cell - 1)) {
                    Arrays.fill(px, row, row + cell, colors.changed());
                } else {
                    Arrays.fill(px, row, row + cell, c);
                    if (outline) {
                        px[row] = colors.changed();
                        px[row + cell - 1] = colors.changed();
                    }
                }
            }
        }
        return new Raster(width, height, px, cols, rows);
    }
}
