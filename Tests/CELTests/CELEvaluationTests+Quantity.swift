import CEL
import XCTest

/// The Kubernetes quantity library. Expected values are those of Kubernetes' `resource.ParseQuantity`
/// (apimachinery), run on the same texts.
extension CELEvaluationTests {
    /// The exact value `quantity(text)` holds, or why there is none.
    private func exactValue(_ text: String) -> String {
        switch CELQuantity.parse(text) {
        case .success(let quantity): quantity.decimalValue
        case .failure(let failure): "\(failure)"
        }
    }

    func testQuantities() {
        XCTAssertEqual(eval("quantity('100m').isLessThan(quantity('1'))").boolValue, true)
        XCTAssertEqual(eval("quantity('1Gi').isGreaterThan(quantity('1G'))").boolValue, true)
        XCTAssertEqual(eval("quantity('1k') == quantity('1000')").boolValue, true)
        XCTAssertEqual(eval("quantity('2e3').compareTo(quantity('2k'))").intValue, 0)
        XCTAssertEqual(eval("quantity('1.5Gi').asInteger()").intValue, 1_610_612_736)
        XCTAssertEqual(eval("quantity('1.5').isInteger()").boolValue, false)
        XCTAssertEqual(eval("quantity('500m').add(quantity('1500m')).asInteger()").intValue, 2)
        XCTAssertEqual(eval("quantity('1').sub(2).sign()").intValue, -1)
        XCTAssertEqual(eval("quantity('50Mi').asApproximateFloat() == 52428800.0").boolValue, true)
        XCTAssertEqual(eval("isQuantity('1Gi') && !isQuantity('1GB') && !isQuantity('abc')").boolValue, true)
        XCTAssertEqual(eval("quantity('1.5m').asInteger()").errorMessage, "cannot convert value to integer")
        XCTAssertEqual(
            eval("quantity('x')").errorMessage,
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': 'x'")
    }

    /// Every suffix Kubernetes names, by its value, and texts next to them that name none.
    /// A quantity a manifest writes as a YAML number (`cpu: 2`, `cpu: 0.5`) is the quantity of its
    /// text, as the API server decodes it before a policy sees it (as a string).
    func testQuantitiesWrittenAsNumbers() {
        XCTAssertEqual(eval("quantity(2) == quantity('2') && quantity(0.5) == quantity('500m') && quantity(3u) == quantity('3')").boolValue, true)
        XCTAssertEqual(eval("quantity(-1.5e3).compareTo(quantity('-1500'))").intValue, 0)
        XCTAssertEqual(eval("quantity(1e300).isGreaterThan(quantity('1E'))").boolValue, true)
        XCTAssertEqual(eval("isQuantity(2) && isQuantity(0.25) && !isQuantity(double('NaN')) && !isQuantity(double('-Infinity'))").boolValue, true)
        XCTAssertEqual(eval("quantity(double('Infinity'))").errorMessage, "no such overload: quantity(double)")
        XCTAssertEqual(eval("isQuantity(true)").errorMessage, "no such overload: isQuantity(bool)")
    }

    func testQuantitySuffixes() {
        let expected = [
            ("3n", "0.000000003"), ("3u", "0.000003"), ("3m", "0.003"), ("3", "3"), ("3k", "3000"), ("3M", "3000000"),
            ("3G", "3000000000"), ("3T", "3000000000000"), ("3P", "3000000000000000"), ("3E", "3000000000000000000"),
            ("3Ki", "3072"), ("3Mi", "3145728"), ("3Gi", "3221225472"), ("3Ti", "3298534883328"),
            ("3Pi", "3377699720527872"), ("3Ei", "3458764513820540928"), ("3E2", "300"), ("12.3456789e3", "12345.6789"),
        ]
        for (text, value) in expected {
            XCTAssertEqual(exactValue(text), value, text)
            XCTAssertTrue(CELQuantity.isValid(text), text)
        }
        for text in ["3K", "3ki", "3mi", "3i", "3Kib", "3Gb", "3e", "3Ki ", "3 m", "3mm", "1.2.3", "1Ki5", ""] {
            XCTAssertEqual(exactValue(text), "malformed", text)
            XCTAssertFalse(CELQuantity.isValid(text), text)
        }
    }

    /// Kubernetes rounds every quantity up, away from zero, to a whole number of nanos: a tiny
    /// positive quantity is 1n, never zero or negative (Foundation's Decimal made `1e-100` negative).
    func testQuantitiesRoundUpToANano() {
        XCTAssertEqual(exactValue("0.1n"), "0.000000001")
        XCTAssertEqual(exactValue("-0.1n"), "-0.000000001")
        XCTAssertEqual(exactValue("1e-100"), "0.000000001")
        XCTAssertEqual(exactValue("-1e-100"), "-0.000000001")
        XCTAssertEqual(exactValue("-.5e-9"), "-0.000000001")
        XCTAssertEqual(exactValue("1.0000000001"), "1.000000001")
        XCTAssertEqual(exactValue("0.0000000001Ki"), "0.000000103")
        XCTAssertEqual(exactValue("0." + String(repeating: "0", count: 5_000) + "1"), "0.000000001")
        XCTAssertEqual(eval("quantity('0.1n') == quantity('1n')").boolValue, true)
        XCTAssertEqual(eval("quantity('1e-100').sign()").intValue, 1)
        XCTAssertEqual(eval("quantity('1e-100') == quantity('1n')").boolValue, true)
        XCTAssertEqual(eval("quantity('1e-100').isGreaterThan(quantity('0'))").boolValue, true)
        XCTAssertEqual(eval("quantity('-1e-100').sign()").intValue, -1)
        XCTAssertEqual(eval("quantity('0e-100').sign()").intValue, 0)
    }

    /// Kubernetes caps a quantity with a binary suffix at 2⁶³-1 (after rounding); a decimal one is
    /// not capped.
    func testBinaryQuantitiesAreCappedAsInKubernetes() {
        XCTAssertEqual(exactValue("7Ei"), "8070450532247928832")
        XCTAssertEqual(exactValue("8Ei"), "9223372036854775807")
        XCTAssertEqual(exactValue("10Ei"), "9223372036854775807")
        XCTAssertEqual(exactValue("-10Ei"), "-9223372036854775807")
        XCTAssertEqual(exactValue(String(repeating: "9", count: 3_000) + "Ki"), "9223372036854775807")
        XCTAssertEqual(exactValue("10E"), "10000000000000000000")
        XCTAssertEqual(exactValue("1.5Gi"), "1610612736")
        XCTAssertEqual(exactValue("0.5Ki"), "512")
        XCTAssertEqual(eval("quantity('10Ei') == quantity('8Ei')").boolValue, true)
        XCTAssertEqual(eval("quantity('10Ei').asInteger()").intValue, Int64.max)
        XCTAssertEqual(eval("quantity('10E').isGreaterThan(quantity('10Ei'))").boolValue, true)
    }

    /// Magnitudes Foundation's Decimal could not hold (it became NaN, and NaN compared below 64Gi) are
    /// exact up to 10¹⁰⁰⁰; beyond, quantity() is an error rather than a wrong comparison.
    func testLargeQuantitiesAreExactOrAnError() {
        XCTAssertEqual(exactValue("10000000000000000000000000000e100"), "1" + String(repeating: "0", count: 128))
        XCTAssertEqual(eval("quantity('10000000000000000000000000000e100').isLessThan(quantity('64Gi'))").boolValue, false)
        XCTAssertEqual(eval("quantity('10000000000000000000000000000e100').compareTo(quantity('64Gi'))").intValue, 1)
        XCTAssertEqual(eval("quantity('-1e128').isLessThan(quantity('-64Gi'))").boolValue, true)
        let long = String(repeating: "9", count: 400)
        XCTAssertEqual(exactValue(long), long)
        XCTAssertEqual(exactValue("123456789012345678901234567890123456789.000000001"), "123456789012345678901234567890123456789.000000001")
        XCTAssertEqual(eval("quantity('1e999').sign()").intValue, 1)
        XCTAssertEqual(eval("math.isInf(quantity('1e999').asApproximateFloat())").boolValue, true)
        XCTAssertEqual(eval("quantity('1e999').asInteger()").errorMessage, "cannot convert value to integer")
        XCTAssertEqual(exactValue("1e1000"), "outOfRange")
        XCTAssertEqual(exactValue(long + "e601"), "outOfRange")
        XCTAssertEqual(exactValue("1e2147483647"), "outOfRange")
        XCTAssertTrue(CELQuantity.isValid("1e1000"))
        XCTAssertEqual(
            eval("quantity('1e1000')").errorMessage,
            "quantity '1e1000' is outside the supported range of quantities (below 10^1000 in magnitude)")
        XCTAssertEqual(
            eval("quantity('9e999').add(quantity('1e999'))").errorMessage,
            "the sum of 9e999 and 1e999 is outside the supported range of quantities (below 10^1000 in magnitude)")
        XCTAssertEqual(eval("quantity('9e999').sub(quantity('-1e999'))").errorMessage?.hasPrefix("the difference of"), true)
        XCTAssertEqual(eval("quantity('9e999').add(quantity('-1e999')).compareTo(quantity('8e999'))").intValue, 0)
    }

    /// Kubernetes reads an exponent as a 64-bit number and keeps its low 32 bits; one it cannot read
    /// at all is no quantity. A scale past 32 bits, which Kubernetes wraps around, is out of range.
    func testQuantityExponentsAreReadAsKubernetesReadsThem() {
        XCTAssertEqual(exactValue("1e4294967296"), "1")
        XCTAssertEqual(exactValue("2e-9223372036854775808"), "2")
        XCTAssertEqual(exactValue("2E9223372036854775807"), "0.2")
        XCTAssertEqual(exactValue("1e9223372036854775808"), "malformed")
        XCTAssertEqual(exactValue("1e+3"), "1000")
        XCTAssertEqual(exactValue("1e-2147483648"), "outOfRange")
        XCTAssertEqual(exactValue("1.5e-2147483647"), "outOfRange")
        XCTAssertEqual(exactValue("1e-2147483647"), "0.000000001")
        XCTAssertEqual(eval("isQuantity('2e-9223372036854775808') && quantity('1e4294967296') == quantity('1')").boolValue, true)
    }

    /// A number without digits is zero in Kubernetes (`+`, `.`, `Ki`), except before an exponent
    /// below -9 or a multiple from `Pi` on, where Kubernetes reads it as a decimal and finds none.
    func testQuantitiesWithoutDigitsAreZero() {
        for text in ["-", "+", ".", "+.", "-.", "Ki", "Ti", "-m", "e5", "E", "e-9", "5.G", "0e-10", "0Ei"] {
            XCTAssertTrue(CELQuantity.isValid(text), text)
            XCTAssertEqual(exactValue(text), text == "5.G" ? "5000000000" : "0", text)
        }
        for text in ["", "i", "e-10", ".e-10", "-e-11", "-i", "Pi", "-.Ei"] {
            XCTAssertFalse(CELQuantity.isValid(text), text)
        }
        XCTAssertEqual(eval("isQuantity('-') && quantity('-') == quantity('0') && quantity('+.').sign() == 0").boolValue, true)
    }

    /// Arithmetic and conversions on exact values: no NaN in, none out.
    func testQuantityArithmeticIsExact() {
        XCTAssertEqual(eval("quantity('0.5').add(-1) == quantity('-500m')").boolValue, true)
        XCTAssertEqual(eval("quantity('1n').sub(quantity('1n')).sign()").intValue, 0)
        XCTAssertEqual(eval("string(quantity('1e30').add(quantity('1n')))").stringValue, "1000000000000000000000000000000.000000001")
        XCTAssertEqual(eval("string(quantity('-1').add(quantity('250m')))").stringValue, "-0.75")
        XCTAssertEqual(eval("quantity('-9223372036854775808').asInteger()").intValue, Int64.min)
        XCTAssertEqual(eval("quantity('-9223372036854775809').asInteger()").errorMessage, "cannot convert value to integer")
        XCTAssertEqual(eval("quantity('1').add(-9223372036854775808).asInteger()").intValue, Int64.min + 1)
        // isInteger() is true exactly when asInteger() succeeds, as in Kubernetes.
        XCTAssertEqual(eval("!quantity('1e30').isInteger() && !quantity('1n').isInteger() && quantity('1e18').isInteger()").boolValue, true)
        XCTAssertEqual(eval("[quantity('9223372036854775807'), quantity('9223372036854775808'), quantity('-9223372036854775808'), quantity('-9223372036854775809'), quantity('1e19')].map(q, q.isInteger()) == [true, false, true, false, false]").boolValue, true)
        XCTAssertEqual(eval("quantity('1n').asApproximateFloat() == 1e-9").boolValue, true)
    }

    /// isQuantity() checks the syntax without arithmetic; quantity() then succeeds or finds the value
    /// out of the supported range, never malformed.
    func testIsQuantityAgreesWithParse() {
        let long = String(repeating: "9", count: 400)
        for text in ["1", "1.", ".5", "-1", "+2Ki", "1.5Gi", "500m", "1e3", "1E-3", "2e-101", "1GB", "1.2.3", ".", "", "-",
                     "1Ki5", String(repeating: "9", count: 38), long, "0." + long, long + "Mi", "1e1000", "e-10"] {
            let isMalformed: Bool
            if case .failure(.malformed) = CELQuantity.parse(text) { isMalformed = true } else { isMalformed = false }
            XCTAssertEqual(CELQuantity.isValid(text), !isMalformed, text)
        }
    }

    /// isQuantity() against a reading of Kubernetes' grammar written with Characters and `Int64(_:)`,
    /// over every text of up to four characters from an alphabet of the parts that matter.
    func testIsQuantityAgreesWithTheGrammar() {
        func reference(_ text: String) -> Bool {
            var rest = Substring(text)
            guard !rest.isEmpty else { return false }
            if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
            let integer = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(integer.count)
            var fraction = Substring("")
            if rest.first == "." {
                fraction = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                rest = rest.dropFirst(1 + fraction.count)
            }
            let named = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
            let hasDigits = !integer.isEmpty || !fraction.isEmpty
            if named.contains(String(rest)) { return hasDigits || !["Pi", "Ei"].contains(rest) }
            guard let e = rest.first, e == "e" || e == "E", let exponent = Int64(rest.dropFirst()) else { return false }
            return hasDigits || Int32(truncatingIfNeeded: exponent) >= -9
        }
        let alphabet = ["1", "0", ".", "-", "+", "e", "E", "K", "i", "m", "M", "x", " ", "é"]
        var texts = [""]
        var last = [""]
        for _ in 1...4 {
            last = last.flatMap { prefix in alphabet.map { prefix + $0 } }
            texts += last
        }
        texts += ["1e100", "1e101", "1e-100", "1e-101", "1e+7", "1e007", "1e99999999999999999999", "5Ei", "5ei", "1e\u{301}3",
                  "e-10", "e-4294967296", "-.e-11", ".e+10", "Pi", "+Ei", "0Pi"]
        for text in texts {
            XCTAssertEqual(CELQuantity.isValid(text), reference(text), text)
        }
    }
}
