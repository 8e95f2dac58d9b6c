package org.nbdscope.app.gui;

import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

import org.nbdscope.app.gui.model.HeatMapModel;
import org.nbdscope.app.gui.model.Palette;

/** The whole disk in one strip, with a frame around the part the heat-map shows; click or drag to move there. */
final class OverviewStrip extends Region {
    private final HeatMapModel model;
    private final ImageView view = new ImageView();
    private final Rectangle frame = new Rectangle();
    private WritableImage image;

    OverviewStrip(HeatMapModel model) {
        this.model = model;
        setId("overview");
        getStyleClass().add("overview");
        view.setManaged(false);
        frame.setManaged(false);
        frame.getStyleClass().add("overview-viewport");
        frame.setMouseTransparent(true);
        getChildren().addAll(view, frame);
        model.overviewFrameProperty().addListener(o -> paint());
        model.viewStartProperty().addListener(o -> requestLayout());
        model.viewEndProperty().addListener(o -> requestLayout());
        model.paletteProperty().addListener((o, a, p) -> stroke(p));
        stroke(model.paletteProperty().get());
        setOnMousePressed(e -> model.centerOnFraction((e.getX() - snappedLeftInset()) / innerWidth()));
        setOnMouseDragged(e -> model.centerOnFraction((e.getX() - snappedLeftInset()) / innerWidth()));
    }

    private void stroke(Palette p) {
        int c = p.viewport();
        frame.setStroke(Color.rgb((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF));
    }

    private double innerWidth() {
        return Math.max(1, getWidth() - snappedLeftInset() - snappedRightInset());
    }

    private void paint() {
        int w = model.overviewWidth(), h = HeatMapModel.OVERVIEW_HEIGHT;
        if (w == 0) return;
        if (image == null || (int) image.getWidth() != w) {
            image = new WritableImage(w, h);
            view.setImage(image);
        }
        image.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbPreInstance(), model.overviewPixels(), 0, w);
    }

    @Override
    protected void layoutChildren() {
        double left = snappedLeftInset(), top = snappedTopInset();
        double w = innerWidth();
        model.resizeOverview((int) w);
        view.relocate(left, top);
        double x0 = left + model.viewStartProperty().get() * w;
        double x1 = left + model.viewEndProperty().get() * w;
        double fw = Math.max(4, x1 - x0);
        x0 = Math.min(x0, left + w - fw);
        frame.setX(Math.max(left, x0) + 1);
        frame.setY(top + 1);
        frame.setWidth(fw - 2);
        frame.setHeight(HeatMapModel.OVERVIEW_HEIGHT - 2);
    }

    @Override
    protected double computePrefHeight(double width) {
        return HeatMapModel.OVERVIEW_HEIGHT + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) { return computePrefHeight(width); }

    @Override
    protected double computeMaxHeight(double width) { return computePrefHeight(width); }

    @Override
    protected double computePrefWidth(double height) { return 300; }
}
