import CEL
import XCTest

/// Kubernetes' format library: `format.NAME().validate(text)` is `optional.none()` for a valid
/// text and otherwise Kubernetes' messages. Expected values are Kubernetes' (apimachinery's
/// validation, kube-openapi's strfmt, Go's `url.ParseRequestURI`).
extension CELEvaluationTests {
    /// The messages `format.NAME().validate(t)` gives, nil for `optional.none()`.
    private func formatErrors(_ format: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String]? {
        let result = eval("format.\(format)().validate(t)", ["t": .string(text)], file: file, line: line)
        guard case .optional(let value) = result else {
            XCTFail("format.\(format)().validate(\(text.debugDescription)) gave \(result), not an optional", file: file, line: line)
            return nil
        }
        guard case .list(let messages)? = value else { return nil }
        return messages.elements.map { $0.stringValue ?? "(not a string)" }
    }

    private static let dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    private static let dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    private static let labelKeyNameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

    func testEveryFormatAcceptsAValidText() {
        let valid = [
            ("dns1123Label", "my-label-name"), ("dns1123Subdomain", "apiextensions.k8s.io"), ("dns1035Label", "my-label-name"),
            ("qualifiedName", "apiextensions.k8s.io/v1beta1"), ("dns1123LabelPrefix", "my-label-prefix-"),
            ("dns1123SubdomainPrefix", "mysubdomain.prefix.-"), ("dns1035LabelPrefix", "my-label-prefix-"), ("labelValue", "my-cool-label-Value"),
            ("labelValue", ""), ("uri", "http://example.com"), ("uri", "/absolute/path?q"), ("uuid", "123e4567-e89b-12d3-a456-426614174000"),
            ("uuid", "123E4567E89B12D3A456426614174000"), ("byte", "aGVsbG8="), ("byte", "AB=="), ("date", "2021-01-01"), ("date", "2000-02-29"),
            ("datetime", "2021-01-01T00:00:00Z"), ("datetime", "2021-01-01t23:59:59.123+05:30"),
        ]
        XCTAssertEqual(valid.map(\.0).count, valid.count)
        XCTAssertEqual(Set(valid.map(\.0)), Set(CELNamedFormat.names), "a valid text for every format")
        for (format, text) in valid {
            XCTAssertNil(formatErrors(format, text), "\(format): \(text)")
        }
    }

