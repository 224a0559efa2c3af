package dev.todoke.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The client networks allowed to relay: a list of CIDR blocks, IPv4 and IPv6. Immutable. */
final class ClientNetworks {

    private final List<Block> blocks;

    private ClientNetworks(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses CIDR blocks ({@code 10.0.0.0/8}, {@code ::1/128}) or single addresses. Only literal
     * addresses: no name is ever looked up.
     *
     * @throws IllegalArgumentException naming the first entry that is not a valid block
     */
    static ClientNetworks parse(List<String> cidrs) {
        return new ClientNetworks(cidrs.stream().map(ClientNetworks::block).toList());
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return blocks.stream().anyMatch(b -> b.contains(bytes));
    }

    private static Block block(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        if (addressText.isEmpty() || !addressText.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("todoke.smtp.allowed-networks: not an IP network: " + cidr);
        }
        byte[] network;
        try {
            network = InetAddress.getByName(addressText).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("todoke.smtp.allowed-networks: not an IP network: " + cidr, e);
        }
        int bits = network.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("todoke.smtp.allowed-networks: bad prefix length: " + cidr, e);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("todoke.smtp.allowed-networks: bad prefix length: " + cidr);
            }
        }
        return new Block(network, prefix);
    }

    private record Block(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
