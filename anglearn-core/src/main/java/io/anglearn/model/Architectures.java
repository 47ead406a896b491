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
        ResNetCifar.Builder b = switch (NameSuggestions.resolve("--arch", name, NAMES)) {
            case "resnet18" -> ResNetCifar.fourStageBuilder(18);
            case "resnet34" -> ResNetCifar.fourStageBuilder(34);
            case "resnet20" -> ResNetCifar.threeStageBuilder(20);
            case "resnet32" -> ResNetCifar.threeStageBuilder(32);
            case "resnet44" -> ResNetCifar.threeStageBuilder(44);
            case "resnet56" -> ResNetCifar.threeStageBuilder(56);
            case "resnet110" -> ResNetCifar.threeStageBuilder(110);
            default -> throw new IllegalStateException("no backbone for " + name);
        };
        return b.optChannelsLast(channelsLast).build();
    }
}
