import XCTest
@testable import AirlockCore

final class SemanticVersionTests: XCTestCase {
    private func v(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> SemanticVersion {
        guard let version = SemanticVersion(text) else {
            XCTFail("\(text) should parse", file: file, line: line)
            return SemanticVersion(major: 0, minor: 0, patch: 0)
        }
        return version
    }

    func testPrecedenceChainFromTheSpecification() {
        let chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                     "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"]
        for (lower, higher) in zip(chain, chain.dropFirst()) {
            XCTAssertLessThan(v(lower), v(higher), "\(lower) < \(higher)")
            XCTAssertFalse(v(higher) < v(lower))
        }
        XCTAssertEqual(chain.map { v($0) }.shuffled().sorted().map(\.description), chain)
    }

    func testBuildMetadataIsIgnoredForPrecedence() {
        XCTAssertEqual(v("1.0.0+20130313144700").precedenceCompare(v("1.0.0+exp.sha.5114f85")), 0)
        XCTAssertNotEqual(v("1.0.0+a"), v("1.0.0+b"))
        XCTAssertEqual(v("1.0.0-beta+exp.sha.5114f85").build, ["exp", "sha", "5114f85"])
        XCTAssertEqual(v("1.0.0-x-y-z.--").prerelease, [.alphanumeric("x-y-z"), .alphanumeric("--")])
    }

    func testNumericIdentifiersCompareNumerically() {
        XCTAssertLessThan(v("1.9.0"), v("1.10.0"))
        XCTAssertLessThan(v("1.0.0-2"), v("1.0.0-10"))
        XCTAssertLessThan(v("1.0.0-999"), v("1.0.0-a"))
    }

    func testRejectsInvalidVersions() {
        for bad in ["1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "v1.2.3", "1.2.3-", "1.2.3-01",
                    "1.2.3-a..b", "1.2.3+", "1.2.3+a..b", "1.2.3-ä", " 1.2.3", "", "99999999999999999999.0.0"] {
            XCTAssertNil(SemanticVersion(bad), bad)
        }
        if case .failure(let error) = SemanticVersion.parse("1.02.3") {
            XCTAssertTrue(error.description.contains("leading zeros"), error.description)
        } else {
            XCTFail("expected failure")
        }
    }

    func testRoundTripsDescription() {
        for text in ["0.0.0", "1.2.3-rc.1+build.5", "10.20.30-alpha0.valid"] {
            XCTAssertEqual(v(text).description, text)
        }
    }
}
