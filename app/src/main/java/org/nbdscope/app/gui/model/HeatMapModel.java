package org.nbdscope.app.gui.model;

import java.util.Arrays;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/**
 * State of one heat-map: the byte range in view, the grid of cells it is cut into, and the pixels that
 * show it. The view owns one {@code WritableImage} and copies {@link #pixels()} into it whenever
 * {@link #frameProperty()} changes; everything else (zoom, pan, hover text, selection) is computed here.
 *
 * <p>Cells are squares of {@link #CELL} pixels with a 1-pixel gap, filling the view row by row like a disk
 * map: cell {@code i} covers the {@code i}-th of equal byte ranges of the view, exactly as
 * {@link ExtentMap#rebin} cuts it; the shares come from a {@link RebinIndex}, so a frame costs time in
 * proportion to the cells, not to the extents. All methods run on the FX thread.
 */
public final class HeatMapModel {
    /** Cell size and the distance between cell origins, in pixels. */
    public static final int CELL = 7, PITCH = 8;
    /** Zoom factor of one wheel notch or one key press. */
    public static final double ZOOM_STEP = 1.25;
    /** Height of the overview strip's pixels. */
    public static final int OVERVIEW_HEIGHT = 14;

    private final long size;
    private final ObjectProperty<Palette> palette = new SimpleObjectProperty<>(Theme.LIGHT.palette());
    private final ReadOnlyLongWrapper frame = new ReadOnlyLongWrapper(this, "frame");
    private final ReadOnlyLongWrapper overviewFrame = new ReadOnlyLongWrapper(this, "overviewFrame");
    private final ReadOnlyStringWrapper viewText = new ReadOnlyStringWrapper(this, "viewText", "");
    private final ReadOnlyDoubleWrapper viewStart = new ReadOnlyDoubleWrapper(this, "viewStart", 0);
    private final ReadOnlyDoubleWrapper viewEnd = new ReadOnlyDoubleWrapper(this, "viewEnd", 1);

    private ExtentMap map;
    private RebinIndex index;
    private long renderedVersion = -1;
    private int width, height, cols, rows;
    private long from, to;
    private float[] shares = new float[0];
    private int[] pixels = new int[0];
    private long selFrom = -1, selTo = -1;
    private int overviewWidth;
    private float[] overviewShares = new float[0];
    private int[] overviewPixels = new int[0];
    private long panFrom;
    private ChangeMarks changes;

    public HeatMapModel(long size) {
        if (size <= 0) throw new IllegalArgumentException("a heat-map needs a non-empty disk, not " + size + " bytes");
        this.size = size;
        this.to = size;
        palette.addListener((o, a, b) -> renderAll());
    }

    // ---- inputs ----

    public long size() { return size; }

    public ObjectProperty<Palette> paletteProperty() { return palette; }

    /** Shows {@code m} (a new scan): the view range stays, the pixels follow the map as it fills. */
    public void setMap(ExtentMap m) {
        setMap(m, m == null ? null : new RebinIndex(m));
    }

    /** Shows {@code m} through an index that the scan's own thread keeps up to date. */
    public void setMap(ExtentMap m, RebinIndex idx) {
        if ((m == null) != (idx == null)) throw new IllegalArgumentException("a map needs its index");
        this.map = m;
        this.index = idx;
        renderAll();
    }

    /**
     * Marks the cells that changed since a saved scan ({@code null} clears them): changed cells keep their
     * colours and get a mark per direction, the others fade towards the background, and the overview strip
     * marks its changed columns. A mark stands apart by shape as well as colour: a triangle in the top-left
     * corner where data appeared, one in the bottom-right corner where data went, a dot for other changes, all in
     * the theme's {@link Palette#changed()} colour.
     */
    public void setChanges(ChangeMarks c) {
        this.changes = c;
        renderAll();
    }

    /** The changes drawn, or null. */
    public ChangeMarks changes() { return changes; }

    /** Sets the view to {@code [a, b)} exactly as far as the grid allows (a saved view); usable before the first resize. */
    public void setView(long a, long b) {
        if (b <= a) return;
        from = a;
        to = b;
        clampView(b - a);
        render();
    }

    /** The view's size in pixels changed. */
    public void resize(int w, int h) {
        w = Math.max(0, w);
        h = Math.max(0, h);
        if (w == width && h == height) return;
        width = w;
        height = h;
        cols = Math.max(1, w / PITCH);
        rows = Math.max(1, h / PITCH);
        clampView(to - from);
        render();
    }

