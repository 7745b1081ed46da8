package dev.jobdeck.ui.hosts;

import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.fx.TableCells;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TextField;

import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Function;
import java.util.function.Supplier;

/** The bindings the Hosts screen's pane controllers share: an input with its message, a figure, a column. */
final class Bind {

    private Bind() {
    }

    /** The input edits {@code value} both ways; {@code error} shows next to it (and marks it) when not empty. */
    static void field(TextField input, StringProperty value, Label errorLabel, ReadOnlyStringProperty error) {
        input.textProperty().bindBidirectional(value);
        errorLabel.textProperty().bind(error);
        errorLabel.visibleProperty().bind(error.isNotEmpty());
        errorLabel.managedProperty().bind(errorLabel.visibleProperty());
        error.addListener((obs, old, message) -> input.pseudoClassStateChanged(Styles.INVALID, !message.isEmpty()));
    }

    static void figure(Label label, ReadOnlyLongProperty value) {
        label.textProperty().bind(Bindings.createStringBinding(() -> HostTexts.number(value.get()), value));
    }

    static void markLoss(Node tile, ReadOnlyLongProperty lost) {
        lost.addListener((obs, old, count) -> tile.pseudoClassStateChanged(Styles.LOSS, count.longValue() > 0));
    }

    static <S> void preciseTime(TableColumn<S, Instant> column, Function<S, Instant> getter, Supplier<ZoneId> zone,
                                Supplier<Instant> now) {
        TableCells.showValue(column, getter);
        column.setCellFactory(HostCells.formatted(at -> HostTexts.precise(at, zone.get(), now.get())));
    }
}
