/** DJL engine set-up: offline mode, device selection, and a readable failure when natives are missing. */
package io.anglearn.engine;