    /** Bytes and extents per kind of the map shown (for the legend). */
    public KindTotals totals() {
        if (index == null) return KindTotals.empty(size);
        index.update();
        return index.totals();
    }

    /** Redraws when the map has grown since the last frame (called once per frame while a scan streams). */
    public void refresh() {
        if (map != null && map.version() != renderedVersion) renderAll();
    }

    // ---- outputs ----

    /** Bumps every time {@link #pixels()} changed. */
    public ReadOnlyLongProperty frameProperty() { return frame.getReadOnlyProperty(); }

    /** True once the map being drawn knows the state of at least one byte. */
    public boolean hasScannedContent() { return map != null && map.covered() > 0; }

    public int pixelWidth() { return width; }

    public int pixelHeight() { return height; }

    /** ARGB pixels, {@link #pixelWidth()} by {@link #pixelHeight()}, row by row. */
    public int[] pixels() { return pixels; }

    public ReadOnlyLongProperty overviewFrameProperty() { return overviewFrame.getReadOnlyProperty(); }

    public int overviewWidth() { return overviewWidth; }

    /** ARGB pixels of the overview strip, {@link #overviewWidth()} by {@link #OVERVIEW_HEIGHT}. */
    public int[] overviewPixels() { return overviewPixels; }

    /** Where the view starts and ends, as fractions of the disk (the overview's viewport frame). */
    public ReadOnlyDoubleProperty viewStartProperty() { return viewStart.getReadOnlyProperty(); }

    public ReadOnlyDoubleProperty viewEndProperty() { return viewEnd.getReadOnlyProperty(); }

    /** E.g. {@code 0 B – 1 TiB · 80.0 MiB per cell}. */
    public ReadOnlyStringProperty viewTextProperty() { return viewText.getReadOnlyProperty(); }

    public long viewFrom() { return from; }

    public long viewTo() { return to; }

    public int columns() { return cols; }

    public int rows() { return rows; }

    public int cells() { return cols * rows; }

    // ---- zoom and pan ----

    public void fit() {
        from = 0;
        to = size;
        render();
    }

    public void zoomIn() { zoomAtPosition(cells() / 2.0, ZOOM_STEP); }

    public void zoomOut() { zoomAtPosition(cells() / 2.0, 1 / ZOOM_STEP); }

    /** Zooms by {@code factor} (above 1 zooms in) keeping the byte under pixel {@code (x, y)} under it. */
    public void zoomAt(double x, double y, double factor) {
        int c = cellAt(x, y);
        zoomAtPosition(c < 0 ? cells() / 2.0 : c + Math.min(1, (x - (c % cols) * PITCH) / PITCH), factor);
    }

    /** Zooms around a position counted in cells from the view's start (fractions address bytes inside a cell). */
    private void zoomAtPosition(double pos, double factor) {
        if (cells() == 0 || !(factor > 0)) return;
        double anchor = from + pos * ((double) (to - from) / cells());
        long span = Math.round((to - from) / factor);
        span = Math.max(minSpan(), Math.min(size, span));
        from = Math.round(anchor - pos * ((double) span / cells()));
        to = from + span;
        clampView(span);
        render();
    }

    /** The smallest range a view may show: one byte per cell. */
    public long minSpan() { return Math.max(1, Math.min(size, cells())); }

    /** Starts a drag; {@link #panDrag} then moves the view by the whole distance dragged since. */
    public void beginPan() { panFrom = from; }

    /** Moves the view so the bytes under the drag's start follow the mouse: rows vertically, cells across. */
    public void panDrag(double dx, double dy) {
        double bpc = (double) (to - from) / Math.max(1, cells());
        double cellsMoved = dx / PITCH + Math.round(dy / PITCH) * (double) cols;
        long span = to - from;
        from = panFrom - Math.round(cellsMoved * bpc);
        to = from + span;
        clampView(span);
        render();
    }

    /** Centres the view on {@code offset}, keeping the zoom. */
    public void centerOn(long offset) {
        long span = to - from;
        from = offset - span / 2;
        to = from + span;
        clampView(span);
        render();
    }

    /** Centres on a fraction of the disk (a click or drag on the overview strip). */
    public void centerOnFraction(double f) {
        centerOn((long) (Math.max(0, Math.min(1, f)) * size));
    }

    /** Shows {@code [a, b)} as closely as the grid allows. */
    public void show(long a, long b) {
        long span = Math.max(minSpan(), Math.min(size, b - a));
        from = a + (b - a) / 2 - span / 2;
        to = from + span;
        clampView(span);
        render();
    }

