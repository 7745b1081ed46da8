package dev.jobdeck.ui.fx;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.core.jobs.query.JobState;
import javafx.css.PseudoClass;
import dev.jobdeck.ui.fx.Banner;
import javafx.scene.Node;
import javafx.scene.control.Label;

import java.util.EnumMap;
import java.util.Map;

/** Style-class names and pseudo-classes used from Java, matching {@code styles/jobdeck.css}. */
public final class Styles {

    public static final String SCREEN = "screen";
    public static final String FIELD_ERROR = "field-error";
    public static final String BANNER = "banner";
    public static final String BANNER_SUCCESS = "banner-success";
    public static final String BANNER_DANGER = "banner-danger";
    public static final String BANNER_INFO = "banner-info";
    public static final String STATE_BADGE = "state-badge";
    public static final String STATE_CARD = "state-card";
    public static final String MONO = "mono";
    public static final String PLACEHOLDER = "placeholder";

    public static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");
    public static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    /** On a ledger figure that counts lost e-mails and is not 0. */
    public static final PseudoClass LOSS = PseudoClass.getPseudoClass("loss");

    private static final Map<JobState, PseudoClass> STATE_CLASSES = new EnumMap<>(JobState.class);

    static {
        for (JobState state : JobState.values()) {
            STATE_CLASSES.put(state, PseudoClass.getPseudoClass(state.name().toLowerCase()));
        }
    }

    private static final Map<HostStatus.State, PseudoClass> HOST_STATE_CLASSES = new EnumMap<>(HostStatus.State.class);

    static {
        for (HostStatus.State state : HostStatus.State.values()) {
            HOST_STATE_CLASSES.put(state, PseudoClass.getPseudoClass(state.name().toLowerCase()));
        }
    }

    private Styles() {
    }

    /** Marks {@code node} with the pseudo-class of {@code state} ({@code :failed}, {@code :processing}, …) only. */
    public static void showState(Node node, JobState state) {
        STATE_CLASSES.forEach((name, pseudoClass) -> node.pseudoClassStateChanged(pseudoClass, name == state));
    }

    /** Marks {@code node} with the pseudo-class of a host's state ({@code :running}, {@code :dead}, …) only. */
    public static void showHostState(Node node, HostStatus.State state) {
        HOST_STATE_CLASSES.forEach((name, pseudoClass) -> node.pseudoClassStateChanged(pseudoClass, name == state));
    }

    /** Shows {@code banner} in {@code label}: its text, in the colour of its tone, and nothing while it is empty. */
    public static void bindBanner(Label label, Banner banner) {
        label.textProperty().bind(banner.textProperty());
        label.visibleProperty().bind(banner.textProperty().isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        banner.toneProperty().addListener((obs, old, tone) -> banner(label, switch (tone) {
            case SUCCESS -> BANNER_SUCCESS;
            case DANGER -> BANNER_DANGER;
            case INFO, NONE -> BANNER_INFO;
        }));
    }

    /** Shows one banner kind on {@code node}: success, danger or info. */
    public static void banner(Node node, String kind) {
        node.getStyleClass().removeAll(BANNER_SUCCESS, BANNER_DANGER, BANNER_INFO);
        if (!node.getStyleClass().contains(BANNER)) {
            node.getStyleClass().add(BANNER);
        }
        node.getStyleClass().add(kind);
    }
}
