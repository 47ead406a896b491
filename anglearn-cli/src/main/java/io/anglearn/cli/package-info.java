/** The {@code anglearn} command: a thin picocli layer over anglearn-core. */
package io.anglearn.cli;