    private void clampView(long span) {
        span = Math.max(minSpan(), Math.min(size, span));
        if (from < 0) from = 0;
        if (from > size - span) from = size - span;
        to = from + span;
    }

    // ---- cells ----

    /** The cell under pixel {@code (x, y)}, or -1 outside the grid. */
    public int cellAt(double x, double y) {
        if (x < 0 || y < 0) return -1;
        int c = (int) (x / PITCH), r = (int) (y / PITCH);
        if (c >= cols || r >= rows) return -1;
        return r * cols + c;
    }

    /** First byte of cell {@code i}: as {@link ExtentMap#rebin} cuts the view. */
    public long cellFrom(int i) {
        double w = (double) (to - from) / cells();
        return from + (long) Math.floor(i * w);
    }

    /** End (exclusive) of cell {@code i}. */
    public long cellTo(int i) {
        if (i + 1 >= cells()) return to;
        long b0 = cellFrom(i), b1 = cellFrom(i + 1);
        return b1 <= b0 ? b0 + 1 : b1;
    }

    /** The share of {@code kind} in cell {@code i} as last drawn. */
    public float share(int i, ExtentKind kind) {
        int k = 4 * i + kind.ordinal();
        return k < shares.length ? shares[k] : 0;
    }

    /** Index range {@code [first, last]} of the extents in cell {@code i}, or null when none are known. */
    public int[] extentsIn(int i) {
        if (map == null || i < 0 || i >= cells()) return null;
        return map.indexRange(cellFrom(i), cellTo(i));
    }

    /** The hover text of cell {@code i}: byte range in human units and bytes, the four shares, the extents. */
    public String describe(int i) {
        if (i < 0 || i >= cells()) return "";
        long a = cellFrom(i), b = cellTo(i);
        int[] r = extentsIn(i);
        int n = r == null ? 0 : r[1] - r[0] + 1;
        return Units.bytes(a) + " – " + Units.bytes(b) + "  (" + Units.bytes(b - a) + ")\n"
            + "bytes " + Units.grouped(a) + " – " + Units.grouped(b) + "\n"
            + "data " + Units.percent(share(i, ExtentKind.DATA))
            + " · allocated zero " + Units.percent(share(i, ExtentKind.ZERO))
            + " · hole " + Units.percent(share(i, ExtentKind.HOLE))
            + " · not scanned " + Units.percent(share(i, ExtentKind.UNKNOWN)) + "\n"
            + (n == 1 ? "1 extent" : Units.grouped(n) + " extents")
            + changeText(a, b);
    }

    private String changeText(long a, long b) {
        if (changes == null) return "";
        long toData = changes.bytesIn(a, b, ChangeMarks.TO_DATA), fromData = changes.bytesIn(a, b, ChangeMarks.FROM_DATA);
        long other = changes.bytesIn(a, b, ChangeMarks.OTHER);
        if (toData + fromData + other == 0) return "\nunchanged since the saved scan";
        StringBuilder sb = new StringBuilder("\nchanged since the saved scan:");
        if (toData > 0) sb.append(" became data ").append(Units.bytes(toData));
        if (fromData > 0) sb.append(toData > 0 ? " ·" : "").append(" data went ").append(Units.bytes(fromData));
        if (other > 0) sb.append(toData + fromData > 0 ? " ·" : "").append(" other ").append(Units.bytes(other));
        return sb.toString();
    }

    /** Outlines the cells overlapping {@code [a, b)}; a negative {@code a} clears the selection. */
    public void select(long a, long b) {
        selFrom = a;
        selTo = b;
        render();
    }

    public long selectionFrom() { return selFrom; }

    public long selectionTo() { return selTo; }

    // ---- drawing ----

    /** Sets the overview strip's width in pixels. */
    public void resizeOverview(int w) {
        w = Math.max(0, w);
        if (w == overviewWidth) return;
        overviewWidth = w;
        renderOverview();
    }

    private void renderAll() {
        render();
        renderOverview();
    }

