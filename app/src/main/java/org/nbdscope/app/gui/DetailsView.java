package org.nbdscope.app.gui;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.AbstractPropertyEditor;

import org.nbdscope.app.gui.model.DetailRow;

/**
 * Export details as a ControlsFX property sheet, grouped in the order the source gives them (what was
 * negotiated or parsed), then the last scan. Values sit in non-editable text fields: readable, selectable.
 */
final class DetailsView extends StackPane {
    private final PropertySheet sheet = new PropertySheet();

    DetailsView(ObservableList<DetailRow> rows) {
        setId("details");
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(true);
        sheet.setPropertyEditorFactory(item -> new ReadOnlyEditor(item));
        getChildren().add(sheet);
        rows.addListener((ListChangeListener<DetailRow>) c -> fill(rows));
        fill(rows);
    }

    PropertySheet sheet() { return sheet; }

    private void fill(ObservableList<DetailRow> rows) {
        List<String> groups = rows.stream().map(DetailRow::group).distinct().toList();
        sheet.setCategoryComparator(Comparator.comparingInt(g -> groups.indexOf(g) < 0 ? Integer.MAX_VALUE : groups.indexOf(g)));
        sheet.getItems().setAll(rows.stream().map(Item::new).toList());
    }

    /** A row as a read-only sheet item. */
    private record Item(DetailRow row) implements PropertySheet.Item {
        @Override public Class<?> getType() { return String.class; }
        @Override public String getCategory() { return row.group(); }
        @Override public String getName() { return row.name(); }
        @Override public String getDescription() { return row.group() + " · " + row.name() + ": " + row.value(); }
        @Override public Object getValue() { return row.value(); }
        @Override public void setValue(Object value) { throw new UnsupportedOperationException("export details are read-only"); }
        @Override public Optional<ObservableValue<?>> getObservableValue() { return Optional.empty(); }
        /** True so the sheet does not disable (grey out) the value; the field itself is not editable. */
        @Override public boolean isEditable() { return true; }
    }

    /** Shows a value in a non-editable text field, so it stays readable and can be selected and copied. */
    private static final class ReadOnlyEditor extends AbstractPropertyEditor<Object, TextField> {
        ReadOnlyEditor(PropertySheet.Item item) {
            super(item, field(item), true);
        }

        private static TextField field(PropertySheet.Item item) {
            TextField f = new TextField(String.valueOf(item.getValue()));
            f.setEditable(false);
            f.getStyleClass().add("detail-value");
            return f;
        }

        @Override
        protected ObservableValue<Object> getObservableValue() {
            return new javafx.beans.property.ReadOnlyObjectWrapper<>(getEditor().getText());
        }

        @Override
        public void setValue(Object value) {
            getEditor().setText(String.valueOf(value));
        }
    }
}
