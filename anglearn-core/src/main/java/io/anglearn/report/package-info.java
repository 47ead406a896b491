/** What a run leaves on disk: its directory, configuration, metrics tables; written atomically. */
package io.anglearn.report;
