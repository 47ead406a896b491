/** Benchmarks: measured, recorded in BENCHMARKS.md, never run as timed unit tests. */
package io.anglearn.bench;
