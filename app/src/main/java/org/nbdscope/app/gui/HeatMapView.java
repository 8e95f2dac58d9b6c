package org.nbdscope.app.gui;

import java.util.function.IntConsumer;

import javafx.scene.Cursor;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.util.Duration;

import org.nbdscope.app.gui.model.HeatMapModel;

/**
 * The heat-map raster: one {@link WritableImage} the size of the view, filled from the model's pixels
 * through its {@code PixelWriter} whenever the model draws a frame. Wheel zooms at the mouse, dragging
 * pans, hovering shows the cell's tooltip, a click selects the cell's extents.
 */
final class HeatMapView extends Region {
    private final HeatMapModel model;
    private final ImageView view = new ImageView();
    private final Tooltip tip = new Tooltip();
    private WritableImage image;
    private double pressX, pressY;
    private boolean dragged;
    private int hover = -1;

    HeatMapView(HeatMapModel model, IntConsumer onCellClicked) {
        this.model = model;
        setId("heat-map");
        getStyleClass().add("heat-map");
        view.setManaged(false);
        getChildren().add(view);
        setFocusTraversable(true);
        tip.getStyleClass().add("heat-tooltip");
        tip.setShowDelay(Duration.millis(250));
        tip.setHideDelay(Duration.millis(100));
        tip.setShowDuration(Duration.INDEFINITE);
        Tooltip.install(this, tip);
        model.frameProperty().addListener(o -> paint());

        setOnScroll(e -> {
            if (e.getDeltaY() == 0) return;
            model.zoomAt(e.getX(), e.getY(), e.getDeltaY() > 0 ? HeatMapModel.ZOOM_STEP : 1 / HeatMapModel.ZOOM_STEP);
            hover(e.getX(), e.getY());
            e.consume();
        });
        setOnMousePressed(e -> {
            pressX = e.getX();
            pressY = e.getY();
            dragged = false;
            model.beginPan();
            requestFocus();
        });
        setOnMouseDragged(e -> {
            if (Math.abs(e.getX() - pressX) + Math.abs(e.getY() - pressY) > 3) dragged = true;
            if (!dragged) return;
            setCursor(Cursor.CLOSED_HAND);
            model.panDrag(e.getX() - pressX, e.getY() - pressY);
        });
        setOnMouseReleased(e -> setCursor(Cursor.DEFAULT));
        setOnMouseClicked(e -> {
            if (dragged || e.getButton() != MouseButton.PRIMARY) return;
            int c = model.cellAt(e.getX(), e.getY());
            if (c >= 0) onCellClicked.accept(c);
        });
        setOnMouseMoved(e -> hover(e.getX(), e.getY()));
        setOnMouseExited(e -> hover = -1);
    }

    /** The tooltip, whose text follows the cell under the mouse. */
    Tooltip tooltip() { return tip; }

    /** The one image the heat-map is drawn into. */
    WritableImage image() { return image; }

    private void hover(double x, double y) {
        hover = model.cellAt(x, y);
        tip.setText(hover < 0 ? "outside the map" : model.describe(hover));
    }

    /**
     * {@link System#nanoTime()} when a heat-map first drew scanned content; 0 before (smoke mode reports it,
     * turned into time since start-up only then, so the measurement costs the first frame nothing).
     */
    static volatile long firstFrameNanos;

    private void paint() {
        int w = model.pixelWidth(), h = model.pixelHeight();
        if (w == 0 || h == 0) return;
        if (firstFrameNanos == 0 && model.hasScannedContent()) firstFrameNanos = System.nanoTime();
        if (image == null || (int) image.getWidth() != w || (int) image.getHeight() != h) {
            image = new WritableImage(w, h);
            view.setImage(image);
        }
        image.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbPreInstance(), model.pixels(), 0, w);
        if (hover >= 0 && tip.isShowing()) tip.setText(model.describe(hover));
    }

    @Override
    protected void layoutChildren() {
        model.resize((int) snapSizeX(getWidth()), (int) snapSizeY(getHeight()));
        view.relocate(0, 0);
    }

    @Override
    protected double computePrefWidth(double height) { return 640; }

    @Override
    protected double computePrefHeight(double width) { return 400; }

    @Override
    protected double computeMinWidth(double height) { return 64; }

    @Override
    protected double computeMinHeight(double width) { return 48; }
}
