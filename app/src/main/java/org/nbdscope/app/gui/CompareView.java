package org.nbdscope.app.gui;

import java.util.List;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import org.nbdscope.app.gui.model.CompareBar;
import org.nbdscope.app.gui.model.CompareModel;
import org.nbdscope.app.gui.model.CompareRow;

/**
 * The compare panel of a tab: the Probe zero flag, Make zero and Compare both buttons with the Plan only
 * switch, the verdict, the two sides in a table and a bar chart, and each side's one-sentence result. It only
 * binds to its {@link CompareModel}; the one thing it does itself is ask for the export name before make-zero.
 */
final class CompareView extends ScrollPane {
    /** Fixed row height of the table, so it can be sized to show every row without scrolling. */
    private static final double ROW = 24;

    private final CompareModel model;
    private final TableView<CompareRow> table = new TableView<>();
    private final BarChart<String, Number> chart;
    private final XYChart.Series<String, Number> probeSeries = new XYChart.Series<>();
    private final XYChart.Series<String, Number> zeroSeries = new XYChart.Series<>();
    private final Tooltip makeZeroTip;

    CompareView(CompareModel model) {
        this.model = model;
        setId("compare");
        getStyleClass().add("compare-panel");
        setFitToWidth(true);

        Button probe = new Button("Probe zero flag");
        probe.setId("probe-zero");
        probe.disableProperty().bind(model.readyProperty().not());
        probe.setOnAction(e -> probe());

        Button makeZero = new Button();
        makeZero.setId("make-zero");
        makeZero.textProperty().bind(Bindings.when(model.planOnlyProperty()).then("Make zero (plan)").otherwise("Make zero…"));
        makeZero.disableProperty().bind(model.canMakeZeroProperty().not());
        makeZero.setOnAction(e -> makeZero());

        Button both = new Button("Compare both");
        both.setId("compare-both");
        both.disableProperty().bind(model.readyProperty().not());
        both.setOnAction(e -> compareBoth());

        CheckBox planOnly = new CheckBox("Plan only");
        planOnly.setId("plan-only");
        planOnly.selectedProperty().bindBidirectional(model.planOnlyProperty());
        planOnly.disableProperty().bind(model.busyProperty());
        planOnly.setTooltip(new Tooltip("Make zero and Compare both show the plan (strategy, predicted requests and bytes)"
            + " and write nothing"));

        makeZeroTip = tip(model.makeZeroHintProperty());
        FlowPane actions = new FlowPane(8, 6,
            wrap(probe, "probe-zero-wrapper", tip(model.probeHintProperty())),
            wrap(makeZero, "make-zero-wrapper", makeZeroTip),
            wrap(both, "compare-both-wrapper", tip(Bindings.createStringBinding(() -> model.readyProperty().get()
                ? (model.needsConfirmation() ? "Probe, then make zero (asks for the export name) and weigh both (Ctrl+Shift+C)"
                    : "Probe, then plan make-zero (nothing is written) and weigh both (Ctrl+Shift+C)")
                : model.probeHintProperty().get(), model.readyProperty(), model.probeHintProperty(),
                model.planOnlyProperty(), model.makeZeroRefusalProperty()))),
            planOnly);
        actions.getStyleClass().add("compare-actions");

        Label verdict = new Label();
        verdict.setId("compare-verdict");
        verdict.getStyleClass().add("compare-verdict");
        verdict.setWrapText(true);
        verdict.textProperty().bind(model.verdictProperty());
        model.winnerProperty().addListener((o, a, w) -> winnerStyle(verdict, w));
        winnerStyle(verdict, model.winnerProperty().get());

        buildTable();
        chart = buildChart();

        Label probeSummary = summary("compare-probe-summary", model.probeSummaryProperty());
        Label zeroSummary = summary("compare-make-zero-summary", model.makeZeroSummaryProperty());

        VBox box = new VBox(10, actions, verdict, table, chart, probeSummary, zeroSummary);
        box.getStyleClass().add("compare-box");
        setContent(box);
    }

    TableView<CompareRow> table() { return table; }

    BarChart<String, Number> chart() { return chart; }

    /** The Make zero button's tooltip (on its wrapper, so it shows while the button is disabled). */
    Tooltip makeZeroTooltip() { return makeZeroTip; }

    /** Runs the zero probe. */
    void probe() {
        model.probe();
    }

    /** Make zero: the plan with "plan only", else after the user typed the export name. */
    void makeZero() {
        if (!model.canMakeZeroProperty().get()) return;
        if (!model.needsConfirmation()) {
            model.makeZero(null);
            return;
        }
        askName("Make zero").ifPresent(model::makeZero);
    }

