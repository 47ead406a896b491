package io.anglearn.data;

/** Progress of a download, e.g. to draw a progress bar. Every method does nothing by default. */
public interface DownloadListener {

    /**
     * A file's transfer starts.
     *
     * @param file the file
     * @param totalBytes its size if the server says it, else -1
     */
    default void onStart(RemoteFile file, long totalBytes) {}

    /**
     * More bytes arrived.
     *
     * @param file the file
     * @param bytesSoFar bytes received so far
     */
    default void onProgress(RemoteFile file, long bytesSoFar) {}

    /**
     * The transfer ended, successfully or not.
     *
     * @param file the file
     */
    default void onEnd(RemoteFile file) {}

    /**
     * A step after the transfer (checking, extracting).
     *
     * @param message what is being done
     */
    default void onStep(String message) {}
}
