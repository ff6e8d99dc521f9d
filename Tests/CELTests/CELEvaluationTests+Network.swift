import CEL
import XCTest

/// The Kubernetes network library: `ip()`, `cidr()` and their checks read text as Go's
/// `netip.ParseAddr` and `netip.ParsePrefix` (current Go) do; Kubernetes then refuses zones and
/// IPv4-mapped IPv6 addresses.
extension CELEvaluationTests {
    func testNetwork() {
        XCTAssertEqual(eval("cidr('10.0.0.0/8').containsIP(ip('10.1.2.3'))").boolValue, true)
        XCTAssertEqual(eval("cidr('10.0.0.0/8').containsIP('11.0.0.1')").boolValue, false)
        XCTAssertEqual(eval("cidr('fd00::/8').containsIP(ip('fd12::1'))").boolValue, true)
        XCTAssertEqual(eval("cidr('10.0.0.0/8').containsCIDR('10.2.0.0/16')").boolValue, true)
        XCTAssertEqual(eval("ip('10.0.0.1').family() == 4 && ip('::1').isLoopback()").boolValue, true)
        XCTAssertEqual(eval("isCIDR('10.0.0.0/33') || isIP('1.2.3')").boolValue, false)
        XCTAssertEqual(eval("isIP('255.255.255.255') && isIP('0.0.0.0') && ip('10.20.30.40') == ip('10.20.30.40')").boolValue, true)
        for text in ["256.0.0.1", "01.2.3.4", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4 ", "１.2.3.4", "1.2.3.0x4", "svc.team.svc.cluster.local"] {
            XCTAssertEqual(eval("isIP(t)", ["t": .string(text)]).boolValue, false, text)
        }
    }

    /// An IPv4-mapped IPv6 address is refused however it is written; it is never read as the IPv4
    /// address it maps (`::ffff:7f00:1` used to be 127.0.0.1).
    func testIPv4MappedAddressesAreRefusedInEverySpelling() {
        for text in ["::ffff:7f00:1", "::ffff:127.0.0.1", "::FFFF:127.0.0.1", "0:0:0:0:0:ffff:7f00:1", "0::ffff:a00:1", "::ffff:0:0"] {
            XCTAssertEqual(eval("isIP(t)", ["t": .string(text)]).boolValue, false, text)
            XCTAssertEqual(eval("ip(t)", ["t": .string(text)]).errorMessage, "IPv4-mapped IPv6 address '\(text)' is not allowed", text)
        }
        XCTAssertEqual(eval("cidr('::ffff:1.2.3.0/120')").errorMessage, "IPv4-mapped IPv6 address '::ffff:1.2.3.0/120' is not allowed")
        XCTAssertEqual(eval("isCIDR('::ffff:0:0/96')").boolValue, false)
        XCTAssertEqual(eval("cidr('0.0.0.0/0').containsIP('::ffff:1.2.3.4')").errorMessage,
                       "IPv4-mapped IPv6 address '::ffff:1.2.3.4' is not allowed")
    }

    /// A dotted IPv4 tail that does not make the address IPv4-mapped is an IPv6 address, as netip
    /// reads it; it is not reported as mapped.
    func testIPv6WithADottedTailIsIPv6() {
        let expected = [("::1.2.3.4", "::102:304"), ("64:ff9b::1.2.3.4", "64:ff9b::102:304"), ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
        for (text, canonical) in expected {
            XCTAssertEqual(eval("isIP(t) && ip(t).family() == 6 && !ip.isCanonical(t)", ["t": .string(text)]).boolValue, true, text)
            XCTAssertEqual(eval("string(ip(t))", ["t": .string(text)]).stringValue, canonical, text)
        }
        XCTAssertEqual(eval("cidr('64:ff9b::/96').containsIP('64:ff9b::1.2.3.4')").boolValue, true)
        XCTAssertEqual(eval("string(cidr('::1.2.3.4/128').ip())").stringValue, "::102:304")
        for text in ["1:2:3:4:5:6:7:1.2.3.4", "::01.2.3.4", "::1.2.3", "1.2.3.4::", "::1.2.3.4:5", "1:2::3:1.2.3.4.5"] {
            XCTAssertEqual(eval("ip(t)", ["t": .string(text)]).errorMessage, "IP Address '\(text)' parse error during conversion from string", text)
        }
    }

    /// A group is one to four hex digits: no sign (Swift's `UInt16(_:radix:)` accepted one), no fifth digit.
    func testIPv6GroupsAreHexDigitsOnly() {
        for text in ["+1::1", "1::+1", "1::-0", "-1::1", "1:+2::", "00001::", "fffff::", "1:: 2", "::g"] {
            XCTAssertEqual(eval("isIP(t)", ["t": .string(text)]).boolValue, false, text)
            XCTAssertEqual(eval("ip(t)", ["t": .string(text)]).errorMessage, "IP Address '\(text)' parse error during conversion from string", text)
        }
        XCTAssertEqual(eval("cidr('::/0').containsIP('+1::1')").errorMessage, "IP Address '+1::1' parse error during conversion from string")
        XCTAssertEqual(eval("isCIDR('+1::/16')").boolValue, false)
        XCTAssertEqual(eval("string(ip('1:2:3:4:5:6:7::')) == '1:2:3:4:5:6:7:0' && string(ip('0001::FFFF')) == '1::ffff'").boolValue, true)
    }

    func testIPZonesAreRefused() {
        XCTAssertEqual(eval("ip('fe80::1%eth0')").errorMessage, "IP Address 'fe80::1%eth0' with zone value is not allowed")
        XCTAssertEqual(eval("cidr('fe80::1%eth0/64')").errorMessage, "CIDR 'fe80::1%eth0/64' with zone value is not allowed")
        for text in ["1.2.3.4%eth0", "fe80::1%", "%eth0"] {
            XCTAssertEqual(eval("ip(t)", ["t": .string(text)]).errorMessage, "IP Address '\(text)' parse error during conversion from string", text)
        }
    }

    /// A prefix length is `0` or digits starting with 1-9, as current netip reads it.
    func testCIDRPrefixLengthsHaveNoLeadingZeroOrSign() {
        for text in ["10.0.0.0/08", "10.0.0.0/00", "::/00", "10.0.0.0/+8", "10.0.0.0/-0", "10.0.0.0/ 8", "10.0.0.0/8 ", "10.0.0.0/",
                     "10.0.0.0/0008", "10.0.0.0/33", "::/129", "10.0.0.0", "10.0.0.0/8/8"] {
            XCTAssertEqual(eval("isCIDR(t)", ["t": .string(text)]).boolValue, false, text)
            XCTAssertEqual(eval("cidr(t)", ["t": .string(text)]).errorMessage,
                           "network address parse error during conversion from string: '\(text)'", text)
        }
        XCTAssertEqual(eval("cidr('10.0.0.0/0').prefixLength() == 0 && cidr('::/128').prefixLength() == 128").boolValue, true)
        XCTAssertEqual(eval("cidr('10.0.0.5/24').containsCIDR('10.0.0.0/08')").errorMessage,
                       "network address parse error during conversion from string: '10.0.0.0/08'")
    }
}
