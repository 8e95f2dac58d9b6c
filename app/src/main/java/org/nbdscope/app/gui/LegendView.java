package org.nbdscope.app.gui;

import java.util.EnumMap;
import java.util.Map;

import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.nbdscope.app.gui.model.ExtentTableModel;
import org.nbdscope.app.gui.model.HeatMapModel;
import org.nbdscope.app.gui.model.KindTotals;
import org.nbdscope.app.gui.model.Palette;
import org.nbdscope.app.gui.model.TargetModel;
import org.nbdscope.app.gui.model.Units;
import org.nbdscope.engine.extent.ExtentKind;

/** The legend: a swatch per kind in the theme's colours with the bytes of that kind, and the view's range. */
final class LegendView extends VBox {
    private final Map<ExtentKind, Region> swatches = new EnumMap<>(ExtentKind.class);
    private final Map<ExtentKind, Label> labels = new EnumMap<>(ExtentKind.class);

    LegendView(TargetModel target, HeatMapModel heat) {
        setId("legend");
        getStyleClass().add("legend");
        FlowPane items = new FlowPane();
        items.getStyleClass().add("legend-items");
        for (ExtentKind k : ExtentKind.values()) {
            Region sw = new Region();
            sw.getStyleClass().add("legend-swatch");
            Label l = new Label();
            l.getStyleClass().add("legend-label");
            HBox item = new HBox(sw, l);
            item.getStyleClass().add("legend-item");
            item.setId("legend-" + k.name().toLowerCase());
            swatches.put(k, sw);
            labels.put(k, l);
            items.getChildren().add(item);
        }
        Label range = new Label();
        range.setId("view-range");
        range.getStyleClass().add("view-range");
        range.textProperty().bind(heat.viewTextProperty());
        range.setTooltip(new Tooltip("The byte range the heat-map shows. Wheel: zoom · drag: pan · "
            + "click the strip below to move · Ctrl+0: whole disk"));
        range.setMinWidth(Region.USE_PREF_SIZE);
        getChildren().addAll(items, range);
        heat.paletteProperty().addListener((o, a, p) -> colour(p));
        colour(heat.paletteProperty().get());
        target.totalsProperty().addListener((o, a, t) -> totals(t));
        if (target.totalsProperty().get() != null) totals(target.totalsProperty().get());
        else for (ExtentKind k : ExtentKind.values()) labels.get(k).setText(name(k));
    }

    private void colour(Palette p) {
        for (ExtentKind k : ExtentKind.values()) swatches.get(k).setStyle("-fx-background-color: " + Palette.web(p.color(k)) + ";");
    }

    private void totals(KindTotals t) {
        for (ExtentKind k : ExtentKind.values()) {
            labels.get(k).setText(name(k) + "  " + Units.bytes(t.bytes(k)) + " (" + Units.percent(t.share(k)) + ")");
        }
    }

    private static String name(ExtentKind k) {
        String s = ExtentTableModel.kindLabel(k);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
