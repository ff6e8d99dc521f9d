import CEL
import XCTest

/// The Kubernetes semver library. Expected values are those of Kubernetes' `semver()` and
/// `isSemver()` (blang/semver v4's `Parse`, after the library's normalisation when `normalize` is
/// true), run on the same texts.
extension CELEvaluationTests {
    func testSemver() {
        XCTAssertEqual(eval("semver('1.2.3').isLessThan(semver('1.10.0'))").boolValue, true)
        XCTAssertEqual(eval("semver('1.0.0-alpha').isLessThan(semver('1.0.0'))").boolValue, true)
        XCTAssertEqual(eval("semver('1.0.0-alpha.2').compareTo(semver('1.0.0-alpha.10'))").intValue, -1)
        XCTAssertEqual(eval("semver('1.0.0-beta').isGreaterThan(semver('1.0.0-alpha.1'))").boolValue, true)
        XCTAssertEqual(eval("semver('2.3.4+build.5').major() == 2 && semver('2.3.4').minor() == 3 && semver('2.3.4').patch() == 4").boolValue, true)
        XCTAssertEqual(eval("isSemver('1.2') || isSemver('01.2.3') || isSemver('v1.2.3')").boolValue, false)
        XCTAssertEqual(eval("semver('v1.2', true) == semver('1.2.0')").boolValue, true)
    }

    /// Each text as `semver(text)` and `semver(text, true)` read it in Kubernetes: the version
    /// (`string()` of it) or nil for an error.
    func testSemverReadsEachTextAsKubernetesDoes() {
        let cases: [(text: String, strict: String?, normalized: String?)] = [
            ("1.2.3", "1.2.3", "1.2.3"),
            ("0.0.0", "0.0.0", "0.0.0"),
            ("1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5"),
            ("1.2.3-a-b.--", "1.2.3-a-b.--", "1.2.3-a-b.--"),
            ("1.2.3-0a", "1.2.3-0a", "1.2.3-0a"),
            ("1.2.3+build.01", "1.2.3+build.01", "1.2.3+build.01"),
            ("1.2.3-18446744073709551615", "1.2.3-18446744073709551615", "1.2.3-18446744073709551615"),
            ("18446744073709551615.0.0", "18446744073709551615.0.0", "18446744073709551615.0.0"),
            ("v1.2.3", nil, "1.2.3"),
            ("v1.2.3-rc.1+build.5", nil, "1.2.3-rc.1+build.5"),
            ("v1.2", nil, "1.2.0"),
            ("v1", nil, "1.0.0"),
            ("1.2", nil, "1.2.0"),
            ("1", nil, "1.0.0"),
            ("01.2.3", nil, "1.2.3"),
            ("01.01.01", nil, "1.1.1"),
            ("00.00.00", nil, "0.0.0"),
            ("v01.02", nil, "1.2.0"),
            ("1.02.3-rc", nil, "1.2.3-rc"),
            ("1.2.003+b", nil, "1.2.3+b"),
            ("1.2.00-rc", nil, "1.2.0-rc"),
            ("1.2.-rc", nil, "1.2.0-rc"),
            ("v1.2.+b", nil, "1.2.0+b"),
            ("1.2-rc", nil, nil),
            ("1.2+b", nil, nil),
            ("1-rc", nil, nil),
            ("v1.2-rc", nil, nil),
            ("1.-2", nil, nil),
            ("V1.2.3", nil, nil),
            ("vv1.2.3", nil, nil),
            ("1.2.3-01", nil, nil),
            ("1.2.3-rc.01", nil, nil),
            ("1.2.3-00", nil, nil),
            ("1.2.3-18446744073709551616", nil, nil),
            ("18446744073709551616.0.0", nil, nil),
            ("1.2.3+b+c", nil, nil),
            ("1.2.3-", nil, nil),
            ("1.2.3+", nil, nil),
            ("1.2.3-a..b", nil, nil),
            ("1.2.-", nil, nil),
            ("1.2.3.4", nil, nil),
            ("1..3", nil, nil),
            ("1.2.", nil, nil),
            (" 1.2.3", nil, nil),
            ("1.2.3 ", nil, nil),
            ("1.2.3-ä", nil, nil),
            ("١.2.3", nil, nil),
            ("v", nil, nil),
            ("", nil, nil),
            ("x", nil, nil),
        ]
        for (text, strict, normalized) in cases {
            let t: [String: CELValue] = ["t": .string(text)]
            XCTAssertEqual(eval("isSemver(t)", t).boolValue, strict != nil, text)
            XCTAssertEqual(eval("isSemver(t, false)", t).boolValue, strict != nil, text)
            XCTAssertEqual(eval("isSemver(t, true)", t).boolValue, normalized != nil, text)
            XCTAssertEqual(eval("string(semver(t))", t).stringValue, strict, text)
            XCTAssertEqual(eval("string(semver(t, true))", t).stringValue, normalized, text)
        }
    }

