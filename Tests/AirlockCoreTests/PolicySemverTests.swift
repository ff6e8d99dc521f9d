@testable import AirlockCore
import CEL
import XCTest

/// `semver()` and `isSemver()` in the policies' CEL environment (every host function registered):
/// they are Kubernetes' own, strict or normalized, one type with one set of methods, and the fact
/// functions `isPrerelease()` and `satisfies()` take those values.
final class PolicySemverTests: XCTestCase {
    private func evaluate(_ expression: String, file: StaticString = #filePath, line: UInt = #line) -> CELValue {
        do {
            return try PolicyCompiler(inventory: Inventory()).environment.compile(expression).evaluate([:], costLimit: 1_000_000)
        } catch {
            XCTFail("\(expression): \(error.rendered)", file: file, line: line)
            return .null
        }
    }

    private func assertTrue(_ expression: String, file: StaticString = #filePath, line: UInt = #line) {
        let value = evaluate(expression, file: file, line: line)
        guard case .bool(true) = value else { return XCTFail("\(expression): \(value)", file: file, line: line) }
    }

    private func errorMessage(_ expression: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        guard case .error(let error) = evaluate(expression, file: file, line: line) else { return nil }
        return error.message
    }

    func testNormalizedSemverHasKubernetesMethods() {
        assertTrue("semver('1.2.3', true).major() == 1")
        assertTrue("semver('v1.2', true).minor() == 2 && semver('v1.2', true).patch() == 0")
        assertTrue("semver('1.2.3').major() == 1 && semver('1.2.3').minor() == 2 && semver('1.2.3').patch() == 3")
    }

    func testIsSemverIsKubernetes() {
        assertTrue("!isSemver('1.2-rc', true) && isSemver('v1.2.3', true) && !isSemver('v1.2.3')")
        assertTrue("!isSemver('01.2.3') && isSemver('01.2.3', true) && isSemver('1.2.3-rc.1+build.5')")
        XCTAssertEqual(errorMessage("isSemver(1)"), "no such overload: isSemver(int)")
    }

    func testStrictAndNormalizedSemversAreOneType() {
        assertTrue("type(semver('1.2.3')) == type(semver('1.2.3', true))")
        assertTrue("semver('1.2.3+build') == semver('1.2.3')")
        assertTrue("semver('1.2.3+build') == semver('v01.2.3', true)")
        assertTrue("string(semver('1.2.3+build.5')) == '1.2.3+build.5'")
    }

    /// SemVer precedence, the specification's chain: numbers, a pre-release below its release,
    /// numeric identifiers numerically and below alphanumeric ones, a longer list above its
    /// prefix; strict and normalized values compare with each other.
    func testPrereleaseOrdering() {
        let chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                     "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"]
        for (lower, higher) in zip(chain, chain.dropFirst()) {
            assertTrue("semver('\(lower)').isLessThan(semver('v\(higher)', true)) && semver('\(higher)').isGreaterThan(semver('\(lower)'))")
            assertTrue("semver('\(lower)', true).compareTo(semver('\(higher)')) == -1 && semver('\(higher)').compareTo(semver('\(lower)')) == 1")
            assertTrue("semver('\(lower)') < semver('\(higher)', true) && !(semver('\(higher)') <= semver('\(lower)'))")
        }
        assertTrue("semver('1.0.0-2') < semver('1.0.0-10') && semver('1.0.0-18446744073709551615') < semver('1.0.0-0a')")
        assertTrue("semver('1.0.0-B') < semver('1.0.0-a')") // alphanumeric identifiers by their bytes: capitals first
    }

    func testErrors() {
        XCTAssertEqual(errorMessage("semver('x')"), "invalid version \"x\": expected MAJOR.MINOR.PATCH")
        XCTAssertNotNil(errorMessage("semver('1.2-rc', true)"))
    }

    func testFactFunctionsTakeKubernetesSemvers() {
        assertTrue("semver('v1.3.0-rc.1', true).isPrerelease() && !semver('1.3.0').isPrerelease()")
        assertTrue("satisfies(semver('v2.1', true), '^2.0.0') && satisfies('2.1.0', '^2.0.0') && !satisfies(semver('3.0.0'), '^2.0.0')")
    }
}
