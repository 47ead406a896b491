package io.anglearn.data;

import java.util.List;

/**
 * Decodes the CIFAR binary formats (Krizhevsky, "Learning Multiple Layers of Features from Tiny
 * Images", 2009): fixed-size records of label bytes followed by a 32×32 RGB image stored as
 * 1024 red, 1024 green and 1024 blue bytes, row-major. CIFAR-10 records have one label byte;
 * CIFAR-100 records have two, {@code <coarse><fine>}.
 *
 * <p>The record layout already matches {@link ImageDataset}'s {@code C×H×W} order, so decoding
 * is one copy per image.
 */
final class CifarReader {

    /** Bytes of one CIFAR image (3×32×32). */
    static final int IMAGE_BYTES = 3 * 32 * 32;

    private CifarReader() {}

    /**
     * Decodes files of records into one dataset, checking every record's label bytes.
     *
     * @param name the dataset's name, e.g. {@code cifar-10/train}
     * @param files the decompressed files, in order
     * @param labelLimits for each label byte, the number of classes it ranges over
     * @param labelIndex which label byte to use
     * @param expectedRecords records each file must hold, or -1 for any positive number
     * @param classes the class names for the chosen label byte
     * @return the images and labels
     * @throws DatasetFormatException naming the file when a size or a label is wrong
     */
    static ImageDataset decode(String name, List<PayloadReader.Payload> files, int[] labelLimits, int labelIndex,
            int expectedRecords, List<String> classes) throws DatasetFormatException {
        int labelBytes = labelLimits.length;
        int record = labelBytes + IMAGE_BYTES;
        long totalRecords = 0;
        for (PayloadReader.Payload p : files) {
            long len = p.bytes().length;
            String origin = p.check().origin();
            if (len == 0 || len % record != 0) {
                throw new DatasetFormatException(p.file(), describe(p) + "is " + len + " bytes, not a whole number of "
                        + record + "-byte records (" + layout(labelBytes) + ")");
            }
            if (expectedRecords >= 0 && len / record != expectedRecords) {
                throw new DatasetFormatException(p.file(), describe(p) + "holds " + len / record
                        + " records, expected " + expectedRecords);
            }
            totalRecords += len / record;
        }
        if (totalRecords * IMAGE_BYTES > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(name + ": " + totalRecords + " images do not fit one array");
        }
        byte[] pixels = new byte[(int) (totalRecords * IMAGE_BYTES)];
        int[] labels = new int[(int) totalRecords];
        int i = 0;
        for (PayloadReader.Payload p : files) {
            byte[] b = p.bytes();
            int n = b.length / record;
            for (int r = 0; r < n; r++, i++) {
                int off = r * record;
                for (int k = 0; k < labelBytes; k++) {
                    int v = b[off + k] & 0xFF;
                    if (v >= labelLimits[k]) {
                        throw new DatasetFormatException(p.file(), describe(p) + "record " + r + " has "
                                + labelName(labelBytes, k) + " label " + v + ", expected 0.." + (labelLimits[k] - 1));
                    }
                }
                labels[i] = b[off + labelIndex] & 0xFF;
                System.arraycopy(b, off + labelBytes, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new ImageDataset(name, pixels, labels, 3, 32, 32, classes);
    }

    private static String describe(PayloadReader.Payload p) {
        String origin = p.check().origin();
        String file = p.file().toString();
        return origin.equals(file) ? "" : origin.substring(file.length()) + " ";
    }

    private static String layout(int labelBytes) {
        return labelBytes == 1 ? "<label><1024 R><1024 G><1024 B>" : "<coarse label><fine label><1024 R><1024 G><1024 B>";
    }

    private static String labelName(int labelBytes, int k) {
        return labelBytes == 1 ? "a" : k == 0 ? "a coarse" : "a fine";
    }
}
