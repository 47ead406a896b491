package io.anglearn.solr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A SolrCloud cluster in its own JVM, from the Solr jars of this module's tests: N Solr nodes on
 * loopback (random free ports) and an embedded ZooKeeper, their data under a folder. For the
 * command line's tests and the benchmark, which talk to it over HTTP as to any Solr.
 *
 * <p>Usage: {@code java -cp CLASSPATH io.anglearn.solr.LocalSolrCloud NODES DIR [stdin]}. It prints
 * one line {@code node URL} per node, then {@code ready}, and runs until it is stopped (SIGTERM
 * shuts the nodes down) or, with {@code stdin}, until its standard input closes (a parent
 * process that dies takes the cluster with it).
 */
public final class LocalSolrCloud {

    private LocalSolrCloud() {}

    /**
     * Starts the cluster.
     *
     * @param args NODES DIR
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3 || args.length == 3 && !args[2].equals("stdin")) {
            System.err.println("usage: LocalSolrCloud NODES DIR [stdin]");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(n, Files.createTempDirectory(dir, "cloud-"))
                .configure();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.shutdown();
            } catch (Exception e) {
                System.err.println("LocalSolrCloud: " + e);
            }
            done.countDown();
        }));
        for (JettySolrRunner j : cluster.getJettySolrRunners()) {
            System.out.println("node " + j.getBaseUrl());
        }
        System.out.println("ready");
        System.out.flush();
        if (args.length < 3) {
            done.await();
            return;
        }
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // runs until the parent closes the pipe
                }
            } catch (IOException e) {
                // the same: the parent is gone
            }
            System.exit(0);
        }, "stdin-watch");
        stdin.setDaemon(true);
        stdin.start();
        done.await();
    }
}
