package io.anglearn.model;

import ai.djl.nn.Block;
import java.util.List;

/** Creates backbones by name. */
public final class Architectures {

    /** The names {@link #backbone} accepts. */
    public static final List<String> NAMES = List.of("resnet20", "resnet32", "resnet44", "resnet56", "resnet110");

    private Architectures() {}

    /**
     * Creates a backbone.
     *
     * @param name e.g. {@code resnet20}
     * @return a block mapping images to pooled features
     */
    public static Block backbone(String name) {
        return ResNetCifar.backbone(ResNetCifar.depthOf(name));
    }
}
