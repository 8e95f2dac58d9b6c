package org.nbdscope.engine.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NbdUriTest {

    @Test
    void tcpWithDefaults() {
        NbdUri u = NbdUri.parse("nbd://example.com/disk");
        assertThat(u.scheme()).isEqualTo("nbd");
        assertThat(u.tls()).isFalse();
        assertThat(u.host()).isEqualTo("example.com");
        assertThat(u.port()).isEqualTo(10809);
        assertThat(u.exportName()).isEqualTo("disk");
        assertThat(u.unix()).isFalse();
        assertThat(u.socketPath()).isNull();
        assertThat(u.toString()).isEqualTo("nbd://example.com/disk");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nbd://example.com/disk|disk",
        "nbd://example.com/|''",
        "nbd://example.com|''",
        "nbd://example.com//disk|/disk",
        "nbd://example.com/hello%20world|hello world",
        "nbd://example.com/a+b|a+b",
        "nbd://example.com/%C3%A9t%C3%A9|été"})
    void exportNamesFromTheSpec(String uri, String export) {
        assertThat(NbdUri.parse(uri).exportName()).isEqualTo(export);
    }

    @Test
    void portsAndIpLiterals() {
        NbdUri v4 = NbdUri.parse("nbd://127.0.0.1:10810/x");
        assertThat(v4.host()).isEqualTo("127.0.0.1");
        assertThat(v4.port()).isEqualTo(10810);
        NbdUri v6 = NbdUri.parse("nbds://[::1]:1234/x");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.port()).isEqualTo(1234);
        assertThat(v6.tls()).isTrue();
        assertThat(v6.tlsHostname()).isEqualTo("::1");
        assertThat(v6.toString()).isEqualTo("nbds://[::1]:1234/x");
        assertThat(NbdUri.parse("nbd://[fe80::1]/").port()).isEqualTo(10809);
        assertThat(NbdUri.parse("nbd://user@host/").user()).isEqualTo("user");
        assertThat(NbdUri.parse("nbd://host_name.local/").host()).isEqualTo("host_name.local");
    }

    @Test
    void unixSockets() {
        NbdUri u = NbdUri.parse("nbd+unix:///disk?socket=/tmp/nbd.sock");
        assertThat(u.unix()).isTrue();
        assertThat(u.socketPath()).isEqualTo("/tmp/nbd.sock");
        assertThat(u.host()).isNull();
        assertThat(u.port()).isEqualTo(-1);
        assertThat(u.exportName()).isEqualTo("disk");
        NbdUri t = NbdUri.parse("nbds+unix:///?socket=%2Frun%2Fa%20b.sock&tls-certificates=/etc/pki&tls-verify-peer=0");
        assertThat(t.tls()).isTrue();
        assertThat(t.socketPath()).isEqualTo("/run/a b.sock");
        assertThat(t.tlsCertificates()).isEqualTo("/etc/pki");
        assertThat(t.tlsVerifyPeer()).isFalse();
        assertThat(t.exportName()).isEmpty();
        assertThat(NbdUri.parse("nbd+unix:///?socket=%00/abstract").socketPath()).isEqualTo("\0/abstract");
    }

    @Test
    void tlsQueries() {
        NbdUri u = NbdUri.parse("nbds://h/?tls-certificates=/pki&tls-hostname=server.example&x-custom=1");
        assertThat(u.tlsVerifyPeer()).isTrue();
        assertThat(u.tlsHostname()).isEqualTo("server.example");
        assertThat(u.query()).containsEntry("x-custom", "1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://example.com/|scheme 'http'",
        "nbd+unix:///disk|socket=",
        "nbd+unix://host/disk?socket=/s|must not name a host",
        "nbd://example.com:99999/|port 99999",
        "nbd://example.com:abc/|port 'abc'",
        "nbd:///disk|needs a host",
        "nbd://h/?foo=1|'foo'",
        "nbd://h/?socket=/s|'socket'",
        "nbd://h/?tls-verify-peer=maybe|'tls-verify-peer'",
        "nbd://h/?tls-type=psk|'tls-type'",
        "nbd://h/?tls-psk-file=/k|'tls-psk-file'",
        "nbd://[::1/|IPv6",
        "nbd://h/a%zzb|'%zz'",
        "nbd://h/a%4|escape",
        "nbd://h/x#frag|fragment",
        "nbd://h/a b|index",
        "nbd://h/?socket=a&socket=b|twice",
        "nbd://h/%00|NUL",
        "''|empty"})
    void malformedNamesTheBadPart(String uri, String part) {
        assertThatThrownBy(() -> NbdUri.parse(uri)).isInstanceOf(NbdUriException.class)
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(part);
    }

    @Test
    void looksLikeNbd() {
        assertThat(NbdUri.looksLikeNbd("NBD+UNIX:///x")).isTrue();
        assertThat(NbdUri.looksLikeNbd("nbds://h")).isTrue();
        assertThat(NbdUri.looksLikeNbd("/tmp/disk.img")).isFalse();
        assertThat(NbdUri.looksLikeNbd("demo")).isFalse();
        assertThat(NbdUri.looksLikeNbd("file:///x")).isFalse();
    }

    @Test
    void exportNameLimit() {
        assertThatThrownBy(() -> NbdUri.parse("nbd://h/" + "a".repeat(4097))).hasMessageContaining("4096");
        assertThat(NbdUri.parse("nbd://h/" + "a".repeat(4096)).exportName()).hasSize(4096);
    }
}
