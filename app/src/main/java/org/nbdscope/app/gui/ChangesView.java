package org.nbdscope.app.gui;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.nbdscope.app.gui.model.ChangesModel;
import org.nbdscope.app.gui.model.Units;

/**
 * The Changes panel of a tab: what changed between the saved scan and the new one (the totals per direction),
 * the changed regions in a list, Previous and Next to step through them on the heat-map, and whether the
 * heat-map marks them.
 */
final class ChangesView extends VBox {
    private final TableView<ChangesModel.Region> table = new TableView<>();
    private boolean applying;

    ChangesView(ChangesModel model) {
        setId("changes");
        getStyleClass().add("changes-panel");
        Label summary = new Label();
        summary.setId("changes-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(model.summaryProperty());

        Button prev = new Button("◀ Previous");
        prev.setId("change-previous");
        prev.setTooltip(new Tooltip("Show the previous changed region (Shift+F8)"));
        prev.setOnAction(e -> model.previous());
        Button next = new Button("Next ▶");
        next.setId("change-next");
        next.setTooltip(new Tooltip("Show the next changed region (F8)"));
        next.setOnAction(e -> model.next());
        prev.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(model.rows()));
        next.disableProperty().bind(prev.disableProperty());
        CheckBox shown = new CheckBox("Mark on the heat-map");
        shown.setId("changes-shown");
        shown.selectedProperty().bindBidirectional(model.shownProperty());
        shown.disableProperty().bind(model.availableProperty().not());
        shown.setTooltip(new Tooltip("Changed cells keep their colours with a mark (▲ top-left: became data, "
            + "▼ bottom-right: data went, dot: other); unchanged cells fade"));
        HBox tools = new HBox(prev, next, shown);
        tools.getStyleClass().add("table-tools");

        table.setId("changes-table");
        table.setPlaceholder(new Label("No changed regions"));
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<ChangesModel.Region, String> offset = column("Offset", r -> Units.grouped(r.offset()));
        offset.setPrefWidth(170);
        TableColumn<ChangesModel.Region, String> length = column("Length", r -> Units.bytes(r.length()));
        length.setPrefWidth(90);
        table.getColumns().add(offset);
        table.getColumns().add(length);
        table.getColumns().add(column("Change", ChangesModel.Region::change));
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(ChangesModel.Region r, boolean empty) {
                super.updateItem(r, empty);
                setTooltip(empty || r == null ? null : new Tooltip(Units.bytes(r.offset()) + " – " + Units.bytes(r.offset() + r.length())
                    + " (" + Units.bytes(r.length()) + "): " + r.change()));
            }
        });
        table.setItems(model.rows());
        VBox.setVgrow(table, Priority.ALWAYS);
        table.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            if (!applying && i.intValue() >= 0) model.go(i.intValue());
        });
        model.currentProperty().addListener((o, a, i) -> {
            applying = true;
            try {
                if (i.intValue() < 0) table.getSelectionModel().clearSelection();
                else {
                    table.getSelectionModel().clearAndSelect(i.intValue());
                    table.scrollTo(Math.max(0, i.intValue() - 2));
                }
            } finally {
                applying = false;
            }
        });
        getChildren().addAll(summary, tools, table);
    }

    TableView<ChangesModel.Region> table() { return table; }

    private static TableColumn<ChangesModel.Region, String> column(String title,
                                                                   java.util.function.Function<ChangesModel.Region, String> f) {
        TableColumn<ChangesModel.Region, String> c = new TableColumn<>(title);
        c.setSortable(false);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        return c;
    }
}
