package io.anglearn.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Collection URLs: the node's base URL and the collection, credentials kept out of every message. */
class SolrLocationTest {

    @Test
    void theLastPathSegmentIsTheCollection() {
        SolrLocation l = SolrLocation.parse("http://127.0.0.1:8983/solr/images");
        assertEquals(URI.create("http://127.0.0.1:8983/solr"), l.base());
        assertEquals("images", l.collection());
        assertNull(l.authorization());
        assertEquals("http://127.0.0.1:8983/solr/images", l.url());
        assertEquals("https://search.example.org/api/solr/cifar-10_v2",
                SolrLocation.parse(" https://search.example.org/api/solr/cifar-10_v2/ ").url());
    }

    @Test
    void credentialsBecomeBasicAuthenticationAndAreNeverShown() {
        SolrLocation l = SolrLocation.parse("http://solr:SolrRocks@localhost:8983/solr/images");
        assertEquals("Basic c29scjpTb2xyUm9ja3M=", l.authorization());
        assertEquals("http://localhost:8983/solr/images", l.url());
        assertEquals("http://localhost:8983/solr/images", l.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SolrLocation.parse("http://solr:SolrRocks@localhost:8983/"));
        assertFalse(e.getMessage().contains("SolrRocks"), e.getMessage());
    }

    @Test
    void whatIsNotACollectionUrlIsRefusedWithWhatWasExpected() {
        String expected = "; expected http://HOST:PORT/solr/COLLECTION";
        assertEquals("'ftp://h/solr/x' is not an http or https URL" + expected, assertThrows(IllegalArgumentException.class,
                () -> SolrLocation.parse("ftp://h/solr/x")).getMessage());
        assertEquals("'http://h:8983/' does not end with a collection name (letters, digits, '.', '_', '-')" + expected,
                assertThrows(IllegalArgumentException.class, () -> SolrLocation.parse("http://h:8983/")).getMessage());
        assertEquals("'http://h:8983/images' does not end with a collection name (letters, digits, '.', '_', '-')"
                + expected, assertThrows(IllegalArgumentException.class,
                        () -> SolrLocation.parse("http://h:8983/images")).getMessage());
        assertEquals("'http://h/solr/-x' does not end with a collection name (letters, digits, '.', '_', '-')" + expected,
                assertThrows(IllegalArgumentException.class, () -> SolrLocation.parse("http://h/solr/-x")).getMessage());
        assertEquals("'http://h/solr/x?q=1' has a query or fragment" + expected,
                assertThrows(IllegalArgumentException.class, () -> SolrLocation.parse("http://h/solr/x?q=1")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SolrLocation.parse("http://h/solr/a b"))
                .getMessage().startsWith("'http://h/solr/a b' is not a URL"));
    }

    @Test
    void onlyHttpAndHttpsValuesAreUrls() {
        assertTrue(SolrLocation.isUrl("http://h/solr/x"));
        assertTrue(SolrLocation.isUrl("HTTPS://h/solr/x"));
        assertFalse(SolrLocation.isUrl("runs/cifar/index/test"));
        assertFalse(SolrLocation.isUrl("http-index"));
    }
}
