package io.anglearn.util;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host names as the downloader and the server judge them. */
public final class Hosts {

    private Hosts() {}

    /**
     * Returns whether every address a host name resolves to is a loopback address: such a host is
     * this machine, reachable by nobody else.
     *
     * @param host a name or address, or null
     * @return false for null, an unknown name, or a name with any address elsewhere
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
