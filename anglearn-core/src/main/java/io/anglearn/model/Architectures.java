package io.anglearn.model;

import io.anglearn.util.NameSuggestions;
import java.util.List;

/**
 * Creates backbones by name.
 *
 * <ul>
 *   <li>{@code resnet20}, {@code resnet32}, {@code resnet44}, {@code resnet56}, {@code resnet110}:
 *       He et al.'s CIFAR networks, {@link ResNetCifar#threeStage(int)}, 64 features.</li>
 *   <li>{@code resnet18}, {@code resnet34}: the CIFAR variants of ResNet18/34,
 *       {@link ResNetCifar#fourStage(int)}, 512 features.</li>
 * </ul>
 */
public final class Architectures {

    /** The names {@link #backbone} accepts. */
    public static final List<String> NAMES =
            List.of("resnet18", "resnet20", "resnet32", "resnet34", "resnet44", "resnet56", "resnet110");

    /** The shortcut kinds {@link #backbone(String, boolean, String, String)} accepts: He et al.'s options A and B. */
    public static final List<String> SHORTCUTS = List.of("A", "B");

    /** The weight initialisations {@link #backbone(String, boolean, String, String)} accepts. */
    public static final List<String> INITS = List.of("he-normal", "pytorch");

    /**
     * PyTorch's default for convolutions and linear layers, Kaiming uniform with a = √5:
     * U(−b, b) with b = 1/√fan-in.
     */
    static final ai.djl.training.initializer.Initializer PYTORCH_DEFAULT = new ai.djl.training.initializer.XavierInitializer(
            ai.djl.training.initializer.XavierInitializer.RandomType.UNIFORM,
            ai.djl.training.initializer.XavierInitializer.FactorType.IN, 1);

    private Architectures() {}

    /**
     * Creates a backbone.
     *
     * @param name one of {@link #NAMES}, case-insensitive
     * @return a block mapping {@code N×C×H×W} images to {@code N×F} pooled features
     * @throws IllegalArgumentException naming the closest and all accepted names when {@code name} is not one
     */
    public static ResNetCifar backbone(String name) {
        return backbone(name, true);
    }

    /**
     * Creates a backbone, choosing its memory layout.
     *
     * @param name one of {@link #NAMES}, case-insensitive
     * @param channelsLast whether the forward pass runs channels-last ({@link ResNetCifar.Builder#optChannelsLast});
     *     {@link #backbone(String)} says {@code true}
     * @return a block mapping {@code N×C×H×W} images to {@code N×F} pooled features
     * @throws IllegalArgumentException naming the closest and all accepted names when {@code name} is not one
     */
    public static ResNetCifar backbone(String name, boolean channelsLast) {
        return builder(name).optChannelsLast(channelsLast).build();
    }

    /**
     * Creates a backbone with a chosen shortcut and initialisation.
     *
     * @param name one of {@link #NAMES}, case-insensitive
     * @param channelsLast whether the forward pass runs channels-last
     * @param shortcut {@code A} or {@code B} ({@link #SHORTCUTS}, case-insensitive), or null for the
     *     architecture's own (A for the three-stage networks, B for ResNet18/34)
     * @param init {@code he-normal} (N(0, 2/fan-in), the default of every backbone) or
     *     {@code pytorch} (PyTorch's default for convolutions, {@link #PYTORCH_DEFAULT})
     * @return the backbone
     * @throws IllegalArgumentException for an unknown name, shortcut or initialisation
     */
    public static ResNetCifar backbone(String name, boolean channelsLast, String shortcut, String init) {
        ResNetCifar.Builder b = builder(name).optChannelsLast(channelsLast);
        if (shortcut != null) {
            String s = NameSuggestions.resolve("--shortcut", shortcut.toUpperCase(java.util.Locale.ROOT), SHORTCUTS);
            b.setShortcut(s.equals("A") ? Shortcut.ZERO_PAD : Shortcut.PROJECTION);
        }
        ResNetCifar net = b.build();
        if (NameSuggestions.resolve("--conv-init", init, INITS).equals("pytorch")) {
            // Every WEIGHT parameter of the backbone is a convolution's (BatchNorm's are GAMMA and BETA).
            net.setInitializer(PYTORCH_DEFAULT, ai.djl.nn.Parameter.Type.WEIGHT);
        }
        return net;
    }

    private static ResNetCifar.Builder builder(String name) {
        return switch (NameSuggestions.resolve("--arch", name, NAMES)) {
            case "resnet18" -> ResNetCifar.fourStageBuilder(18);
            case "resnet34" -> ResNetCifar.fourStageBuilder(34);
            case "resnet20" -> ResNetCifar.threeStageBuilder(20);
            case "resnet32" -> ResNetCifar.threeStageBuilder(32);
            case "resnet44" -> ResNetCifar.threeStageBuilder(44);
            case "resnet56" -> ResNetCifar.threeStageBuilder(56);
            case "resnet110" -> ResNetCifar.threeStageBuilder(110);
            default -> throw new IllegalStateException("no backbone for " + name);
        };
    }
}
