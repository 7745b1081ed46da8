package dev.jobdeck.ui.fx;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.util.Callback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;

/**
 * Loads {@code /fxml/X.fxml} for a controller named {@code XController}, with controllers created by the
 * injected factory (a new controller per load). Fails with a message naming the missing path.
 */
public final class ViewLoader {

    private final Callback<Class<?>, Object> controllerFactory;

    public ViewLoader(Callback<Class<?>, Object> controllerFactory) {
        this.controllerFactory = controllerFactory;
    }

    public record View<C>(Parent root, C controller) {
    }

    public <C> View<C> load(Class<C> controllerType) {
        String name = controllerType.getSimpleName();
        if (!name.endsWith("Controller")) {
            throw new IllegalArgumentException(name + " is not named XController");
        }
        String path = "/fxml/" + name.substring(0, name.length() - "Controller".length()) + ".fxml";
        URL location = controllerType.getResource(path);
        if (location == null) {
            throw new IllegalStateException("No view for " + name + ": " + path + " is not on the class path");
        }
        FXMLLoader loader = new FXMLLoader(location);
        loader.setControllerFactory(controllerFactory);
        try {
            Parent root = loader.load();
            return new View<>(root, controllerType.cast(loader.getController()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load " + path + ": " + e.getMessage(), e);
        }
    }
}
