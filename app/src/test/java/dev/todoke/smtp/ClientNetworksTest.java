package dev.todoke.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientNetworksTest {

    @Test
    void containsWhenAddressInsideBlockThenTrue() throws Exception {
        ClientNetworks networks = ClientNetworks.parse(List.of("127.0.0.0/8", "::1/128", "192.168.10.0/23"));
        assertThat(networks.contains(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("192.168.11.255"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
    }

    @Test
    void containsWhenAddressOutsideEveryBlockThenFalse() throws Exception {
        ClientNetworks networks = ClientNetworks.parse(List.of("127.0.0.0/8", "::1/128", "192.168.10.0/23"));
        assertThat(networks.contains(InetAddress.getByName("128.0.0.1"))).isFalse();
        assertThat(networks.contains(InetAddress.getByName("192.168.12.1"))).isFalse();
        assertThat(networks.contains(InetAddress.getByName("::2"))).isFalse();
        assertThat(networks.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void parseWhenNotANetworkThenClearError() {
        assertThatThrownBy(() -> ClientNetworks.parse(List.of("example.com/8"))).hasMessageContaining("example.com/8");
        assertThatThrownBy(() -> ClientNetworks.parse(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
    }
}
