package dev.jobdeck.ui.fx;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The one message line of a screen (Jobs, Hosts), shared by its parts so that the operator reads the
 * outcome of the last thing they did in one place.
 */
public final class Banner {

    public enum Tone { NONE, SUCCESS, DANGER, INFO }

    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Tone> tone = new ReadOnlyObjectWrapper<>(Tone.NONE);

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Tone> toneProperty() {
        return tone.getReadOnlyProperty();
    }

    public String text() {
        return text.get();
    }

    public Tone tone() {
        return tone.get();
    }

    public void show(Tone kind, String message) {
        // Text first: listeners on the tone read the text to decide whether the banner is visible.
        text.set(message);
        tone.set(kind);
    }

    public void clear() {
        show(Tone.NONE, "");
    }

    public void failed(String doing, Throwable problem) {
        show(Tone.DANGER, doing + " failed: " + (problem.getMessage() == null ? problem.getClass().getSimpleName()
                : problem.getMessage()));
    }
}
