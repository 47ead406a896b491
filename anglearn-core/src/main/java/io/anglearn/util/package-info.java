/**
 * Small helpers every package shares: {@link io.anglearn.util.NameSuggestions} matches a name a
 * user typed (a loss, an architecture, a schedule, ...) against the accepted ones and words the
 * error, with the closest valid names, when it is not one of them; {@link io.anglearn.util.IoErrors}
 * words an I/O failure with the file it concerns; {@link io.anglearn.util.CpuInfo} names the processor
 * a run or a measurement used; {@link io.anglearn.util.Words} writes counts ("1 epoch", "2 epochs").
 */
package io.anglearn.util;
