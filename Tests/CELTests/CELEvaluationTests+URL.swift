import CEL
import XCTest

/// The Kubernetes URL library: `isURL()` and `url()` accept what Go's `url.ParseRequestURI` accepts
/// (current Go), and the accessors return what Go's `url.Parse` reads. Expected values are Go's.
extension CELEvaluationTests {
    /// `url(t).getHost()` and friends, for a text bound as `t` (no CEL escaping to get wrong).
    private func urlPart(_ accessor: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        eval("url(t).\(accessor)()", ["t": .string(text)], file: file, line: line).stringValue
    }

    private func isURL(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Bool? {
        eval("isURL(t)", ["t": .string(text)], file: file, line: line).boolValue
    }

    func testURLs() {
        XCTAssertEqual(CELFormatterHelper.render(eval("url('https://example.com:8080/a%20b?x=1&x=2&y').getQuery()")),
                       "{\"x\": [\"1\", \"2\"], \"y\": [\"\"]}")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('https://[::1]:80/p').getHostname()")), "\"::1\"")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('https://example.com:8080/').getHost()")), "\"example.com:8080\"")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('https://example.com:8080/').getPort()")), "\"8080\"")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('HTTPS://example.com').getScheme()")), "\"https\"")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('https://example.com/path with spaces/').getEscapedPath()")),
                       "\"/path%20with%20spaces/\"")
        XCTAssertEqual(eval("isURL('/absolute/path') && !isURL('relative/path') && !isURL('example.com')").boolValue, true)
        XCTAssertEqual(CELFormatterHelper.render(eval("url('https://x.svc:pw@api.example.com/').getHostname()")), "\"api.example.com\"")
    }

    /// Go's `url.ParseRequestURI` refuses a host with a byte that must be escaped there, so a
    /// fragment or a space cannot pass for part of the host name.
    func testURLHostsWithBytesThatMustBeEscapedAreNotURLs() {
        for text in ["https://api.example.com#.svc", "http://bad host/", "http://a%2Fb/", "http://a\\b/", "http://a|b/", "http://a{b}/"] {
            XCTAssertEqual(isURL(text), false, text)
        }
        for text in ["http://[fe80::1%25eth0]:80/", "http://a-b_c~d.example:80/", "http://münchen.example/", "http://a!$&'()*+,;=b/"] {
            XCTAssertEqual(isURL(text), true, text)
        }
    }

    /// User information holds only the bytes RFC 3986 allows there (and `@`), validly escaped: a `#`
    /// or `\` in it is no URL, so it cannot hide the host a Go client connects to.
    func testURLUserInformationIsCheckedAsGoChecksIt() {
        XCTAssertEqual(isURL("http://api.openai.com#@inference.team.svc/v1"), false)
        XCTAssertEqual(eval("url('http://api.openai.com#@inference.team.svc/v1')").errorMessage,
                       "URL parse error during conversion from string: http://api.openai.com#@inference.team.svc/v1")
        for text in ["http://api.openai.com\\@inference.team.svc/v1", "http://api.openai.com /@inference.team.svc/v1",
                     "http://a b@host/", "http://user:p%zzw@host/", "http://ü@host/", "http://a\"b@host/", "x://api.openai.com:443#@inference.team.svc"] {
            XCTAssertEqual(isURL(text), false, text)
        }
        // Bytes a user name may hold: Go connects to the host after the last `@`.
        XCTAssertEqual(urlPart("getHostname", "http://api.openai.com%2F@inference.team.svc/"), "inference.team.svc")
        XCTAssertEqual(urlPart("getHostname", "http://api.openai.com;@inference.team.svc/"), "inference.team.svc")
        XCTAssertEqual(urlPart("getHost", "http://user:p@ss@host:8080/"), "host:8080")
    }

    /// Brackets may only enclose a whole IPv6 host name (current Go): not a name, not IPv4, not part
    /// of a host.
    func testURLBracketsHoldOnlyIPv6Addresses() {
        for text in ["http://[evil.com]/", "http://[1.2.3.4]/", "http://evil.com[::1]/", "http://a[b/", "http://[]/", "http://[::1/x",
                     "http://[::1]x/", "http://[::1]:8a/", "http://[::1]]/", "http://[fe80::1%25en%2F]/", "http://[fe80::1%25]/"] {
            XCTAssertEqual(isURL(text), false, text)
        }
        XCTAssertEqual(urlPart("getHost", "http://[fe80::1%25en0]:8080/"), "[fe80::1%en0]:8080")
        XCTAssertEqual(urlPart("getHostname", "http://[fe80::1%25en0]:8080/"), "fe80::1%en0")
        XCTAssertEqual(urlPart("getPort", "http://[fe80::1%25en0]:8080/"), "8080")
        XCTAssertEqual(urlPart("getHost", "http://[fe80::1%25en0]/"), "[fe80::1%en0]")
        XCTAssertEqual(urlPart("getHost", "http://[fe80::1%25%65n%300]/"), "[fe80::1%en00]")
        XCTAssertEqual(urlPart("getHost", "http://[::ffff:1.2.3.4]/"), "[::ffff:1.2.3.4]")
        XCTAssertEqual(urlPart("getHost", "http://[::1]:/"), "[::1]:")
        XCTAssertEqual(urlPart("getHostname", "http://[::1]:/"), "::1")
    }

    /// A host may escape only non-ASCII bytes and `%`; the unescaped host is what the accessors
    /// return. One whose bytes are not UTF-8 is refused rather than misread.
    func testURLHostsAreUnescaped() {
        XCTAssertEqual(urlPart("getHost", "http://caf%C3%A9.com/"), "café.com")
        XCTAssertEqual(urlPart("getHost", "http://a%25b/"), "a%b")
        for text in ["http://a%41b/", "http://a%zzb/", "http://a%2/", "http://%FF/", "//%FF/x", "http://x%/",
                     "http://a{b/", "http://a|b.com/", "http://a`b/", "x://a^b/"] {
            XCTAssertEqual(isURL(text), false, text)
        }
        // Unescaped, a host may hold non-ASCII bytes and the characters Go leaves to the host parser.
        XCTAssertEqual(urlPart("getHost", "http://café.com/"), "café.com")
        XCTAssertEqual(urlPart("getHost", "x://a!$&'()*+,;=~_-.b/"), "a!$&'()*+,;=~_-.b")
    }

    /// For http and https the port follows the first colon, so a second colon makes no URL (current
    /// Go); other schemes keep the last colon.
    func testURLPortsFollowTheColonGoReads() {
        for text in ["http://a:b:80/", "https://::1/", "http://host:abc/", "http://host:80:/", "HTTP://a:1:2/"] {
            XCTAssertEqual(isURL(text), false, text)
        }
        XCTAssertEqual(urlPart("getHost", "x://a:b:80/"), "a:b:80")
        XCTAssertEqual(urlPart("getHostname", "x://a:b:80/"), "a:b")
        XCTAssertEqual(urlPart("getPort", "x://a:b:80/"), "80")
        XCTAssertEqual(urlPart("getHost", "http://host:/"), "host:")
        XCTAssertEqual(urlPart("getHostname", "http://host:/"), "host")
        XCTAssertEqual(urlPart("getPort", "http://host:/"), "")
    }

    /// A fragment is neither path nor query; `isURL` reads it as Go's `ParseRequestURI` does (as part
    /// of the path or query), so a bad escape there is no URL, and one only `url.Parse` refuses makes
    /// `url()` an error.
    func testURLFragmentsAreNotPartOfThePathOrQuery() {
        XCTAssertEqual(urlPart("getEscapedPath", "https://example.com/a#frag"), "/a")
        XCTAssertEqual(urlPart("getEscapedPath", "https://example.com/a#b#c"), "/a")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('https://ex.com/p?a=1#x').getQuery()")), "{\"a\": [\"1\"]}")
        XCTAssertEqual(urlPart("getHost", "http://x:80/a?b#c"), "x:80")
        XCTAssertEqual(isURL("http://x/ab#%zz"), false)
        XCTAssertEqual(isURL("http://x/?#%zz"), true)
        XCTAssertEqual(eval("url('http://x/?#%zz')").errorMessage, "URL parse error during conversion from string: http://x/?#%zz")
    }

    /// `//host/path` without a scheme is an absolute path to `url.ParseRequestURI` but has a host to
    /// `url.Parse`, which the accessors report as Kubernetes does.
    func testURLWithoutSchemeStartingWithTwoSlashesHasAHost() {
        XCTAssertEqual(urlPart("getHost", "//evil.com/x"), "evil.com")
        XCTAssertEqual(urlPart("getEscapedPath", "//evil.com/x"), "/x")
        XCTAssertEqual(urlPart("getScheme", "//evil.com/x"), "")
        XCTAssertEqual(urlPart("getHost", "///x"), "")
        XCTAssertEqual(urlPart("getEscapedPath", "///x"), "///x")
        XCTAssertEqual(isURL("//a b/x"), true)
        XCTAssertEqual(eval("url('//a b/x')").errorMessage, "URL parse error during conversion from string: //a b/x")
    }

    /// `url.ParseQuery`: a pair holding `;` or a bad escape is dropped, `+` is a space.
    func testURLQueriesAreReadAsGoReadsThem() {
        XCTAssertEqual(CELFormatterHelper.render(eval("url('http://x/?a=1;b=2').getQuery()")), "{}")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('http://x/?a=1;b=2&c=3').getQuery()")), "{\"c\": [\"3\"]}")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('http://x/?a=%zz&b=1').getQuery()")), "{\"b\": [\"1\"]}")
        XCTAssertEqual(CELFormatterHelper.render(eval("url('http://x/?a=1&a=2&b=&c&=d&e=f+g%20h').getQuery()")),
                       "{\"a\": [\"1\", \"2\"], \"b\": [\"\"], \"c\": [\"\"], \"\": [\"d\"], \"e\": [\"f g h\"]}")
    }

    /// `URL.EscapedPath`: the path as written when it is validly encoded, otherwise escaped again.
    func testURLEscapedPaths() {
        let expected = [("http://x/a b!", "/a%20b%21"), ("http://x/a!b", "/a!b"), ("http://x/a%41\"", "/aA%22"), ("http://x/é", "/%C3%A9"),
                        ("http://x/a%2fb", "/a%2fb"), ("http://x/a[1]", "/a[1]"), ("http://x/%2A", "/%2A"), ("http://x", ""), ("*", "*")]
        for (text, path) in expected {
            XCTAssertEqual(urlPart("getEscapedPath", text), path, text)
        }
    }

    /// A scheme followed by anything but `/` is an opaque URL to Go: a URL without host or path.
    func testOpaqueURLs() {
        for text in ["mailto:a@b.com", "example.com:8080", "http:%zz", "*"] {
            XCTAssertEqual(isURL(text), true, text)
            XCTAssertEqual(urlPart("getHost", text), "", text)
        }
        XCTAssertEqual(urlPart("getScheme", "example.com:8080"), "example.com")
        for text in ["", ":foo", "1http://x/", "relative/path", "../up"] {
            XCTAssertEqual(isURL(text), false, text)
        }
    }
}
