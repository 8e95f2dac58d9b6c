package org.nbdscope.app.gui;

import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.nbdscope.app.gui.model.ExtentRow;
import org.nbdscope.app.gui.model.HeatMapModel;
import org.nbdscope.app.gui.model.TargetModel;

/**
 * A tab's content: the heat-map with its overview strip and legend, beside the extent table and the export
 * details, over the status bar. Until the target is open it shows the connection's progress or failure.
 * The side tabs ({@link #sideTabs()}) hold the extents, the details and the compare panel (probe versus make-zero).
 */
final class TargetView extends BorderPane {
    private final TargetModel target;
    private final ExtentTableView table;
    private final DetailsView details;
    private final CompareView compare;
    private final ChangesView changes;
    private final TextArea notes = new TextArea();
    private HeatMapView heat;
    private OverviewStrip overview;
    private TabPane side;

    TargetView(TargetModel target) {
        this.target = target;
        getStyleClass().add("target-view");
        table = new ExtentTableView(target.table(), this::showRow, this::jumped);
        details = new DetailsView(target.details());
        compare = new CompareView(target.compare());
        changes = new ChangesView(target.changes());
        notes.setId("notes");
        notes.setPromptText("Notes about this target: what you found, what to try next. Saved in the session file.");
        notes.setWrapText(true);
        notes.setPrefRowCount(3);
        notes.textProperty().bindBidirectional(target.notesProperty());
        target.changes().availableProperty().addListener((o, a, b) -> {
            if (b) showChanges();
        });
        setBottom(new StatusBarView(target));
        target.heatMapProperty().addListener((o, a, h) -> build(h));
        target.stateProperty().addListener((o, a, s) -> {
            if (target.heatMap() == null) waiting();
        });
        if (target.heatMap() != null) build(target.heatMap());
        else waiting();
    }

    TargetModel target() { return target; }

    HeatMapView heatMapView() { return heat; }

    OverviewStrip overview() { return overview; }

    ExtentTableView extentTable() { return table; }

    DetailsView details() { return details; }

    /** The compare panel (probe zero flag against make zero). */
    CompareView compare() { return compare; }

    /** Brings the compare panel to the front (the compare actions from the menu or the keyboard show it). */
    void showCompare() {
        if (side != null) side.getSelectionModel().select(2);
    }

    ChangesView changes() { return changes; }

    TextArea notes() { return notes; }

    /** Brings the Changes panel to the front (after a rescan of a saved target, or stepping through changes). */
    void showChanges() {
        if (side != null) side.getSelectionModel().select(3);
    }

    /** The extents and details tabs beside the heat-map (null until the target is open). */
    TabPane sideTabs() { return side; }

    private void waiting() {
        VBox box = new VBox(12);
        box.getStyleClass().add("waiting");
        box.setAlignment(javafx.geometry.Pos.CENTER);
        Label msg = new Label();
        msg.setWrapText(true);
        msg.getStyleClass().add("empty-hint");
        msg.textProperty().bind(target.statusTextProperty());
        if (target.state() == TargetModel.State.FAILED || target.state() == TargetModel.State.SAVED) {
            Button retry = new Button(target.state() == TargetModel.State.SAVED ? "Connect and scan" : "Try again");
            retry.setId("retry");
            retry.setOnAction(e -> target.rescan());
            box.getChildren().addAll(msg, retry);
        } else {
            box.getChildren().addAll(new ProgressIndicator(), msg);
        }
        setCenter(box);
    }

    private void build(HeatMapModel h) {
        heat = new HeatMapView(h, this::cellClicked);
        overview = new OverviewStrip(h);
        LegendView legend = new LegendView(target, h);
        TitledPane notesPane = new TitledPane("Notes", notes);
        notesPane.setId("notes-pane");
        notesPane.setExpanded(true);
        VBox mapColumn = new VBox(heat, overview, legend, notesPane);
        mapColumn.getStyleClass().add("map-column");
        VBox.setVgrow(heat, Priority.ALWAYS);

        Tab extents = new Tab("Extents", table);
        extents.setId("tab-extents");
        Tab det = new Tab("Details", details);
        det.setId("tab-details");
        Tab cmp = new Tab("Compare", compare);
        cmp.setId("tab-compare");
        Tab chg = new Tab("Changes", changes);
        chg.setId("tab-changes");
        side = new TabPane(extents, det, cmp, chg);
        if (target.changes().availableProperty().get()) side.getSelectionModel().select(chg);
        side.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        side.setMinWidth(360);
        side.setPrefWidth(500);

        SplitPane split = new SplitPane(mapColumn, side);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.64);
        SplitPane.setResizableWithParent(side, false);
        setCenter(split);
    }

    private void cellClicked(int cell) {
        HeatMapModel h = target.heatMap();
        h.select(h.cellFrom(cell), h.cellTo(cell));
        int[] r = h.extentsIn(cell);
        if (r != null) target.table().selectExtents(r[0], r[1]);
    }

    private void showRow(ExtentRow row) {
        HeatMapModel h = target.heatMap();
        if (h == null) return;
        long end = row.offset() + row.length();
        h.select(row.offset(), end);
        if (end <= h.viewFrom() || row.offset() >= h.viewTo()) h.centerOn(row.offset());
    }

    private void jumped(long offset) {
        HeatMapModel h = target.heatMap();
        if (h != null) h.centerOn(offset);
    }
}
