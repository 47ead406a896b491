package io.anglearn.data;

/** Which of CIFAR-100's two labels to train on. */
public enum LabelKind {
    /** The 100 fine classes (the default, and what the paper reports). */
    FINE,
    /** The 20 coarse superclasses. */
    COARSE
}
