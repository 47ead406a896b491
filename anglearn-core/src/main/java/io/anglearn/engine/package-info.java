/**
 * DJL engine set-up: offline mode, device selection, a readable failure when natives are missing,
 * and a strict check of DJL's array encoding before untrusted bytes reach its decoder.
 */
package io.anglearn.engine;