    private void render() {
        viewStart.set((double) from / size);
        viewEnd.set((double) to / size);
        int cells = cells();
        viewText.set(Units.bytes(from) + " – " + Units.bytes(to) + "  ·  "
            + (cells == 0 ? "" : Units.bytes(Math.max(1, (to - from) / cells)) + " per cell  ·  ")
            + Units.grouped(cells) + " cells");
        if (width == 0 || height == 0) return;
        Palette p = palette.get();
        if (pixels.length != width * height) pixels = new int[width * height];
        if (shares.length < 4 * cells) shares = new float[4 * cells];
        if (map != null) {
            renderedVersion = map.version();
            index.update();
            index.rebin(from, to, cells, shares);
        } else {
            Arrays.fill(shares, 0, 4 * cells, 0f);
            for (int i = 0; i < cells; i++) shares[4 * i + 3] = 1f;
        }
        Arrays.fill(pixels, p.background());
        boolean sel = selFrom >= 0 && selTo > selFrom && selTo > from && selFrom < to;
        ChangeMarks ch = changes;
        if (ch != null) ch.rewind();
        for (int i = 0; i < cells; i++) {
            int color = p.mix(shares, 4 * i);
            int x0 = (i % cols) * PITCH, y0 = (i / cols) * PITCH;
            if (x0 + CELL > width || y0 + CELL > height) continue;
            boolean outlined = sel && cellFrom(i) < selTo && cellTo(i) > selFrom;
            int marks = ch == null ? 0 : ch.marksIn(cellFrom(i), cellTo(i));
            if (ch != null && marks == 0) color = fade(color, p.background());
            for (int y = 0; y < CELL; y++) {
                int row = (y0 + y) * width + x0;
                if (outlined && (y == 0 || y == CELL - 1)) {
                    Arrays.fill(pixels, row, row + CELL, p.selection());
                } else {
                    Arrays.fill(pixels, row, row + CELL, color);
                    if (outlined) {
                        pixels[row] = p.selection();
                        pixels[row + CELL - 1] = p.selection();
                    }
                }
            }
            if (marks != 0) mark(x0, y0, marks, p.changed());
        }
        frame.set(frame.get() + 1);
    }

    /** Pixels of a change mark's triangle legs; the dot of other changes is 3 by 3 in the middle. */
    static final int MARK = 5;

    /** Draws a cell's change marks: top-left triangle (became data), bottom-right (data went), middle dot (other). */
    private void mark(int x0, int y0, int marks, int c) {
        if ((marks & ChangeMarks.TO_DATA) != 0) {
            for (int y = 0; y < MARK; y++) Arrays.fill(pixels, (y0 + y) * width + x0, (y0 + y) * width + x0 + MARK - y, c);
        }
        if ((marks & ChangeMarks.FROM_DATA) != 0) {
            for (int y = 0; y < MARK; y++) {
                int row = (y0 + CELL - 1 - y) * width + x0 + CELL;
                Arrays.fill(pixels, row - (MARK - y), row, c);
            }
        }
        if ((marks & (ChangeMarks.TO_DATA | ChangeMarks.FROM_DATA)) == 0) {
            for (int y = 2; y < 5; y++) Arrays.fill(pixels, (y0 + y) * width + x0 + 2, (y0 + y) * width + x0 + 5, c);
        }
    }

    /** A colour two thirds of the way to the background: unchanged cells step back while changes are shown. */
    static int fade(int argb, int background) {
        int r = ((argb >> 16 & 0xFF) + 2 * (background >> 16 & 0xFF)) / 3;
        int g = ((argb >> 8 & 0xFF) + 2 * (background >> 8 & 0xFF)) / 3;
        int b = ((argb & 0xFF) + 2 * (background & 0xFF)) / 3;
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    private void renderOverview() {
        int w = overviewWidth;
        if (w == 0) return;
        Palette p = palette.get();
        if (overviewPixels.length != w * OVERVIEW_HEIGHT) overviewPixels = new int[w * OVERVIEW_HEIGHT];
        if (overviewShares.length < 4 * w) overviewShares = new float[4 * w];
        if (map != null) {
            index.update();
            index.rebin(0, size, w, overviewShares);
        } else {
            Arrays.fill(overviewShares, 0f);
            for (int i = 0; i < w; i++) overviewShares[4 * i + 3] = 1f;
        }
        ChangeMarks ch = changes;
        if (ch != null) ch.rewind();
        for (int x = 0; x < w; x++) {
            int c = p.mix(overviewShares, 4 * x);
            long a = (long) Math.floor((double) x * size / w), b = x + 1 == w ? size : (long) Math.floor((double) (x + 1) * size / w);
            boolean changed = ch != null && ch.marksIn(a, Math.max(a + 1, b)) != 0;
            if (ch != null && !changed) c = fade(c, p.background());
            for (int y = 0; y < OVERVIEW_HEIGHT; y++) overviewPixels[y * w + x] = changed ? p.changed() : c;
        }
        overviewFrame.set(overviewFrame.get() + 1);
    }
}
