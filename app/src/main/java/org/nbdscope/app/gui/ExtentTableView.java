package org.nbdscope.app.gui;

import java.util.function.Consumer;
import java.util.function.Function;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.nbdscope.app.gui.model.ExtentRow;
import org.nbdscope.app.gui.model.ExtentTableModel;
import org.nbdscope.app.gui.model.Units;
import org.nbdscope.engine.extent.ExtentKind;

/**
 * The extent table: a virtualized {@link TableView} over the model's lazy rows (the table only ever asks
 * for the rows it shows), a kind filter, and a jump-to-offset field.
 */
final class ExtentTableView extends VBox {
    private final ExtentTableModel model;
    private final TableView<ExtentRow> table = new TableView<>();
    private boolean applyingModelSelection;

    /**
     * @param onRowPicked told when the user selects one row in the table (to show it on the heat-map)
     * @param onJumped told the offset the user jumped to
     */
    ExtentTableView(ExtentTableModel model, Consumer<ExtentRow> onRowPicked, Consumer<Long> onJumped) {
        this.model = model;
        getStyleClass().add("extent-table");

        ComboBox<ExtentKind> filter = new ComboBox<>(FXCollections.observableArrayList(
            null, ExtentKind.DATA, ExtentKind.ZERO, ExtentKind.HOLE, ExtentKind.UNKNOWN));
        filter.setId("kind-filter");
        filter.setButtonCell(new KindCell());
        filter.setCellFactory(l -> new KindCell());
        filter.valueProperty().bindBidirectional(model.filterProperty());
        filter.setTooltip(new Tooltip("Show only extents of one kind"));

        TextField jump = new TextField();
        jump.setId("jump-field");
        jump.setPromptText("Jump to offset, e.g. 0x1000 or 256G");
        HBox.setHgrow(jump, Priority.ALWAYS);
        Button go = new Button("Go");
        go.setId("jump-go");
        go.setMinWidth(Button.USE_PREF_SIZE);
        Runnable doJump = () -> {
            long off = model.jumpTo(jump.getText());
            if (off >= 0) onJumped.accept(off);
        };
        jump.setOnAction(e -> doJump.run());
        go.setOnAction(e -> doJump.run());
        Label summary = new Label();
        summary.setId("extent-summary");
        summary.textProperty().bind(model.summaryProperty());
        summary.setMinWidth(Label.USE_PREF_SIZE);
        HBox tools = new HBox(filter, jump, go, summary);
        tools.getStyleClass().add("table-tools");

        Label jumpError = new Label();
        jumpError.setId("jump-error");
        jumpError.getStyleClass().add("jump-error");
        jumpError.textProperty().bind(model.jumpErrorProperty());
        jumpError.managedProperty().bind(jumpError.textProperty().isNotEmpty());
        jumpError.visibleProperty().bind(jumpError.managedProperty());
        jumpError.setWrapText(true);

        table.setId("extent-table");
        table.getColumns().add(column("Offset", 170, r -> Units.grouped(r.offset())));
        table.getColumns().add(column("Length", 110, r -> Units.bytes(r.length())));
        table.getColumns().add(column("Kind", 170, ExtentTableView::kindText));
        table.getColumns().get(0).setStyle("-fx-alignment: center-right;");
        table.getColumns().get(1).setStyle("-fx-alignment: center-right;");
        table.getColumns().get(2).setStyle("-fx-padding: 0 0 0 14;");
        table.setRowFactory(t -> new RowWithDetails());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setPlaceholder(new Label("No extents yet"));
        table.setFixedCellSize(24);
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(tools, jumpError, table);

        model.rowsProperty().addListener((o, a, rows) -> table.setItems(rows));
        if (model.rowsProperty().get() != null) table.setItems(model.rowsProperty().get());
        model.selectionProperty().addListener((o, a, sel) -> select(sel));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            if (!applyingModelSelection && row != null && table.getSelectionModel().getSelectedIndices().size() == 1) {
                onRowPicked.accept(row);
            }
        });
    }

    TableView<ExtentRow> table() { return table; }

    private void select(ExtentTableModel.RowSelection sel) {
        if (sel == null) {
            table.getSelectionModel().clearSelection();
            return;
        }
        applyingModelSelection = true;
        try {
            var sm = table.getSelectionModel();
            sm.clearSelection();
            if (sel.last() - sel.first() + 1 <= ExtentTableModel.MAX_SELECTED_ROWS) sm.selectRange(sel.first(), sel.last() + 1);
            else sm.select(sel.first());
            table.scrollTo(Math.max(0, sel.first() - 2));
        } finally {
            applyingModelSelection = false;
        }
    }

    static String kindText(ExtentRow r) {
        String label = ExtentTableModel.kindLabel(r.kind());
        String d = r.description();
        return d.equals(label) || r.kind() == ExtentKind.UNKNOWN ? label : label + "  (" + d + ")";
    }

    private static TableColumn<ExtentRow, String> column(String name, double width, Function<ExtentRow, String> text) {
        TableColumn<ExtentRow, String> c = new TableColumn<>(name);
        c.setSortable(false);
        c.setReorderable(false);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(text.apply(f.getValue())));
        return c;
    }

    /** A row whose tooltip gives the exact range in bytes and in binary units. */
    private static final class RowWithDetails extends TableRow<ExtentRow> {
        private final Tooltip tip = new Tooltip();

        @Override
        protected void updateItem(ExtentRow r, boolean empty) {
            super.updateItem(r, empty);
            if (empty || r == null) {
                setTooltip(null);
                return;
            }
            long end = r.offset() + r.length();
            tip.setText("extent " + Units.grouped(r.index()) + ": " + kindText(r) + "\n"
                + Units.grouped(r.offset()) + " – " + Units.grouped(end) + " bytes\n"
                + Units.bytes(r.offset()) + " – " + Units.bytes(end) + ", " + Units.grouped(r.length()) + " bytes long");
            setTooltip(tip);
        }
    }

    private static final class KindCell extends ListCell<ExtentKind> {
        @Override
        protected void updateItem(ExtentKind k, boolean empty) {
            super.updateItem(k, empty);
            setText(empty ? null : k == null ? "All kinds" : capital(ExtentTableModel.kindLabel(k)));
        }

        private static String capital(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }
    }
}
