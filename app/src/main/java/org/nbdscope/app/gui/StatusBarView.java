package org.nbdscope.app.gui;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.StatusBar;

import org.nbdscope.app.gui.model.TargetModel;

/** Progress (bytes, extents, requests, rate, elapsed), cancel and rescan, and the connection state. */
final class StatusBarView extends StatusBar {
    StatusBarView(TargetModel target) {
        setId("status-bar");
        textProperty().bind(target.statusTextProperty());
        progressProperty().bind(target.progressProperty());

        Label connection = new Label();
        connection.setId("connection-state");
        connection.getStyleClass().add("connection-state");
        connection.textProperty().bind(target.connectionTextProperty());
        target.stateProperty().addListener((o, a, s) -> state(connection, s));
        state(connection, target.state());

        Button cancel = new Button("Cancel");
        cancel.setId("cancel-scan");
        cancel.setTooltip(new Tooltip("Stop the scan; what is scanned stays (Esc)"));
        cancel.disableProperty().bind(target.scanningProperty().not());
        cancel.setOnAction(e -> target.cancel());

        Button rescan = new Button("Rescan");
        rescan.setId("rescan");
        rescan.setTooltip(new Tooltip("Scan the whole target again (F5)"));
        rescan.disableProperty().bind(target.scanningProperty().or(target.stateProperty().isEqualTo(TargetModel.State.CONNECTING)));
        rescan.setOnAction(e -> target.rescan());

        getRightItems().addAll(connection, cancel, rescan);
    }

    private static void state(Label l, TargetModel.State s) {
        l.getStyleClass().removeAll("failed", "done");
        if (s == TargetModel.State.FAILED) l.getStyleClass().add("failed");
        if (s == TargetModel.State.COMPLETE) l.getStyleClass().add("done");
    }
}