    /** Probe and make-zero (or its plan) one after the other; asks for the export name when it would write. */
    void compareBoth() {
        if (!model.readyProperty().get()) return;
        if (!model.needsConfirmation()) {
            model.compareBoth(null);
            return;
        }
        askName("Compare both (with make-zero)").ifPresent(model::compareBoth);
    }

    private java.util.Optional<String> askName(String action) {
        String name = model.confirmationNameProperty().get();
        return new ConfirmZeroDialog(getScene().getWindow(), List.copyOf(getScene().getStylesheets()), name,
            name, action).showAndWait();
    }

    /** Tooltips on disabled controls need a node around them that still gets the mouse. */
    private static StackPane wrap(Button b, String id, Tooltip tip) {
        StackPane p = new StackPane(b);
        p.setId(id);
        Tooltip.install(p, tip);
        return p;
    }

    private static Tooltip tip(ObservableValue<String> text) {
        Tooltip t = new Tooltip();
        t.textProperty().bind(text);
        t.setWrapText(true);
        t.setMaxWidth(420);
        t.setShowDelay(Duration.millis(300));
        return t;
    }

    private static Label summary(String id, ObservableValue<String> text) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("compare-summary");
        l.setWrapText(true);
        l.textProperty().bind(text);
        l.visibleProperty().bind(Bindings.createBooleanBinding(() -> !text.getValue().isEmpty(), text));
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    private static void winnerStyle(Label l, String winner) {
        l.getStyleClass().removeAll("has-winner");
        if (winner != null && !winner.isEmpty()) l.getStyleClass().add("has-winner");
    }

    private void buildTable() {
        table.setId("compare-table");
        table.getStyleClass().add("compare-table");
        table.setItems(model.rows());
        table.setFixedCellSize(ROW);
        table.setFocusTraversable(false);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.getColumns().add(column("", CompareRow::measure, 175));
        TableColumn<CompareRow, String> p = column(CompareModel.PROBE_TITLE, CompareRow::probe, 160);
        p.setId("compare-probe-column");
        TableColumn<CompareRow, String> z = column("", CompareRow::makeZero, 160);
        z.setId("compare-make-zero-column");
        z.textProperty().bind(model.makeZeroTitleProperty());
        table.getColumns().add(p);
        table.getColumns().add(z);
        // every row shows: the table never scrolls, the panel does
        table.prefHeightProperty().bind(Bindings.size(model.rows()).multiply(ROW).add(ROW + 8));
        table.minHeightProperty().bind(table.prefHeightProperty());
        table.setPlaceholder(new Label("No results yet"));
    }

    private static TableColumn<CompareRow, String> column(String title, Function<CompareRow, String> f, double width) {
        TableColumn<CompareRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new javafx.beans.property.ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setReorderable(false);
        return c;
    }

    private BarChart<String, Number> buildChart() {
        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis(0, 100, 25);
        y.setLabel("% of larger side, log");
        y.setMinorTickVisible(false);
        BarChart<String, Number> c = new BarChart<>(x, y);
        c.setId("compare-chart");
        c.getStyleClass().add("compare-chart");
        c.setAnimated(false);
        c.setLegendSide(Side.BOTTOM);
        c.setCategoryGap(18);
        c.setBarGap(3);
        c.setPrefHeight(260);
        c.setMinHeight(220);
        probeSeries.setName(CompareModel.PROBE_TITLE);
        zeroSeries.nameProperty().bind(model.makeZeroTitleProperty());
        c.getData().add(probeSeries);
        c.getData().add(zeroSeries);
        model.bars().addListener((ListChangeListener<CompareBar>) ch -> fillChart());
        fillChart();
        return c;
    }

    private void fillChart() {
        probeSeries.getData().setAll(model.bars().stream().map(b -> bar(b.measure(), b.probeHeight(), CompareModel.PROBE_TITLE, b.probeText())).toList());
        zeroSeries.getData().setAll(model.bars().stream().map(b -> bar(b.measure(), b.makeZeroHeight(), model.makeZeroTitleProperty().get(), b.makeZeroText())).toList());
    }

    /** A bar whose tooltip gives the real value. */
    private static XYChart.Data<String, Number> bar(String measure, double height, String side, String text) {
        XYChart.Data<String, Number> d = new XYChart.Data<>(measure, height);
        Node n = new StackPane();
        Tooltip.install(n, new Tooltip(side + " · " + measure + ": " + text));
        d.setNode(n);
        return d;
    }
}
