package io.anglearn.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Describes I/O failures in a few words a user can act on. Java's file-system exceptions often
 * carry only the path (an {@code AccessDeniedException}'s message is the file name alone), and a
 * full disk says "No space left on device" without naming the file.
 */
public final class IoErrors {

    private IoErrors() {}

    /**
     * Describes a failure: {@code file: reason} for file-system exceptions, the message otherwise.
     *
     * @param e the failure
     * @return the description
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fs) {
            String reason = fs.getReason() != null ? fs.getReason()
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : e instanceof DirectoryNotEmptyException ? "folder not empty"
                    : e.getClass().getSimpleName();
            return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + reason;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
