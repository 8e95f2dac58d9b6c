package org.nbdscope.app.gui;

import java.util.List;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Make-zero's confirmation: the user types the export name. The Make zero button is enabled only while the
 * typed text is exactly that name; the dialog answers the typed text (the view model checks it again before
 * anything is sent), or nothing when cancelled.
 */
final class ConfirmZeroDialog extends Dialog<String> {
    private final TextField field = new TextField();

    /**
     * @param name   the export name to type
     * @param target what the user sees the target as (URI or path)
     * @param action "make zero" or "compare both (with make-zero)"
     */
    ConfirmZeroDialog(Window owner, List<String> stylesheets, String name, String target, String action) {
        initOwner(owner);
        setTitle("Confirm make zero");
        setHeaderText("Make every byte of '" + name + "' zero?");
        getDialogPane().getStylesheets().setAll(stylesheets);
        getDialogPane().setId("confirm-zero-dialog");

        Label what = new Label(action + " writes zeroes over the whole of " + target
            + ". Whatever it holds now is lost, and this cannot be undone.");
        what.setWrapText(true);
        Label ask = new Label("Type the export name, " + name + ", to confirm:");
        ask.setWrapText(true);
        field.setId("confirm-zero-name");
        field.setPromptText(name);
        VBox box = new VBox(10, what, ask, field);
        box.setPadding(new Insets(12));
        box.setPrefWidth(460);
        getDialogPane().setContent(box);

        ButtonType zero = new ButtonType("Make zero", javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(zero, ButtonType.CANCEL);
        Button ok = (Button) getDialogPane().lookupButton(zero);
        ok.setId("confirm-zero-ok");
        ok.setDefaultButton(true);
        ok.disableProperty().bind(field.textProperty().isNotEqualTo(name));
        ((Button) getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(false);
        setResultConverter(b -> b == zero ? field.getText() : null);
        setOnShown(e -> field.requestFocus());
    }

    TextField field() { return field; }
}