    /// Normalisation adds `.0` only to a release: a short version with a pre-release or build
    /// metadata is an error, as in Kubernetes.
    func testSemverNormalizationPadsOnlyAShortRelease() {
        XCTAssertEqual(eval("isSemver('1.2-rc', true)").boolValue, false)
        XCTAssertEqual(eval("isSemver('1+build', true)").boolValue, false)
        XCTAssertEqual(
            eval("semver('1.2-rc', true)").errorMessage,
            "invalid version \"1.2-rc\": a version without MINOR or PATCH can have no pre-release or build metadata")
        XCTAssertEqual(eval("semver('1.2', true) == semver('1.2.0') && semver('1', true) == semver('1.0.0')").boolValue, true)
        XCTAssertEqual(eval("semver('1.2.3', true).major() == 1 && semver('v1.2', true).minor() == 2 && semver('v1', true).patch() == 0").boolValue, true)
    }

    /// Leading zeros: an error strictly; dropped by normalisation from each of the three pieces
    /// (a `0` going back before a pre-release or build), never from a numeric pre-release.
    func testSemverLeadingZeros() {
        XCTAssertEqual(eval("isSemver('01.2.3')").boolValue, false)
        XCTAssertEqual(eval("isSemver('1.2.03')").boolValue, false)
        XCTAssertEqual(eval("isSemver('01.2.3', true)").boolValue, true)
        XCTAssertEqual(eval("semver('01.02.03', true) == semver('1.2.3')").boolValue, true)
        XCTAssertEqual(eval("string(semver('1.2.-rc', true))").stringValue, "1.2.0-rc")
        XCTAssertEqual(eval("isSemver('1.2.3-rc.01', true)").boolValue, false)
    }

    /// Only one lowercase `v` is dropped, and only with normalisation.
    func testSemverVPrefix() {
        XCTAssertEqual(eval("isSemver('v1.2.3')").boolValue, false)
        XCTAssertEqual(eval("isSemver('v1.2.3', true)").boolValue, true)
        XCTAssertEqual(eval("isSemver('V1.2.3', true) || isSemver('vv1.2.3', true)").boolValue, false)
        XCTAssertEqual(eval("isSemver('v1.2-rc', true)").boolValue, false)
        XCTAssertEqual(eval("string(semver('v1.2.3-rc.1+b', true))").stringValue, "1.2.3-rc.1+b")
    }

    /// Build metadata is kept in the value but ignored by `==` and ordering.
    func testSemverBuildMetadataIsIgnoredByComparisons() {
        XCTAssertEqual(eval("semver('1.2.3+build') == semver('1.2.3')").boolValue, true)
        XCTAssertEqual(eval("semver('1.2.3+a').compareTo(semver('1.2.3+b'))").intValue, 0)
        XCTAssertEqual(eval("semver('1.2.3-rc+a') != semver('1.2.3')").boolValue, true)
        XCTAssertEqual(eval("string(semver('1.2.3+build.5'))").stringValue, "1.2.3+build.5")
        XCTAssertEqual(eval("semver('1.2.3-18446744073709551616')").errorMessage?.hasPrefix("invalid version"), true)
    }

    /// Errors as in Kubernetes: a text that is no version, and arguments of other types.
    func testSemverErrors() {
        XCTAssertEqual(eval("semver('x')").errorMessage, "invalid version \"x\": expected MAJOR.MINOR.PATCH")
        XCTAssertEqual(eval("semver('01.2.3')").errorMessage, "invalid version \"01.2.3\": \"01\" is not a number without leading zeros below 2^64")
        XCTAssertEqual(eval("isSemver(1)").errorMessage, "no such overload: isSemver(int)")
        XCTAssertEqual(eval("isSemver('1.2.3', 'yes')").errorMessage, "no such overload: isSemver(string, string)")
        XCTAssertEqual(eval("semver('1.2.3', 1)").errorMessage, "no such overload: semver(string, int)")
        XCTAssertEqual(eval("semver('1.0.0').isLessThan(quantity('1'))").errorMessage?.hasPrefix("no such overload"), true)
        XCTAssertEqual(eval("semver('9223372036854775808.0.0').major()").errorMessage, "major() out of int range")
    }
}
