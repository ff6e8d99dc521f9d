import XCTest
@testable import AirlockCore

final class VersionRangeTests: XCTestCase {
    private func check(_ range: String, in inside: [String], out outside: [String], includePrerelease: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let parsed = try VersionRange(range)
            for version in inside {
                XCTAssertTrue(parsed.satisfies(version, includePrerelease: includePrerelease), "\(version) should satisfy \(range) \(parsed.sets)", file: file, line: line)
            }
            for version in outside {
                XCTAssertFalse(parsed.satisfies(version, includePrerelease: includePrerelease), "\(version) should not satisfy \(range) \(parsed.sets)", file: file, line: line)
            }
        } catch {
            XCTFail("\(range): \(error)", file: file, line: line)
        }
    }

    func testCaret() {
        check("^1.2.3", in: ["1.2.3", "1.9.9", "1.2.4"], out: ["1.2.2", "2.0.0", "2.0.0-0", "1.3.0-beta"])
        check("^0.2.3", in: ["0.2.3", "0.2.9"], out: ["0.3.0", "0.2.2"])
        check("^0.0.3", in: ["0.0.3"], out: ["0.0.4", "0.0.2"])
        check("^1.2.x", in: ["1.2.0", "1.9.0"], out: ["2.0.0", "1.1.9"])
        check("^0.0", in: ["0.0.0", "0.0.9"], out: ["0.1.0"])
        check("^1.x", in: ["1.0.0", "1.99.0"], out: ["2.0.0", "0.9.9"])
        check("^1.2.3-beta.2", in: ["1.2.3-beta.2", "1.2.3-beta.4", "1.2.3", "1.5.0"], out: ["1.2.3-beta.1", "1.2.4-beta.2", "2.0.0"])
        check("^2.0.0", in: ["2.0.0", "2.5.1"], out: ["1.9.9", "3.0.0"])
    }

    func testTilde() {
        check("~1.2.3", in: ["1.2.3", "1.2.9"], out: ["1.3.0", "1.2.2"])
        check("~1.2", in: ["1.2.0", "1.2.99"], out: ["1.3.0", "1.1.9"])
        check("~1", in: ["1.0.0", "1.9.9"], out: ["2.0.0"])
        check("~0.2.3", in: ["0.2.3", "0.2.7"], out: ["0.3.0"])
        check("~1.2.3-beta.2", in: ["1.2.3-beta.2", "1.2.3-beta.4", "1.2.5"], out: ["1.2.4-beta.2", "1.3.0"])
    }

    func testPrimitivesAndIntersections() {
        check(">=1.0.0 <2.0.0", in: ["1.0.0", "1.99.99"], out: ["2.0.0", "0.9.9", "2.0.0-alpha"])
        check(">= 1.0.0  < 2.0.0", in: ["1.5.0"], out: ["2.0.0"])
        check(">1.2.3", in: ["1.2.4"], out: ["1.2.3"])
        check("<=1.2.3", in: ["1.2.3", "0.0.1"], out: ["1.2.4"])
        check("=1.2.3", in: ["1.2.3", "1.2.3+build"], out: ["1.2.4"])
        check("1.2.3", in: ["1.2.3"], out: ["1.2.4"])
        check("v1.2.3", in: ["1.2.3"], out: ["1.2.2"])
        check(">1.2", in: ["1.3.0"], out: ["1.2.9"])
        check("<1.2", in: ["1.1.9"], out: ["1.2.0", "1.2.0-alpha"])
        check("<=1.2", in: ["1.2.9"], out: ["1.3.0"])
        check(">*", in: [], out: ["0.0.0", "1.0.0"])
    }

    func testXRanges() {
        check("*", in: ["0.0.0", "1.2.3", "99.0.0"], out: ["1.0.0-rc.1"])
        check("", in: ["1.2.3"], out: [])
        check("1.x", in: ["1.0.0", "1.99.9"], out: ["2.0.0", "0.9.0"])
        check("1.2.x", in: ["1.2.0", "1.2.9"], out: ["1.3.0"])
        check("1.X", in: ["1.4.0"], out: ["2.0.0"])
        check("1", in: ["1.0.0", "1.9.0"], out: ["2.0.0"])
        check("1.2.*", in: ["1.2.5"], out: ["1.3.0"])
    }

    func testHyphenRanges() {
        check("1.2.3 - 2.3.4", in: ["1.2.3", "2.3.4", "2.0.0"], out: ["1.2.2", "2.3.5"])
        check("1.2 - 2.3.4", in: ["1.2.0"], out: ["1.1.9", "2.3.5"])
        check("1.2.3 - 2.3", in: ["2.3.9"], out: ["2.4.0"])
        check("1.2.3 - 2", in: ["2.9.9"], out: ["3.0.0"])
    }

    func testAlternatives() {
        check("1.2.7 || >=1.2.9 <2.0.0", in: ["1.2.7", "1.2.9", "1.4.6"], out: ["1.2.8", "2.0.0"])
        check("^1.0.0 || ^3.0.0", in: ["1.5.0", "3.1.0"], out: ["2.0.0", "4.0.0"])
    }

    func testPrereleaseRule() {
        check(">1.2.3-alpha.3", in: ["1.2.3-alpha.7", "3.4.5"], out: ["3.4.5-alpha.9", "1.2.3-alpha.2"])
        check(">1.2.3-alpha.3", in: ["3.4.5-alpha.9"], out: [], includePrerelease: true)
        check("^1.0.0", in: ["1.1.0-beta"], out: [], includePrerelease: true)
    }

    func testRejectsMalformedRanges() {
        for bad in [">=a.b.c", "1.2.3.4", "^01.2.3", "1.x.3", "1.2 - ", ">=1.2.3 - 2", "~>>1.2", "1.2-beta", "^18446744073709551615.0.0"] {
            XCTAssertThrowsError(try VersionRange(bad), bad)
        }
    }

    func testMaxSatisfying() throws {
        let versions = ["1.0.0", "1.2.0", "1.3.0-rc.1", "2.0.0"].compactMap(SemanticVersion.init)
        XCTAssertEqual(try VersionRange("^1.0.0").maxSatisfying(versions)?.description, "1.2.0")
    }
}
