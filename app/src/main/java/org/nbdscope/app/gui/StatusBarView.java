package org.nbdscope.app.gui;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.StatusBar;

import org.nbdscope.app.gui.model.CompareModel;
import org.nbdscope.app.gui.model.TargetModel;

/**
 * Progress (bytes, extents, requests, rate, elapsed), cancel and rescan, and the connection state. While the
 * compare panel runs a probe or make-zero, its progress shows here instead, and Cancel stops it.
 */
final class StatusBarView extends StatusBar {
    StatusBarView(TargetModel target) {
        setId("status-bar");
        CompareModel zero = target.compare();
        textProperty().bind(Bindings.when(zero.busyProperty()).then(zero.statusTextProperty()).otherwise(target.statusTextProperty()));
        progressProperty().bind(Bindings.when(zero.busyProperty()).then(zero.progressProperty()).otherwise(target.progressProperty()));

        Label connection = new Label();
        connection.setId("connection-state");
        connection.getStyleClass().add("connection-state");
        connection.textProperty().bind(target.connectionTextProperty());
        target.stateProperty().addListener((o, a, s) -> state(connection, target));
        target.connectedProperty().addListener((o, a, c) -> state(connection, target));
        state(connection, target);

        Button cancel = new Button("Cancel");
        cancel.setId("cancel-scan");
        cancel.setTooltip(new Tooltip("Stop the scan (what is scanned stays) or the probe or make-zero (Esc)"));
        cancel.disableProperty().bind(target.scanningProperty().not().and(zero.busyProperty().not()));
        cancel.setOnAction(e -> {
            if (zero.busy()) zero.cancel();
            else target.cancel();
        });

        Button rescan = new Button("Rescan");
        rescan.setId("rescan");
        rescan.setTooltip(new Tooltip("Scan the whole target again (F5)"));
        rescan.disableProperty().bind(target.scanningProperty().or(target.stateProperty().isEqualTo(TargetModel.State.CONNECTING))
            .or(zero.busyProperty()));
        rescan.setOnAction(e -> target.rescan());

        for (javafx.scene.control.Control c : new javafx.scene.control.Control[] {connection, cancel, rescan}) {
            c.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
        }
        getRightItems().addAll(connection, cancel, rescan);
    }

    private static void state(Label l, TargetModel t) {
        l.getStyleClass().removeAll("failed", "done");
        if (t.state() == TargetModel.State.FAILED && !t.connectedProperty().get()) l.getStyleClass().add("failed");
        if (t.connectedProperty().get()) l.getStyleClass().add("done");
    }
}
