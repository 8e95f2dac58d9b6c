package org.nbdscope.app.gui;

import java.util.List;

import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Asks for the size of an exported heat-map image: width and height in pixels. Answers {@code {width, height}}. */
final class PngSizeDialog extends Dialog<int[]> {
    static final int MIN = 16, MAX = 8192;

    private final Spinner<Integer> width;
    private final Spinner<Integer> height;

    PngSizeDialog(Window owner, List<String> stylesheets, int w, int h) {
        initOwner(owner);
        setTitle("Export the heat-map as PNG");
        setHeaderText("Size of the image");
        getDialogPane().getStylesheets().setAll(stylesheets);
        getDialogPane().setId("png-size-dialog");
        width = spinner(w, "png-width");
        height = spinner(h, "png-height");
        Label hint = new Label("The whole disk, drawn as the heat-map draws it, in " + MIN + " to " + MAX + " pixels each way.");
        hint.setWrapText(true);
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(12));
        g.addRow(0, new Label("Width (px)"), width);
        g.addRow(1, new Label("Height (px)"), height);
        g.add(hint, 0, 2, 2, 1);
        g.setPrefWidth(380);
        getDialogPane().setContent(g);
        ButtonType next = new ButtonType("Choose File…", javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(next, ButtonType.CANCEL);
        setResultConverter(b -> b == next ? new int[] {width.getValue(), height.getValue()} : null);
    }

    private static Spinner<Integer> spinner(int value, String id) {
        Spinner<Integer> s = new Spinner<>(MIN, MAX, Math.max(MIN, Math.min(MAX, value)), 100);
        s.setEditable(true);
        s.setId(id);
        return s;
    }

    Spinner<Integer> widthSpinner() { return width; }

    Spinner<Integer> heightSpinner() { return height; }
}
