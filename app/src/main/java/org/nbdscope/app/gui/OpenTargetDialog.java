package org.nbdscope.app.gui;

import java.io.File;
import java.util.List;

import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Asks for a target: an NBD URI, an image file (typed or browsed), or one of the recent targets. */
final class OpenTargetDialog extends Dialog<String> {
    private final ComboBox<String> field = new ComboBox<>();
    private final ListView<String> recent = new ListView<>();

    OpenTargetDialog(Window owner, List<String> recentTargets, List<String> stylesheets) {
        initOwner(owner);
        setTitle("Open target");
        setHeaderText("Open an NBD export or a disk image");
        getDialogPane().getStylesheets().setAll(stylesheets);
        getDialogPane().setId("open-dialog");

        field.setEditable(true);
        field.setId("open-target");
        field.setItems(FXCollections.observableArrayList(recentTargets));
        field.setPromptText("nbd://host/export, nbd+unix:///export?socket=/run/nbd.sock, /path/to/disk.qcow2, demo, memory:1G");
        field.setMaxWidth(Double.MAX_VALUE);
        Button browse = new Button("Browse…");
        browse.setId("open-browse");
        browse.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Open a disk image");
            fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Disk images", "*.img", "*.raw", "*.qcow2", "*.bin", "*.iso"),
                new FileChooser.ExtensionFilter("All files", "*"));
            File f = fc.showOpenDialog(getDialogPane().getScene().getWindow());
            if (f != null) field.getEditor().setText(f.getAbsolutePath());
        });

        recent.setId("open-recent");
        recent.setItems(FXCollections.observableArrayList(recentTargets));
        recent.setPrefHeight(Math.min(10, Math.max(3, recentTargets.size())) * 26 + 4);
        recent.setPlaceholder(new Label("No recent targets"));
        recent.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> {
            if (t != null) field.getEditor().setText(t);
        });
        recent.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && recent.getSelectionModel().getSelectedItem() != null) {
                field.getEditor().setText(recent.getSelectionModel().getSelectedItem());
                ((Button) getDialogPane().lookupButton(ButtonType.OK)).fire();
            }
        });

        Label hint = new Label("URIs as in the NBD URI spec: nbd://, nbds://, nbd+unix://, nbds+unix://. "
            + "\"demo\" opens the built-in demo disk; \"memory:1G\" a new writable 1 GiB disk in memory. You can also drop files or URIs on the window.");
        hint.setWrapText(true);
        hint.getStyleClass().add("open-hint");

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(12));
        g.add(new Label("Target"), 0, 0);
        g.add(field, 1, 0);
        g.add(browse, 2, 0);
        g.add(new Label("Recent"), 0, 1);
        g.add(recent, 1, 1, 2, 1);
        g.add(hint, 0, 2, 3, 1);
        GridPane.setHgrow(field, Priority.ALWAYS);
        g.setPrefWidth(620);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        ((Button) getDialogPane().lookupButton(ButtonType.OK)).setText("Open");
        getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(field.getEditor().textProperty().isEmpty());
        setResultConverter(b -> b == ButtonType.OK ? field.getEditor().getText().strip() : null);
        setOnShown(e -> field.getEditor().requestFocus());
    }
}