    func testNameFormatsGiveApimachinerysMessages() {
        XCTAssertEqual(formatErrors("dns1123Label", "contains a space"), [Self.dns1123LabelMessage])
        XCTAssertEqual(formatErrors("dns1123Label", "a.b"), ["must not contain dots"])
        XCTAssertEqual(formatErrors("dns1123Label", String(repeating: "a", count: 64)), ["must be no more than 63 characters"])
        XCTAssertEqual(formatErrors("dns1123Label", ""), [Self.dns1123LabelMessage])
        XCTAssertEqual(formatErrors("dns1123Subdomain", "contains a space"), [Self.dns1123SubdomainMessage])
        // A subdomain's labels have no length limit of their own, only the whole its 253 bytes.
        XCTAssertNil(formatErrors("dns1123Subdomain", String(repeating: "a", count: 64) + ".com"))
        XCTAssertEqual(formatErrors("dns1123Subdomain", String(repeating: "a.", count: 127)), ["must be no more than 253 characters", Self.dns1123SubdomainMessage])
        XCTAssertEqual(formatErrors("dns1035Label", "1abc"), [
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ])
        XCTAssertEqual(formatErrors("qualifiedName", "contains a space"), [Self.labelKeyNameMessage])
        XCTAssertEqual(formatErrors("qualifiedName", "example.com/"), ["name part must be non-empty", Self.labelKeyNameMessage])
        XCTAssertEqual(formatErrors("qualifiedName", "/name"), ["prefix part must be non-empty"])
        XCTAssertEqual(formatErrors("qualifiedName", "Example.com/name"), ["prefix part " + Self.dns1123SubdomainMessage])
        XCTAssertEqual(formatErrors("qualifiedName", "x/" + String(repeating: "n", count: 64)), ["name part must be no more than 63 bytes"])
        XCTAssertEqual(formatErrors("qualifiedName", "a/b/c"), [
            "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ])
        XCTAssertEqual(formatErrors("labelValue", "-a"), [
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ])
        XCTAssertEqual(formatErrors("labelValue", String(repeating: "v", count: 64)), ["must be no more than 63 bytes"])
        // Go's `$` is the end of the text, not a line break before it.
        XCTAssertNotNil(formatErrors("dns1123Label", "abc\n"))
    }

    /// The `...Prefix` formats check a name Kubernetes will append a generated suffix to: a trailing
    /// `-` is allowed, by apimachinery's `maskTrailingDash` (the last two bytes become `a`).
    func testPrefixFormatsAllowATrailingDash() {
        XCTAssertNil(formatErrors("dns1123LabelPrefix", "a-"))
        XCTAssertNil(formatErrors("dns1035LabelPrefix", "a-"))
        XCTAssertEqual(formatErrors("dns1123LabelPrefix", "-"), [Self.dns1123LabelMessage])
        XCTAssertEqual(formatErrors("dns1123LabelPrefix", "contains a space-"), [Self.dns1123LabelMessage])
        XCTAssertEqual(formatErrors("dns1123Label", "a-"), [Self.dns1123LabelMessage])
        // `ab.-` is checked as `aba`: the masked text is what must be valid.
        XCTAssertNil(formatErrors("dns1123SubdomainPrefix", "ab.-"))
    }

    func testURIGivesGosParseErrors() {
        XCTAssertEqual(formatErrors("uri", "example.com"), ["parse \"example.com\": invalid URI for request"])
        XCTAssertEqual(formatErrors("uri", ""), ["parse \"\": empty url"])
        XCTAssertEqual(formatErrors("uri", ":x"), ["parse \":x\": missing protocol scheme"])
        XCTAssertEqual(formatErrors("uri", "http://a b/"), ["parse \"http://a b/\": invalid character \" \" in host name"])
        XCTAssertEqual(formatErrors("uri", "http://host:port/"), ["parse \"http://host:port/\": invalid port \":port\" after host"])
        XCTAssertEqual(formatErrors("uri", "/a%zzb"), ["parse \"/a%zzb\": invalid URL escape \"%zz\""])
        XCTAssertEqual(formatErrors("uri", "/a%2"), ["parse \"/a%2\": invalid URL escape \"%2\""])
        XCTAssertEqual(formatErrors("uri", "http://[::1/"), ["parse \"http://[::1/\": missing ']' in host"])
        XCTAssertEqual(formatErrors("uri", "http://u\\ser@host/"), ["parse \"http://u\\\\ser@host/\": net/url: invalid userinfo"])
        XCTAssertEqual(formatErrors("uri", "http://a\tb/"), ["parse \"http://a\\tb/\": net/url: invalid control character in URL"])
        XCTAssertEqual(formatErrors("uri", "http://h%41st/"), ["parse \"http://h%41st/\": invalid URL escape \"%41\""])
        // The two messages that are airlock's own (current Go's wording is not known to it).
        XCTAssertEqual(formatErrors("uri", "http://[1.2.3.4]/"), ["parse \"http://[1.2.3.4]/\": invalid IP-literal \"[1.2.3.4]\" in host"])
        XCTAssertEqual(formatErrors("uri", "http://a[::1]/"), ["parse \"http://a[::1]/\": unexpected '[' in host"])
    }

    func testOpenAPIFormatsReadAsKubeOpenAPIReadsThem() {
        XCTAssertEqual(formatErrors("uuid", "123e4567-e89b-12d3-a456-42661417400"), ["does not match the UUID format"])
        XCTAssertNil(formatErrors("uuid", "123e4567e89b-12d3a456-426614174000"), "each dash is optional")
        XCTAssertEqual(formatErrors("uuid", "123e4567-e89b-12d3-a456-4266141740000"), ["does not match the UUID format"])
        XCTAssertEqual(formatErrors("uuid", "g23e4567-e89b-12d3-a456-426614174000"), ["does not match the UUID format"])
        for text in ["aGVsbG8", "", "A===", "====", "aGVs bG8=", "aGVsbG8-"] {
            XCTAssertEqual(formatErrors("byte", text), ["invalid base64"], text)
        }
        for text in ["2020-01-32", "2021-02-29", "1900-02-29", "2021-1-01", "2021-13-01", "2021-00-10", "2021-01-01 ", "202a-01-01"] {
            XCTAssertEqual(formatErrors("date", text), ["invalid date"], text)
        }
        for text in ["2020-01-32T00:00:00Z", "2021-01-01T24:00:00Z", "2021-01-01T00:60:00Z", "2021-01-01T00:00:00", "2021-01-01 00:00:00Z",
                     "2021-01-01T00:00:00.Z", "2021-01-01T00:00:00+0530", "x"] {
            XCTAssertEqual(formatErrors("datetime", text), ["invalid datetime"], text)
        }
        // As kube-openapi reads it: the fraction's separator is any character, and what follows a
        // second `t` is ignored.
        XCTAssertNil(formatErrors("datetime", "2021-01-01T00:00:00,5Z"))
        XCTAssertNil(formatErrors("datetime", "2021-01-01T00:00:00ZTanything"))
    }

    func testNamedFormats() {
        XCTAssertEqual(eval("format.named('unknown').hasValue()").boolValue, false)
        for name in CELNamedFormat.names {
            XCTAssertEqual(eval("format.named('\(name)').value() == format.\(name)()").boolValue, true, name)
        }
        XCTAssertEqual(eval("format.uuid() == format.byte()").boolValue, false)
        XCTAssertEqual(eval("format.named('dns1123Label').value().validate('Bad').value().size()").intValue, 1)
        XCTAssertNotNil(eval("format.uuid().validate(1)").errorMessage)
        XCTAssertEqual(eval("format.labelValue().validate(v).orValue([]).join('; ')", ["v": .string("-x")]).stringValue?.hasPrefix("a valid label"), true)
    }
}
