package net.rrispeaker.policy;

import static net.rrispeaker.policy.Fixture.decide;
import static net.rrispeaker.policy.Fixture.policies;
import static net.rrispeaker.policy.Fixture.route;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code match ip address ACL} with IOS redistribution semantics. */
class AclMatchTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("standard ACL tests only the network address: /16 inside", "access-list 1 permit 10.0.0.0 0.255.255.255",
                        "10.1.0.0/16", true),
                Arguments.of("standard ACL ignores the prefix length: /24 inside", "access-list 1 permit 10.0.0.0 0.255.255.255",
                        "10.1.2.0/24", true),
                Arguments.of("standard ACL ignores the length even for a shorter route", "access-list 1 permit 10.0.0.0 0.255.255.255",
                        "10.0.0.0/7", true),
                Arguments.of("standard ACL outside", "access-list 1 permit 10.0.0.0 0.255.255.255", "11.0.0.0/8", false),
                Arguments.of("host: exact network address, any length", "access-list 1 permit host 10.1.0.0", "10.1.0.0/16", true),
                Arguments.of("address without wildcard means host", "access-list 1 permit 10.1.0.0", "10.1.1.0/24", false),
                Arguments.of("any", "access-list 1 permit any", "192.168.7.0/24", true),
                Arguments.of("first entry decides (deny before permit)", "access-list 1 deny 10.1.0.0 0.0.255.255\naccess-list 1 permit any",
                        "10.1.5.0/24", false),
                Arguments.of("implicit deny at the end of the ACL", "access-list 1 permit 10.0.0.0 0.255.255.255", "172.16.0.0/12", false),
                Arguments.of("non-contiguous wildcard: third octet even", "access-list 1 permit 10.0.0.0 0.255.254.255", "10.9.4.0/24", true),
                Arguments.of("non-contiguous wildcard: third octet odd", "access-list 1 permit 10.0.0.0 0.255.254.255", "10.9.5.0/24", false),
                Arguments.of("extended: source = address, destination = mask (/24s in 10/8)",
                        "access-list 101 permit ip 10.0.0.0 0.255.255.255 255.255.255.0 0.0.0.0", "10.1.2.0/24", true),
                Arguments.of("extended: a /16 in 10/8 has the wrong mask",
                        "access-list 101 permit ip 10.0.0.0 0.255.255.255 255.255.255.0 0.0.0.0", "10.1.0.0/16", false),
                Arguments.of("extended: mask range via destination wildcard (/16../23)",
                        "access-list 101 permit ip 10.0.0.0 0.255.255.255 255.255.0.0 0.0.254.0", "10.1.0.0/17", true),
                Arguments.of("extended: any any", "access-list 101 permit ip any any", "192.168.0.0/16", true),
                Arguments.of("named standard list", "ip access-list standard NETS\n permit 10.0.0.0 0.255.255.255", "10.3.0.0/16", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matches(String name, String acl, String prefix, boolean permitted) {
        String list = acl.startsWith("ip access-list") ? "NETS" : acl.split("\\s+")[1];
        PolicySet p = policies(acl + "\nroute-map RRI permit 10\n match ip address " + list);
        assertEquals(permitted, decide(p, route(prefix).build()).permitted());
    }

    static Stream<Arguments> v6Rows() {
        return Stream.of(
                Arguments.of("2001:db8::/32", "2001:db8:1::/48", true),
                Arguments.of("2001:db8::/32", "2001:db9::/48", false),
                Arguments.of("2001:db8::/32", "2001::/16", false),
                Arguments.of("any", "2001:db9::/48", true));
    }

    @ParameterizedTest(name = "ipv6 access-list permit ipv6 {0} any vs {1}")
    @MethodSource("v6Rows")
    void ipv6AccessList(String source, String prefix, boolean permitted) {
        PolicySet p = policies("ipv6 access-list V6\n permit ipv6 " + source + " any\nroute-map RRI permit 10\n match ipv6 address V6");
        assertEquals(permitted, decide(p, route(prefix).build()).permitted());
    }

    @ParameterizedTest(name = "an IPv4 ACL is NOOP for IPv6 route {0}")
    @MethodSource("v6Prefixes")
    void ipv4AclDoesNotApplyToIpv6(String prefix) {
        PolicySet p = policies("access-list 1 permit any\nroute-map RRI permit 10\n match ip address 1");
        assertEquals(PolicyDecision.Reason.IMPLICIT_DENY, decide(p, route(prefix).build()).reason());
    }

    static Stream<String> v6Prefixes() {
        return Stream.of("2001:db8::/32", "::/0");
    }
}
